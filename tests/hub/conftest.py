"""A real office hub: `counter-app serve` in its own process on a loopback port, over a real store file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from counter_app import accounts, machines, office_setup
from counter_app.dossiers import catalog
from counter_app.lan.office import LanOffice
from counter_app.lan.pinning import PinnedHub
from counter_app.queue.service import set_counter_lanes
from counter_app.rules.clock import now
from counter_app.rules.fingerprint import fingerprint_of_pem
from counter_app.store import Store
from counter_app.views.accounts import AccountIn, Role
from tests.conftest import _STAFF_HASH, AGENCY, add_staff
from tests.processes import stop_process
from tests.sync.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
COUNTERS = 20
CLERKS = [f"canbo{n}" for n in range(1, COUNTERS + 1)]


def prepare_store(path: Path) -> dict[str, str]:
    """The Cửa Nam office with 20 counters, a clerk per counter, and its machines; returns their tokens.

    The store may hold an office already (a benchmark's year-old one): set-up adds the counters it lacks."""
    store = Store.open(path)
    tokens: dict[str, str] = {}
    try:
        with store.write() as s:
            office_setup.setup_office(s, ward_code=73, agency_code=AGENCY, actor="admin", counters=COUNTERS)
            if catalog.active_version(s) is None:
                catalog.import_catalog(s, catalog.bundled_catalog(), actor="admin")
            add_staff(s)
            for name in CLERKS[2:]:
                accounts.save(s, AccountIn(username=name, full_name=f"Cán Bộ {name[5:]}", role=Role.CLERK),
                              at=now(), actor=accounts.SYSTEM, password_hash=_STAFF_HASH)
            for n in range(1, COUNTERS + 1):
                _m, tokens[f"quay-{n}"] = machines.register(s, f"quay-{n}", machines.MachineKind.COUNTER,
                                                            counter_no=n, at=now(), actor=accounts.SYSTEM)
            for name, kind, facing in (("kiosk", "kiosk", None), ("bang-1", "board", None), ("bang-2", "board", None),
                                       ("danhgia-1", "rating", 1)):
                _m, tokens[name] = machines.register(s, name, machines.MachineKind(kind), counter_no=facing,
                                                     at=now(), actor=accounts.SYSTEM)
    finally:
        store.close()
    return tokens


def serve_every_lane(db_path: Path, counters: int, lanes: list[str]) -> None:
    """Counters 1..N serve every lane (a supervisor's set-up, on the hub PC)."""
    store = Store.open(db_path)
    try:
        with store.write() as s:
            for n in range(1, counters + 1):
                set_counter_lanes(s, now(), n, lanes, "admin")
    finally:
        store.close()


@dataclass
class Hub:
    db_path: Path
    folder: Path
    tokens: dict[str, str]
    port: int = field(default_factory=free_port)
    heartbeat_s: float = 10.0
    tls: bool = False  # https on loopback, as every hub off loopback serves
    proc: subprocess.Popen | None = None
    clients: list[LanOffice] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def fingerprint(self) -> str:
        """What the hub printed at start for its PCs to pin (the certificate beside its store)."""
        return fingerprint_of_pem((self.db_path.parent / "hub-tls" / "hub-cert.pem").read_bytes()) if self.tls else ""

    def start(self) -> None:
        settings = self.folder / "hub-settings.toml"
        settings.write_text(f'preview_dir = "{self.folder / "previews"}"\n', encoding="utf-8")
        log = open(self.folder / "hub.log", "ab")  # noqa: SIM115 - the process keeps it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "counter_app.cli.main", "--db", str(self.db_path), "--settings", str(settings),
             "serve", "--listen", f"127.0.0.1:{self.port}", *(["--tls"] if self.tls else [])],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "COUNTER_HUB_HEARTBEAT_S": str(self.heartbeat_s)})
        log.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.health().status_code == 200:
                    return
            except (httpx.TransportError, OSError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"hub did not start:\n{self.log()}")
            time.sleep(0.05)

    def health(self) -> httpx.Response:
        """GET /api/health, over TLS with the pinned certificate when the hub serves https."""
        if not self.tls:
            return httpx.get(f"{self.url}/api/health", timeout=1)
        pin = PinnedHub("127.0.0.1", self.port, self.fingerprint)  # the certificate exists once it listens
        pin.ensure(timeout=1)
        return httpx.get(f"{self.url}/api/health", timeout=1, verify=pin.context)

    def kill(self) -> None:
        """SIGKILL: no shutdown of any kind, as a power cut or a crash."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.proc)

    def log(self) -> str:
        path = self.folder / "hub.log"
        return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""

    def client(self, machine: str, **kwargs: object) -> LanOffice:
        kwargs.setdefault("fingerprint", self.fingerprint)
        office = LanOffice(self.url, self.tokens[machine], **kwargs)  # type: ignore[arg-type]
        self.clients.append(office)
        return office


def post_op(hub: Hub, op: str, body: dict | str, *, machine: str = "quay-1", session: str = "",
            key: str = "") -> httpx.Response:
    """A raw request to the hub as `machine` (with a clerk's session, an idempotency key); a str body goes as is."""
    headers = {"Authorization": f"Bearer {hub.tokens[machine]}", "Content-Type": "application/json"}
    if session:
        headers["X-Clerk-Session"] = session
    if key:
        headers["Idempotency-Key"] = key
    content = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return httpx.post(f"{hub.url}/api/ops/{op}", content=content.encode("utf-8", "surrogatepass"), headers=headers,
                      timeout=10)


def running_hub(folder: Path, **options: float | bool) -> Iterator[Hub]:
    """A started hub over a fresh store in `folder`, stopped (and its clients closed) afterwards."""
    running = Hub(folder / "office.sqlite3", folder, prepare_store(folder / "office.sqlite3"), **options)
    running.start()
    try:
        yield running
    finally:
        for client in running.clients:
            client.close()
        running.stop()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    yield from running_hub(tmp_path)
