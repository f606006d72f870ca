"""`LanOffice`: the `Office` of a counter, kiosk or board PC, reached over the LAN at the office hub.

Its methods are made from the `Office` protocol (`counter_app.remote_ops`), so it offers exactly what
the embedded hub offers; screens cannot tell the two apart. A clerk's `actor` does not travel: the
client sends the session that clerk signed in with, and the hub acts as that clerk.

A call that cannot reach the hub is tried again for a few seconds (writes with the same idempotency
key, so the hub carries them out once), then raises `HubUnreachable` with a Vietnamese message; the
screen keeps what was typed and the event stream reconnects in the background.
"""

from __future__ import annotations

import functools
import logging
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from counter_app import errors
from counter_app.errors import ConfigError, HubUnreachable, InvalidInput, OfficeError
from counter_app.events import EventBus, HubConnection, Listener
from counter_app.lan.events import OFFLINE_VI, EventStream
from counter_app.lan.pinning import PinnedHub
from counter_app.remote_ops import CITIZEN_OPS, RemoteOp, operations
from counter_app.rules import citizen_id, clock_guard
from counter_app.rules.addresses import is_loopback
from counter_app.views.accounts import SessionView

log = logging.getLogger(__name__)

RETRY_FOR_S = 6.0  # how long a call keeps trying while the hub is believed up
TRANSIENT = (httpx.TransportError,)


@functools.cache
def _error_classes() -> dict[str, type[OfficeError]]:
    found: dict[str, type[OfficeError]] = {}
    for module in (errors, citizen_id, clock_guard):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, OfficeError):
                found[value.__name__] = value
    return found


def _raise_refusal(response: httpx.Response) -> None:
    """Turn the hub's error answer back into the error the embedded hub would have raised."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 422 or not isinstance(body, dict) or "message_vi" not in body:
        raise InvalidInput(f"hub refused the request ({response.status_code}): {response.text[:300]}",
                           "Máy chủ văn phòng không nhận dữ liệu gửi lên (sai định dạng). Xin báo quản trị.")
    cls = _error_classes().get(str(body.get("kind")), OfficeError)
    exc = cls.__new__(cls)
    OfficeError.__init__(exc, str(body.get("message_en", "")), str(body["message_vi"]))
    if body.get("code") is not None:
        exc.code = body["code"]  # type: ignore[attr-defined]
    if isinstance(body.get("problems"), list):
        exc.problems = [errors.Problem(str(p.get("field", "")), str(p.get("message_vi", "")))  # type: ignore[attr-defined]
                        for p in body["problems"] if isinstance(p, dict)]
    raise exc


KEEPALIVE_S = 100.0  # a counter calls about once a minute; the hub keeps an idle connection longer (hub.api)


def lan_transport(verify: ssl.SSLContext | bool) -> httpx.HTTPTransport:
    """Connections that stay open between a clerk's calls and send each request at once.

    httpx writes a request's headers and body separately; with Nagle's algorithm on, the body waited for
    the hub's delayed acknowledgement (about 40 ms) on every call. And its default keeps an idle
    connection 5 s, so a call a minute paid a new TCP and TLS handshake each time.
    """
    return httpx.HTTPTransport(verify=verify, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
                               limits=httpx.Limits(max_connections=20, max_keepalive_connections=10,
                                                   keepalive_expiry=KEEPALIVE_S))


class LanOffice:
    """Implements `counter_app.office.Office` by calling the hub at `url` as the machine holding `token`."""

    def __init__(self, url: str, token: str, *, fingerprint: str = "", retry_for_s: float = RETRY_FOR_S,
                 transport: httpx.BaseTransport | None = None) -> None:
        """`url` is https:// with the hub certificate's `fingerprint`; plain http:// only to this PC itself."""
        self.url = url.rstrip("/")
        self.retry_for_s = retry_for_s
        parsed = httpx.URL(self.url)
        self._pin: PinnedHub | None = None
        if parsed.scheme == "https":
            self._pin = PinnedHub(parsed.host, parsed.port or 443, fingerprint)
        elif not is_loopback(parsed.host):
            raise ConfigError(f"plain http to {parsed.host}: the LAN is reached over https only",
                              "Địa chỉ máy chủ văn phòng phải bắt đầu bằng https:// (dữ liệu công dân chỉ đi qua "
                              "mạng LAN khi đã mã hóa). Xin báo quản trị sửa cấu hình.")
        verify = self._pin.context if self._pin is not None else True
        self._http = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"},
                                  timeout=httpx.Timeout(10.0, connect=2.0),
                                  transport=transport or lan_transport(verify), verify=verify)
        self._sessions: dict[str, str] = {}  # username -> session token, for the clerks signed in here
        self._lock = threading.Lock()
        self.online: bool | None = None  # None: not known yet
        self.bus = EventBus()
        self._stream: EventStream | None = None

    # --- the wire
    def _set_online(self, online: bool) -> None:
        if self.online is online:
            return
        was, self.online = self.online, online
        if online:
            log.info("office hub %s reachable", self.url)
        else:
            log.warning("office hub %s unreachable", self.url)
        if was is not None or not online:
            self.bus.publish(HubConnection(online, "" if online else OFFLINE_VI))

    def _headers(self, op: RemoteOp, actor: str | None) -> dict[str, str]:
        """An action goes with its actor's session; a read with the session of the clerk who signed in last."""
        headers = {}
        with self._lock:
            last = next(reversed(self._sessions.values()), None)
            session = self._sessions.get(actor) if actor is not None else last
        if session is not None and op.name not in CITIZEN_OPS:  # the citizen answers as themself
            headers["X-Clerk-Session"] = session
        if op.writes:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        return headers

    def call(self, op: RemoteOp, args: dict[str, Any], actor: str | None = None) -> Any:
        body = op.args(**args).model_dump_json()
        headers = self._headers(op, actor)
        give_up = time.monotonic() + (self.retry_for_s if self.online is not False else 0)
        delay = 0.1
        while True:
            try:
                self._trust_hub()
                response = self._http.post(f"/api/ops/{op.name}", content=body, headers={
                    **headers, "Content-Type": "application/json"})
                break
            except (*TRANSIENT, OSError) as exc:
                if time.monotonic() + delay > give_up:
                    self._set_online(False)
                    raise HubUnreachable(f"{op.name}: {exc!r}") from None
                log.info("%s: hub not answering (%r); trying again", op.name, exc)
                time.sleep(delay)
                delay = min(1.0, delay * 2)
        if self._stream is None or not self._stream.connected.is_set():
            self._set_online(True)
        if response.status_code != 200:
            _raise_refusal(response)
        return op.answer.validate_json(response.content)

    def _trust_hub(self) -> None:
        """Before anything is sent: the hub must show the pinned certificate (HubNotTrusted otherwise)."""
        if self._pin is not None:
            self._pin.ensure()

    # --- what needs more than the wire
    def sign_in(self, username: str, password: str, *, counter_no: int | None = None,
                replace: bool = False) -> SessionView:
        session: SessionView = self.call(operations()["sign_in"], {
            "username": username, "password": password, "counter_no": counter_no, "replace": replace})
        with self._lock:
            self._sessions.pop(session.username, None)  # to the end: the clerk who signed in last
            self._sessions[session.username] = session.token
        return session

    def sign_out(self, token: str) -> None:
        self.call(operations()["sign_out"], {"token": token})
        with self._lock:
            for name in [n for n, t in self._sessions.items() if t == token]:
                del self._sessions[name]

    def import_catalog(self, path: Path, *, actor: str) -> str:
        return self.call(operations()["import_catalog"], {"content": Path(path).read_text(encoding="utf-8")}, actor)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Follow the hub's events; the first subscriber starts the stream (and its reconnecting)."""
        with self._lock:
            if self._stream is None:
                self._stream = EventStream(self._http, self.bus, self._set_online, prepare=self._trust_hub)
                self._stream.start()
        return self.bus.subscribe(listener)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.stop()
        self._http.close()


def _remote_method(op: RemoteOp) -> Callable[..., Any]:
    def method(self: LanOffice, *args: Any, **kwargs: Any) -> Any:
        bound = op.signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        values = dict(bound.arguments)
        del values["self"]
        actor = values.pop("actor", None)
        return self.call(op, values, actor)

    method.__name__ = method.__qualname__ = op.name
    method.__signature__ = op.signature  # type: ignore[attr-defined]
    method.__doc__ = f"`Office.{op.name}` at the hub."
    return method


for _op in operations().values():
    if _op.name not in vars(LanOffice):
        setattr(LanOffice, _op.name, _remote_method(_op))
