"""TLS on the LAN: the hub's own certificate, pinned by its clients; a relay with another one gets nothing."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from counter_app.errors import ConfigError, HubNotTrusted
from counter_app.events import QueueChanged
from counter_app.hub.tls import ensure_certificate
from counter_app.lan.office import LanOffice
from tests.conftest import STAFF_PASSWORD, make_form
from tests.hub.conftest import Hub, running_hub
from tests.sync.conftest import free_port


@pytest.fixture
def tls_hub(tmp_path: Path) -> Iterator[Hub]:
    yield from running_hub(tmp_path, tls=True)


def test_a_clerk_works_over_tls_and_events_follow_on_it(tls_hub: Hub):
    assert tls_hub.url.startswith("https://") and len(tls_hub.fingerprint) == 95
    assert f'hub_fingerprint = "{tls_hub.fingerprint}"' in tls_hub.log()  # what the administrator copies
    counter = tls_hub.client("quay-1")
    seen: list[object] = []
    counter.subscribe(seen.append)
    counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    made = counter.receive(make_form(), actor="canbo1")
    assert counter.dossier(made.code).id_number == "001090012345"
    tls_hub.client("kiosk").issue_ticket(lane="A")
    deadline = threading.Event()
    for _ in range(100):
        if any(isinstance(e, QueueChanged) for e in seen):
            break
        deadline.wait(0.05)
    assert any(isinstance(e, QueueChanged) for e in seen)


def test_plain_http_does_not_reach_a_tls_hub(tls_hub: Hub):
    with pytest.raises(httpx.TransportError):
        httpx.post(f"http://127.0.0.1:{tls_hub.port}/api/ops/info", json={}, timeout=3,
                   headers={"Authorization": f"Bearer {tls_hub.tokens['quay-1']}"})


@contextmanager
def relay_with_its_own_certificate(folder: Path) -> Iterator[tuple[int, list[bytes]]]:
    """A machine on the LAN posing as the hub: TLS with a certificate of its own; it records what it is sent."""
    cert = ensure_certificate(folder, ["127.0.0.1"])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert.cert, cert.key)
    received: list[bytes] = []
    server = socket.create_server(("127.0.0.1", free_port()))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.settimeout(1)
                    while data := tls.recv(65536):
                        received.append(data)
            except (OSError, ssl.SSLError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def test_a_relay_showing_another_certificate_is_refused_and_sent_nothing(tls_hub: Hub, tmp_path: Path):
    with relay_with_its_own_certificate(tmp_path / "relay") as (port, received):
        client = LanOffice(f"https://127.0.0.1:{port}", tls_hub.tokens["quay-1"], fingerprint=tls_hub.fingerprint,
                           retry_for_s=0.5)
        tls_hub.clients.append(client)
        with pytest.raises(HubNotTrusted) as refused:
            client.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
        assert "chứng chỉ" in refused.value.message_vi
        with pytest.raises(HubNotTrusted):
            client.info()
    assert received == []  # not a byte of a request: no token, no password
    token, password = tls_hub.tokens["quay-1"].encode(), STAFF_PASSWORD.encode()
    assert not any(token in chunk or password in chunk for chunk in received)


def test_a_client_without_the_fingerprint_or_with_plain_http_on_the_lan_refuses_to_start(tls_hub: Hub):
    with pytest.raises(HubNotTrusted):
        LanOffice(tls_hub.url, tls_hub.tokens["quay-1"], retry_for_s=0.2).info()
    wrong = "AA:" * 31 + "AA"
    with pytest.raises(HubNotTrusted):
        LanOffice(tls_hub.url, tls_hub.tokens["quay-1"], fingerprint=wrong, retry_for_s=0.2).info()
    with pytest.raises(ConfigError) as plain:
        LanOffice("http://192.168.1.10:8470", tls_hub.tokens["quay-1"])  # refused before any connection
    assert "https://" in plain.value.message_vi
    fine = LanOffice(tls_hub.url, tls_hub.tokens["quay-1"], fingerprint=tls_hub.fingerprint.lower().replace(":", ""))
    tls_hub.clients.append(fine)
    assert fine.info().agency_code  # any spelling of the same fingerprint
