"""The office hub's HTTP API (FastAPI): every `Office` operation, and the live event stream.

Every request names its machine (`Authorization: Bearer <machine token>`); a clerk's actions also
carry the clerk's session (`X-Clerk-Session`), and the hub runs them as that clerk. Write requests may
carry an `Idempotency-Key`: the hub carries a key out once and gives the same answer to a repeat.
"""

# No `from __future__ import annotations`: the endpoints' annotations are the generated argument
# models, which FastAPI must see as objects.

import asyncio
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from counter_app import accounts
from counter_app.errors import (
    AlreadyDone,
    DuplicateSubmission,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    MachineRefused,
    NotFound,
    OfficeError,
    SignInFailed,
)
from counter_app.hub import idempotency, machines
from counter_app.hub.answers import Answers
from counter_app.hub.events import Fanout
from counter_app.hub.policy import Caller, actor_for
from counter_app.local.office import LocalOffice
from counter_app.remote_ops import RemoteOp, operations
from counter_app.rules.clock_guard import ClockWrong

log = logging.getLogger(__name__)

# A comment line on a quiet stream: clients notice a dead hub, the hub a revoked machine.
HEARTBEAT_S = float(os.environ.get("COUNTER_HUB_HEARTBEAT_S", "10"))
MAX_KEY = 100


class ErrorBody(BaseModel):
    """A refusal: `message_vi` is shown to the clerk as it is; `kind` names the error class."""

    kind: str
    message_vi: str
    message_en: str
    code: str | None = None  # the dossier a duplicate intake form already made


@dataclass(frozen=True)
class Credentials:
    machine: str
    session: str


class Health(BaseModel):
    ok: bool
    boot: str  # changes each time the hub starts
    listeners: int


STATUS: list[tuple[type[OfficeError], int]] = [
    (NotFound, 404), (Forbidden, 403), (SignInFailed, 401), (MachineRefused, 401),
    (InvalidTransition, 409), (DuplicateSubmission, 409), (AlreadyDone, 409), (ClockWrong, 503),
]
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in (
        (400, "the input is refused"), (401, "unknown or revoked machine, or no valid clerk session"),
        (403, "the machine or the clerk's role may not do this"), (404, "no such record"),
        (409, "the record's state does not allow it, or the request was already carried out"),
        (503, "the hub's clock is wrong"),
    )
}


def error_answer(exc: OfficeError) -> tuple[int, bytes]:
    status = next((code for cls, code in STATUS if isinstance(exc, cls)), 400)
    body = ErrorBody(kind=type(exc).__name__, message_vi=exc.message_vi, message_en=str(exc),
                     code=getattr(exc, "code", None))
    return status, body.model_dump_json().encode()


def create_hub_app(office: LocalOffice) -> FastAPI:
    store = office.store
    fanout = Fanout()
    answers = Answers(store)
    store.add_before_commit(idempotency.record)  # a keyed request's key is filed with its change

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        fanout.bind(asyncio.get_running_loop())
        unsubscribe = office.subscribe(fanout.publish)
        with store.write() as s:
            pruned = idempotency.prune(s, office._now())
        log.info("hub API started (boot %s); %d old request keys pruned", fanout.boot, pruned)
        answers.start()
        try:
            yield
        finally:
            unsubscribe()
            answers.stop()

    app = FastAPI(title="Máy chủ văn phòng một cửa (hub)", version="1", lifespan=lifespan,
                  description=__doc__)
    app.state.fanout = fanout
    bearer = HTTPBearer(auto_error=False, description="the machine's token, from `counter-app machines add`")
    clerk = APIKeyHeader(name="X-Clerk-Session", auto_error=False, description="the signed-in clerk's session token")

    async def credentials(machine_token: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
                          session_token: Annotated[str | None, Security(clerk)]) -> Credentials:
        return Credentials(machine_token.credentials if machine_token else "", session_token or "")

    def identify(given: Credentials) -> Caller:
        """Looked up on every request (on the worker thread that then runs it), so a revocation counts at once."""
        with store.read() as s:
            machine = machines.authenticate(s, given.machine)
            return Caller(machine, accounts.session_of(s, given.session) if given.session else None)

    @app.exception_handler(OfficeError)
    async def _office_error(_request: Request, exc: OfficeError) -> Response:
        log.warning("refused: %s", exc)
        status, body = error_answer(exc)
        return Response(body, status_code=status, media_type="application/json")

    @app.exception_handler(OverflowError)
    async def _overflow(_request: Request, exc: OverflowError) -> Response:
        status, body = error_answer(InvalidInput(f"number out of range: {exc}", "Giá trị số quá lớn."))
        return Response(body, status_code=status, media_type="application/json")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        log.warning("HTTP %d: %s", exc.status_code, exc.detail)
        body = ErrorBody(kind="HTTPException", message_en=str(exc.detail),
                         message_vi="Yêu cầu gửi tới máy chủ văn phòng không hợp lệ.")
        return Response(body.model_dump_json(), status_code=exc.status_code, media_type="application/json",
                        headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> Response:
        log.warning("malformed request: %s", exc.errors()[:3])
        return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)

    @app.get("/api/health", response_model=Health, tags=["hub"])
    def health() -> Health:
        """Whether the hub answers; no token needed."""
        return Health(ok=True, boot=fanout.boot, listeners=fanout.listeners)

    @app.get("/api/events", tags=["hub"], response_class=StreamingResponse, responses={
        200: {"content": {"text/event-stream": {}}, "description": "server-sent events: `office` and `resync`"},
        **ERRORS})
    async def events(given: Annotated[Credentials, Depends(credentials)],
                     last_event_id: Annotated[str, Header(alias="Last-Event-ID", max_length=64)] = ""
                     ) -> StreamingResponse:
        """Live office events as server-sent events, each `{"type": ..., fields}` (see `counter_app.events`)."""
        who = await run_in_threadpool(identify, given)
        queue = fanout.attach(last_event_id)
        log.info("%s follows the event stream", who.machine.name)

        def still_allowed() -> bool:
            try:
                with store.read() as s:
                    machines.authenticate(s, token)
                return True
            except MachineRefused:
                return False

        token = given.machine  # re-checked on each heartbeat

        async def stream() -> AsyncIterator[str]:
            try:
                yield ": connected\n\n"
                while True:
                    try:
                        frame = await asyncio.wait_for(queue.get(), HEARTBEAT_S)
                    except TimeoutError:
                        if not await run_in_threadpool(still_allowed):
                            log.warning("%s revoked: event stream closed", who.machine.name)
                            return
                        yield ": ping\n\n"
                        continue
                    if frame is None:
                        return
                    yield frame
            finally:
                fanout.detach(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    for op in operations().values():
        _add_operation(app, office, op, credentials, identify, answers)
    return app


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()]


def _add_operation(app: FastAPI, office: LocalOffice, op: RemoteOp, credentials: Callable[..., Any],
                   identify: Callable[[Credentials], Caller], answers: Answers) -> None:

    def run(who: Caller, args: BaseModel) -> Any:
        values = {name: getattr(args, name) for name in type(args).model_fields}
        actor = actor_for(op, who, values)
        if actor is not None:
            values["actor"] = actor
        if op.name == "import_catalog":
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "catalog.json"
                path.write_text(values.pop("content"), encoding="utf-8")
                return office.import_catalog(path, actor=values["actor"])
        return getattr(office, op.name)(**values)

    def answer(who: Caller, args: BaseModel) -> tuple[int, bytes]:
        try:
            return 200, op.answer.dump_json(run(who, args))
        except OfficeError as exc:
            log.warning("%s by %s refused: %s", op.name, who.name, exc)
            return error_answer(exc)

    async def endpoint(args: op.args,  # type: ignore[name-defined]
                       given: Annotated[Credentials, Depends(credentials)],
                       idempotency_key: Annotated[str | None, Header(max_length=MAX_KEY)] = None) -> Response:
        return await run_in_threadpool(handle, given, args, idempotency_key)

    def handle(given: Credentials, args: BaseModel, idempotency_key: str | None) -> Response:
        """All of one request on one worker thread: who it is, then the operation."""
        who = identify(given)
        if not op.writes or not idempotency_key:
            status, body = answer(who, args)
            return Response(body, status_code=status, media_type="application/json")
        prior = answers.get(idempotency_key)
        if prior is None:
            try:
                with idempotency.pending(idempotency_key, machine=who.machine.name, operation=op.name,
                                         at=office._now()) as request:
                    status, body = answer(who, args)
            except IntegrityError:  # the same key at the same instant from a second connection
                prior = answers.get(idempotency_key)
                if prior is None:
                    raise
            else:
                if request.recorded:
                    answers.put(idempotency_key, status, body)
                return Response(body, status_code=status, media_type="application/json")
        machine, operation, prior_status, prior_body = prior
        if machine != who.machine.name or operation != op.name:
            raise InvalidInput(f"idempotency key {idempotency_key} reused for {op.name} by {who.machine.name}",
                               "Mã yêu cầu đã được dùng cho một thao tác khác.")
        if prior_status is None or prior_body is None:
            raise AlreadyDone(f"{op.name} {idempotency_key} was carried out; its answer was not kept",
                              "Yêu cầu này đã được thực hiện trước đó. Xin tải lại để xem kết quả.")
        log.info("%s from %s answered again for key %s", op.name, who.machine.name, idempotency_key)
        return Response(prior_body, status_code=prior_status, media_type="application/json",
                        headers={"Idempotent-Replay": "true"})

    app.add_api_route(
        f"/api/ops/{op.name}", endpoint, methods=["POST"], name=op.name, operation_id=op.name,
        response_model=op.returns, responses=ERRORS, tags=["writes" if op.writes else "reads"],
        summary=op.name.replace("_", " "), description=op.doc or None,
    )
