"""`POST /api/ops/<name>` served straight from the operation table, without a router or dependency tree.

Every counter asks the hub a few times a minute, and ten of them at once when the morning rush starts.
FastAPI's generic path (a route list tried in turn, a dependency tree solved per request, a stack of
exception middlewares) cost the hub more than the office's own work: about 3 ms of Python per request,
all of it under the one interpreter lock. This app does what those requests need and nothing else: it
finds the operation by name, checks the idempotency key's length, validates the JSON body with the
operation's own pydantic model, and hands the rest to `handle` on a worker thread. FastAPI still
describes the operations (`/openapi.json`, built from the same table) and serves everything else.

It sits behind the `Gate`, which has already said who the caller is and capped the body.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from counter_app.errors import InvalidInput, OfficeError
from counter_app.hub.gate import OPS
from counter_app.hub.policy import Caller
from counter_app.hub.refusals import ErrorBody, error_answer
from counter_app.remote_ops import RemoteOp

log = logging.getLogger(__name__)

# (status, JSON body, extra headers)
Answer = tuple[int, bytes, list[tuple[bytes, bytes]]]
Handle = Callable[[RemoteOp, Caller, BaseModel, "str | None"], Answer]


class Operations:
    def __init__(self, app: ASGIApp, *, ops: dict[str, RemoteOp], handle: Handle, max_key: int) -> None:
        self.app = app
        self.ops = ops
        self.handle = handle
        self.max_key = max_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(OPS):
            await self.app(scope, receive, send)
            return
        op = self.ops.get(path[len(OPS):])
        if op is None:
            await _send(send, *_http_refusal(404, "Not Found"))
            return
        if scope["method"] != "POST":
            status, body, _ = _http_refusal(405, "Method Not Allowed")
            await _send(send, status, body, [(b"allow", b"POST")])
            return
        key = _header(scope, b"idempotency-key")
        body = await _body(receive)
        try:
            if key is not None and len(key) > self.max_key:
                raise _Invalid([{"loc": ["header", "idempotency-key"], "type": "string_too_long",
                                 "msg": f"String should have at most {self.max_key} characters"}])
            args = _args(op, body)
            answer = await run_in_threadpool(self.handle, op, scope["state"]["caller"], args, key)
        except _Invalid as exc:
            answer = unprocessable(path, exc.errors)
        except OfficeError as exc:
            log.warning("%s refused: %s", op.name, exc)
            answer = (*error_answer(exc), [])
        except OverflowError as exc:
            answer = (*error_answer(InvalidInput(f"number out of range: {exc}", "Giá trị số quá lớn.")), [])
        await _send(send, *answer)


def unprocessable(path: str, errors: list[dict[str, Any]]) -> Answer:
    """The 422 answer FastAPI would give, each error as where and what kind; logged the same way, never
    with the value (a password or an ID number may be what was refused)."""
    log.warning("malformed request to %s: %s", path,
                "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in errors[:5]))
    return 422, json.dumps({"detail": errors}).encode(), []


def error_details(errors: list[Any]) -> list[dict[str, Any]]:
    """pydantic's or FastAPI's validation errors as loc, msg and type only."""
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]


class _Invalid(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid request")
        self.errors = errors


def _args(op: RemoteOp, body: bytes) -> BaseModel:
    """The body as the operation's argument model; errors where and what kind, as FastAPI words them."""
    if not body.strip():
        raise _Invalid([{"loc": ["body"], "type": "missing", "msg": "Field required"}])
    try:
        return op.args.model_validate_json(body)
    except ValidationError as exc:
        raise _Invalid([{**e, "loc": ["body", *e["loc"]]} for e in error_details(
            exc.errors(include_url=False, include_input=False))]) from None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _http_refusal(status: int, detail: str) -> Answer:
    log.warning("HTTP %d: %s", status, detail)
    body = ErrorBody(kind="HTTPException", message_en=detail,
                     message_vi="Yêu cầu gửi tới máy chủ văn phòng không hợp lệ.")
    return status, body.model_dump_json().encode(), []


async def _send(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})
