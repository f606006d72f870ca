"""The city centre's HTTP API (FastAPI). Stateless: any number of workers may run behind a load balancer.

Every request carries `Authorization: Bearer <token>`: a hub's token writes and reads only its own
office's dossiers; an operator's token (agency "*") drives the city-side actions and the export.
"""

# No `from __future__ import annotations` here: FastAPI reads the dependencies from the annotations of
# functions defined inside `create_app`, which only evaluated annotations can see.
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from counter_app.errors import InvalidInput, TooLarge
from counter_app.hub.gate import OPEN, Gate
from counter_app.rules.clock import now
from counter_app.rules.text import check_all
from sync.protocol import (
    CHANGES_LIMIT,
    MAX_BYTES,
    STORED_OPS_LIMIT,
    CatalogResponse,
    ChainHeadsResponse,
    ChangesResponse,
    Health,
    LookupKeyResponse,
    PointSnapshot,
    PushRequest,
    PushResponse,
    RestoredRequest,
    RestoredResponse,
    StoredOpsResponse,
)
from sync.server import crud, export, lookup, points
from sync.server.live_view import add_live_view
from sync.server.models import Credential
from sync.server.pages import add_lookup_pages

log = logging.getLogger(__name__)


class CityAction(BaseModel):
    reason: str = ""
    results: list[str] = []
    actor: str = ""


class CatalogIn(BaseModel):
    version: str
    catalog: dict


class Refused(Exception):
    """Refused at the door, before the body is read."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


CATALOG_BYTES = 16 * 1024 * 1024
SMALL_BYTES = 64 * 1024
SINCE_MAX = 2**62  # a change's sequence number is a PostgreSQL bigint
HEADS_LIMIT = 5000


def _refusal(exc: Exception) -> tuple[int, bytes]:
    status = exc.status if isinstance(exc, Refused) else 413 if isinstance(exc, TooLarge) else 400
    return status, json.dumps({"detail": str(exc)}).encode()


def door(engine: Engine) -> tuple[Callable[[str, Callable[[bytes], str]], object], Callable[[str], int]]:
    """Who may come in (a hub to /v1/sync and /v1/catalog, an operator to /v1/admin) and how much they may send."""

    def admit(path: str, header: Callable[[bytes], str]) -> object:
        needed = "admin" if path.startswith("/v1/admin/") else "hub" if path.startswith("/v1/") else None
        if needed is None:
            return OPEN  # health and the API's description
        token = header(b"authorization").removeprefix("Bearer ").strip()
        with Session(engine) as s:
            found = crud.credential_of(s, token) if token else None
        if found is None:
            raise Refused(401, "unknown or revoked credential")
        if found.role != needed:
            raise Refused(403, f"{'an operator' if needed == 'admin' else 'a hub'} credential is needed")
        return found

    def limit(path: str) -> int:
        return MAX_BYTES if path == "/v1/sync/push" else CATALOG_BYTES if path == "/v1/admin/catalog" else SMALL_BYTES

    return admit, limit


def create_app(engine: Engine, *, clock: Callable[[], datetime] = now) -> FastAPI:
    app = FastAPI(title="Một cửa — city centre sync", version="1")
    admit, limit = door(engine)
    app.add_middleware(Gate, admit=admit, limit=limit, refuse=_refusal, refusals=(Refused,))

    def session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    SessionDep = Annotated[Session, Depends(session)]

    def credential(request: Request, _authorization: Annotated[str, Header(alias="Authorization")] = "") -> Credential:
        """The credential the door found, its role already checked against the path (the header is declared
        here for the API's description)."""
        return request.state.caller

    @app.get("/health")
    def health() -> Health:
        return Health(server_time=clock())

    @app.get("/v1/sync/lookup-key")
    def lookup_key(cred: Annotated[Credential, Depends(credential)]) -> LookupKeyResponse:
        """The office's key for its receipts' QR check (made on the first asking)."""
        with Session(engine) as s, s.begin():
            return LookupKeyResponse(key=lookup.key_for(s, cred.agency_code, clock()).hex())

    add_lookup_pages(app, engine, clock)
    add_live_view(app, engine, clock)

    @app.post("/v1/sync/snapshot", status_code=204)
    def snapshot(value: PointSnapshot, cred: Annotated[Credential, Depends(credential)]) -> None:
        """The hub's queue and outbox as it ends a round: the live view's "now" and its link column."""
        with Session(engine) as s, s.begin():
            points.hear(s, cred.agency_code, value, clock())

    @app.post("/v1/sync/push", response_model=PushResponse)
    def push(batch: PushRequest, cred: Annotated[Credential, Depends(credential)]) -> JSONResponse:
        """At most `MAX_BYTES`, enforced by the door as the body streams in."""
        results, conflict = crud.apply_batch(engine, cred.agency_code, batch.ops, clock())
        if batch.chain_head is not None:
            with Session(engine) as s, s.begin():
                crud.anchor_head(s, cred.agency_code, batch.chain_head, clock())
        body = PushResponse(results=results).model_dump(mode="json")
        return JSONResponse(body, status_code=409 if conflict else 200)

    @app.get("/v1/sync/changes")
    def changes(s: SessionDep, cred: Annotated[Credential, Depends(credential)],
                since: Annotated[int, Query(ge=0, le=SINCE_MAX)] = 0,
                limit: Annotated[int, Query(ge=1, le=CHANGES_LIMIT)] = CHANGES_LIMIT) -> ChangesResponse:
        rows = crud.changes_since(s, cred.agency_code, since, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return ChangesResponse(changes=rows, next_since=rows[-1].seq if rows else since, more=more)

    @app.get("/v1/sync/ops")
    def stored_ops(s: SessionDep, cred: Annotated[Credential, Depends(credential)], since: datetime,
                   after_op: Annotated[str, Query(max_length=64)] = "",
                   limit: Annotated[int, Query(ge=1, le=STORED_OPS_LIMIT)] = STORED_OPS_LIMIT) -> StoredOpsResponse:
        """The caller's own ops as the city received them from `since` on (to rebuild a restored store)."""
        if since.tzinfo is None:
            raise HTTPException(422, "since needs its UTC offset")
        rows = crud.stored_ops(s, cred.agency_code, since, after_op, limit + 1)
        return StoredOpsResponse(ops=rows[:limit], more=len(rows) > limit)

    @app.post("/v1/sync/restored")
    def restored(value: RestoredRequest, cred: Annotated[Credential, Depends(credential)]) -> RestoredResponse:
        """The caller restored a backup: the heads after its log's end are set aside, kept for the operator."""
        with Session(engine) as s, s.begin():
            return RestoredResponse(superseded=crud.restored(s, cred.agency_code, value.head, clock()))

    @app.get("/v1/sync/chain-heads")
    def chain_heads(s: SessionDep, cred: Annotated[Credential, Depends(credential)],
                    after: Annotated[int, Query(ge=0, le=SINCE_MAX)] = 0,
                    limit: Annotated[int, Query(ge=1, le=HEADS_LIMIT)] = HEADS_LIMIT) -> ChainHeadsResponse:
        """The heads of the caller's own event log that the city keeps, in order (to check the log against)."""
        rows = crud.anchored_heads(s, cred.agency_code, after, limit + 1)
        return ChainHeadsResponse(heads=rows[:limit], more=len(rows) > limit)

    @app.get("/v1/admin/offices/{agency}/chain-heads")
    def office_chain_heads(agency: str, s: SessionDep, _cred: Annotated[Credential, Depends(credential)],
                           after: Annotated[int, Query(ge=0, le=SINCE_MAX)] = 0,
                           limit: Annotated[int, Query(ge=1, le=HEADS_LIMIT)] = HEADS_LIMIT) -> ChainHeadsResponse:
        """Any office's anchored heads, for an operator checking an office's log or its backup."""
        rows = crud.anchored_heads(s, agency, after, limit + 1)
        return ChainHeadsResponse(heads=rows[:limit], more=len(rows) > limit)

    @app.get("/v1/catalog")
    def catalog(s: SessionDep, _cred: Annotated[Credential, Depends(credential)], have: str = "") -> CatalogResponse:
        latest = crud.latest_catalog(s)
        if latest is None:
            raise HTTPException(404, "no catalog published yet")
        return CatalogResponse(version=latest.version, catalog=None if latest.version == have else latest.body)

    @app.post("/v1/admin/dossiers/{code}/{action}")
    def act(code: str, action: str, value: CityAction, s: SessionDep,
            cred: Annotated[Credential, Depends(credential)]) -> dict:
        try:
            check_all(value.model_dump())
        except InvalidInput as exc:
            raise HTTPException(400, str(exc)) from None
        try:
            d = crud.city_action(s, code, action, at=clock(), actor=value.actor or cred.label,
                                 reason=value.reason, results=value.results)
            s.commit()
            return {"code": d.code, "status": d.status}
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from None
        except ValueError as exc:
            raise HTTPException(409, str(exc)) from None

    @app.post("/v1/admin/catalog")
    def publish(value: CatalogIn, s: SessionDep, _cred: Annotated[Credential, Depends(credential)]) -> dict:
        crud.publish_catalog(s, value.version, value.catalog, clock())
        s.commit()
        return {"version": value.version}

    @app.get("/v1/admin/export")
    def export_records(s: SessionDep, _cred: Annotated[Credential, Depends(credential)],
                       agency: str = "") -> list[dict]:
        return export.national_records(s, agency_code=agency)

    return app
