"""A server's door: who asks and whether they may, decided before a byte of the body is read.

An ASGI middleware. `admit(path, header)` looks at the path and the headers alone (a machine's token, a
clerk's session, the operation's row of the access table) and refuses at once, or lets the request in
with what the endpoint should know of its caller (left in the request's state as `caller`); only then
does the body flow, capped per path as it streams (chunked bodies included), so no outsider makes the
server read or hold a large upload. The hub stands behind one (`hub_door`), and so does the city.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from counter_app.errors import OfficeError, TooLarge
from counter_app.hub.access import ACCESS
from counter_app.hub.policy import Caller
from counter_app.hub.refusals import error_answer

log = logging.getLogger(__name__)

OPS = "/api/ops/"
EVENTS = "/api/events"
DEFAULT_LIMIT = 64 * 1024  # a request of the interface is a few hundred bytes
LIMITS = {"receive": 512 * 1024, "request_supplement": 256 * 1024, "import_catalog": 16 * 1024 * 1024,
          "import_catalog_text": 16 * 1024 * 1024}

OPEN = object()  # what `admit` answers for a path with no door (health, the API's description)
Header = Callable[[bytes], str]
Admit = Callable[[str, Header], Any]  # (path, header) -> the caller, or OPEN; raises to refuse
Refuse = Callable[[Exception], tuple[int, bytes]]  # an exception `admit` raised, or TooLarge -> (status, JSON)


class _Overflow(Exception):
    """The body went past its limit; the refusal has been sent."""


def limit_of(operation: str | None) -> int:
    return LIMITS.get(operation or "", DEFAULT_LIMIT)


def _operation(path: str) -> str | None:
    return path[len(OPS):] if path.startswith(OPS) and path[len(OPS):] in ACCESS else None


def hub_door(check: Callable[[str | None, str, str], Caller]) -> tuple[Admit, Callable[[str], int]]:
    """The hub's `admit` and limits: `check(operation or None for the event stream, machine token, session)`."""

    def admit(path: str, header: Header) -> Any:
        operation = _operation(path)
        if operation is None and path != EVENTS:
            return OPEN  # health, the API's description, or a route that does not exist
        scheme, _, token = header(b"authorization").partition(" ")
        return check(operation, token.strip() if scheme.lower() == "bearer" else "", header(b"x-clerk-session"))

    return admit, lambda path: limit_of(_operation(path))


def office_refusal(exc: Exception) -> tuple[int, bytes]:
    if isinstance(exc, OfficeError):
        return error_answer(exc)
    raise exc


class Gate:
    def __init__(self, app: ASGIApp, *, admit: Admit, limit: Callable[[str], int], refuse: Refuse = office_refusal,
                 refusals: tuple[type[Exception], ...] = (OfficeError,), inline: bool = False) -> None:
        """`inline`: `admit` is quick and never waits (a lookup in a local file's small tables), so it runs on
        the event loop itself; else on a worker thread (the city's, which asks PostgreSQL over the network)."""
        self.app = app
        self.admit = admit
        self.inline = inline
        self.limit = limit
        self.refuse = refuse
        self.refusals = refusals

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        def header(name: bytes) -> str:
            for key, value in scope["headers"]:
                if key == name:
                    return value.decode("latin-1")
            return ""

        path: str = scope["path"]
        try:
            caller = self.admit(path, header) if self.inline else await run_in_threadpool(self.admit, path, header)
        except self.refusals as exc:
            log.warning("refused at the door: %s %s: %s", scope["method"], path, exc)
            await self._answer(send, exc)
            return
        if caller is not OPEN:
            scope.setdefault("state", {})["caller"] = caller
        limit = self.limit(path)
        declared = header(b"content-length")
        if declared.isdigit() and int(declared) > limit:
            await self._answer(send, _too_large(path, int(declared), limit))
            return
        received = 0
        refused = False

        async def capped_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not refused:
                        refused = True
                        await self._answer(send, _too_large(path, received, limit))
                    raise _Overflow
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:  # the app's own answer to a body cut short is not sent
                await send(message)

        with contextlib.suppress(_Overflow):  # raised only after the refusal went out
            await self.app(scope, capped_receive, guarded_send)

    async def _answer(self, send: Send, exc: Exception) -> None:
        status, body = self.refuse(exc)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _too_large(path: str, size: int, limit: int) -> TooLarge:
    return TooLarge(f"{path}: body of {size}+ bytes over the limit of {limit}",
                    f"Dữ liệu gửi lên quá lớn (tối đa {limit // 1024} KB cho thao tác này).")
