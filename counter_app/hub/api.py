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
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from counter_app import machines
from counter_app.errors import AlreadyDone, KeyReused, MachineRefused, OfficeError
from counter_app.hub import idempotency, policy
from counter_app.hub.answers import Answers
from counter_app.hub.events import Fanout
from counter_app.hub.gate import OPS, Gate, hub_door, limit_of
from counter_app.hub.operations import Answer, Handle, Operations, error_details, unprocessable
from counter_app.hub.policy import Caller, actor_for
from counter_app.hub.refusals import ERRORS, ErrorBody, error_answer
from counter_app.local.office import LocalOffice
from counter_app.remote_ops import RemoteOp, operations
from counter_app.rules import text

log = logging.getLogger(__name__)

# A comment line on a quiet stream: clients notice a dead hub, the hub a revoked machine.
HEARTBEAT_S = float(os.environ.get("COUNTER_HUB_HEARTBEAT_S", "10"))
MAX_KEY = 100


class Health(BaseModel):
    ok: bool
    boot: str  # changes each time the hub starts
    listeners: int


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

    async def credentials(request: Request,
                          _machine: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
                          _session: Annotated[str | None, Security(clerk)]) -> Caller:
        """The caller the gate admitted (the headers are declared here for the API's description)."""
        return request.state.caller

    def check(operation: str | None, machine_token: str, session_token: str) -> Caller:
        """Looked up on every request, before its body is read, so a revocation counts at once."""
        return policy.admit(store.peek, operation, machine_token, session_token, office._now())

    admit, limit = hub_door(check)

    @app.exception_handler(OfficeError)
    async def _office_error(_request: Request, exc: OfficeError) -> Response:
        log.warning("refused: %s", exc)
        status, body = error_answer(exc)
        return Response(body, status_code=status, media_type="application/json")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        log.warning("HTTP %d: %s", exc.status_code, exc.detail)
        body = ErrorBody(kind="HTTPException", message_en=str(exc.detail),
                         message_vi="Yêu cầu gửi tới máy chủ văn phòng không hợp lệ.")
        return Response(body.model_dump_json(), status_code=exc.status_code, media_type="application/json",
                        headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        status, body, _ = unprocessable(request.url.path, error_details(exc.errors()))  # the event stream's header
        return Response(body, status_code=status, media_type="application/json")

    @app.get("/api/health", response_model=Health, tags=["hub"])
    def health() -> Health:
        """Whether the hub answers; no token needed."""
        return Health(ok=True, boot=fanout.boot, listeners=fanout.listeners)

    @app.get("/api/events", tags=["hub"], response_class=StreamingResponse, responses={
        200: {"content": {"text/event-stream": {}}, "description": "server-sent events: `office` and `resync`"},
        **ERRORS})
    async def events(request: Request, who: Annotated[Caller, Depends(credentials)],
                     last_event_id: Annotated[str, Header(alias="Last-Event-ID", max_length=64)] = ""
                     ) -> StreamingResponse:
        """Live office events as server-sent events, each `{"type": ..., fields}` (see `counter_app.events`)."""
        queue = fanout.attach(last_event_id)
        log.info("%s follows the event stream", who.machine.name)

        def still_allowed() -> bool:
            try:
                machines.authenticate(store.peek, token)
                return True
            except MachineRefused:
                return False

        token = request.headers.get("authorization", "").partition(" ")[2].strip()  # re-checked each heartbeat

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

    ops = operations()
    app.add_middleware(Operations, ops=ops, handle=_handler(office, answers), max_key=MAX_KEY)
    # Outermost: it decides before Operations reads a byte. On the event loop: two lookups by key in the
    # store's small machine and session tables, read in WAL mode (never waiting for a writer), cost less
    # than the hop to a worker thread and back.
    app.add_middleware(Gate, admit=admit, limit=limit, inline=True)
    _describe(app, ops.values(), credentials)
    return app


def _handler(office: LocalOffice, answers: Answers) -> Handle:
    def run(op: RemoteOp, who: Caller, args: BaseModel) -> Any:
        values = {name: getattr(args, name) for name in type(args).model_fields}
        actor = actor_for(op, who, values)
        if actor is not None:
            values["actor"] = actor
        if op.name == "sign_in":
            values["machine"] = who.machine.name  # the session works from this machine only
        if op.name == "import_catalog":
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "catalog.json"
                path.write_text(values.pop("content"), encoding="utf-8")
                return office.import_catalog(path, actor=values["actor"])
        return getattr(office, op.name)(**values)

    def answer(op: RemoteOp, who: Caller, args: BaseModel) -> tuple[int, bytes]:
        try:
            return 200, op.answer.dump_json(run(op, who, args))
        except OfficeError as exc:
            log.warning("%s by %s refused: %s", op.name, who.name, exc)
            return error_answer(exc)

    def handle(op: RemoteOp, who: Caller, args: BaseModel, idempotency_key: str | None) -> Answer:
        """The operation, on one worker thread (the gate already knows who it is and that they may)."""
        # NUL, lone surrogates, direction overrides, endless strings: refused before the office sees them
        text.check_all(args.model_dump(mode="json"),
                       max_len=limit_of(op.name) if op.name == "import_catalog" else text.ANY_TEXT_MAX)
        if not op.writes or not idempotency_key:
            return *answer(op, who, args), []
        asked = idempotency.request_hash(who.machine.name, who.session.username if who.session else "", op.name,
                                         args.model_dump_json())
        prior = answers.get(idempotency_key)
        if prior is None:
            try:
                with idempotency.pending(idempotency_key, machine=who.machine.name, operation=op.name,
                                         request_hash=asked, at=office._now()) as request:
                    status, body = answer(op, who, args)
            except IntegrityError:  # the same key at the same instant from a second connection
                prior = answers.get(idempotency_key)
                if prior is None:
                    raise
            else:
                if request.recorded:
                    answers.put(idempotency_key, status, body)
                return status, body, []
        prior_hash, prior_status, prior_body = prior
        if prior_hash != asked:
            raise KeyReused(f"key {idempotency_key} for {op.name} by {who.name} at {who.machine.name}")
        if prior_status is None or prior_body is None:
            raise AlreadyDone(f"{op.name} {idempotency_key} was carried out; its answer was not kept",
                              "Yêu cầu này đã được thực hiện trước đó. Xin tải lại để xem kết quả.")
        log.info("%s from %s answered again for key %s", op.name, who.machine.name, idempotency_key)
        return prior_status, prior_body, [(b"idempotent-replay", b"true")]

    return handle


def _describe(app: FastAPI, ops: Iterable[RemoteOp], credentials: Callable[..., Any]) -> None:
    """The API's description (`/openapi.json`, `/docs`): the app's own routes and every operation, as FastAPI
    words them. `Operations` serves the operations; these routes only describe them."""
    described = FastAPI(title=app.title, version=app.version, description=app.description)
    described.router.routes.extend(app.router.routes)
    for op in ops:
        async def endpoint(args: op.args,  # type: ignore[name-defined]
                           who: Annotated[Caller, Depends(credentials)],
                           idempotency_key: Annotated[str | None, Header(max_length=MAX_KEY)] = None) -> Response:
            raise AssertionError("served by Operations")  # pragma: no cover

        described.add_api_route(
            f"{OPS}{op.name}", endpoint, methods=["POST"], name=op.name, operation_id=op.name,
            response_model=op.returns, responses=ERRORS, tags=["writes" if op.writes else "reads"],
            summary=op.name.replace("_", " "), description=op.doc or None,
        )
    app.openapi = described.openapi  # type: ignore[method-assign]
