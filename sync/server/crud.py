"""Every query of the city server: credentials, applying pushed ops, the change feed, city actions, catalog.

Each pushed op is keyed by its op id (INSERT … ON CONFLICT DO NOTHING) and decided on its own: the same
id and hash again gets the stored result; the same id with another hash is a conflict; an op that
cannot be applied is stored as rejected, with its reason, and does not stop the others. A push is
committed as one transaction before its results are answered (see `apply_batch`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from counter_app.errors import InvalidInput
from counter_app.rules.clock import TZ
from counter_app.rules.lifecycle import Action, Status, allowed
from counter_app.rules.rating import CHOICES, RATING_OP, REASONS
from counter_app.rules.redact import describe
from counter_app.rules.text import check_all
from sync.protocol import AnchoredHead, ChainHead, Change, OpIn, OpResult, StoredOp
from sync.server import tally
from sync.server.models import (
    CatalogVersion,
    ChainAnchor,
    ChangeRow,
    CityDossier,
    Credential,
    ReceivedOp,
    SupersededAnchor,
)

log = logging.getLogger(__name__)

# Hub actions about processing: once the city has acted on a dossier, processing status is the city's.
PROCESSING_KINDS = {"start_processing", "hand_over", "result_ready", "stop", "request_fees"}
CITY_ACTIONS = {"start_processing": Action.START_PROCESSING, "request_supplement": Action.REQUEST_SUPPLEMENT,
                "result_ready": Action.RESULT_READY, "stop": Action.STOP}
# What one bad op can raise while it is applied; it is then stored as rejected. Anything else (the
# database gone, say) fails the request and the hub sends it again later.
POISON = (ValueError, TypeError, KeyError, AttributeError, OverflowError, DataError, IntegrityError)
RESCHEDULE_OP = "reschedule"  # the office moved the appointment with an apology (the law's date stays)
CHANGE_LOCK = 7_305_001  # serialises change inserts so seq order is commit order (no cursor skips a row)


class Rejected(Exception):
    def __init__(self, reason: str, reason_vi: str) -> None:
        super().__init__(reason)
        self.reason, self.reason_vi = reason, reason_vi


class Conflict(Exception):
    """The op id was used before with another payload."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- credentials
def create_credential(session: Session, *, agency_code: str, role: str, label: str, at: datetime) -> str:
    """A new token for an office's hub (or an operator, agency "*"); only its hash is stored."""
    token = secrets.token_urlsafe(32)
    session.add(Credential(agency_code=agency_code, role=role, label=label, token_hash=token_hash(token),
                           created_at=at))
    return token


def revoke_credentials(session: Session, *, agency_code: str, at: datetime) -> int:
    rows = session.scalars(select(Credential).where(Credential.agency_code == agency_code,
                                                    Credential.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = at
    return len(rows)


def credential_of(session: Session, token: str) -> Credential | None:
    row = session.scalars(select(Credential).where(Credential.token_hash == token_hash(token))).first()
    return row if row is not None and row.revoked_at is None else None


# --- pushed ops
HELD_REASON = "an earlier op of this dossier was rejected"
EARLIEST = datetime(2025, 7, 1, tzinfo=TZ)  # communes took these procedures over on 1 July 2025
DUE_AHEAD = timedelta(days=2 * 365)  # an appointment (rescheduled too) is never years away


def apply_batch(engine: Engine, agency_code: str, ops: list[OpIn], at: datetime) -> tuple[list[OpResult], bool]:
    """Apply a push; return each op's result (in order) and whether any op id came with another payload.

    Every op is keyed by its op id and decided on its own: a repeat with the same hash gets "duplicate",
    the same id with another hash is a conflict, an op that cannot be applied is stored as rejected with
    its reason, and the later ops of that dossier in the same push are "held" (not looked at). An op
    stored as rejected is tried again when it comes again with the same hash: the hub re-sends it only
    after someone fixed the cause.

    The whole push is one transaction (one commit, a handful of statements): the hub gets the results
    only after the commit, so what it sees is what per-op transactions would give, about seven times
    faster (benchmarks/bench_sync.py). If the database refuses the batch's writes (a value it cannot
    store), the ops are applied again one by one, so only the op at fault is rejected.
    """
    try:
        with Session(engine) as session, session.begin():
            return _apply_batch(session, agency_code, ops, at)
    except (DataError, IntegrityError) as exc:
        log.warning("push from %s: the database refused the batch (%s); applying its ops one by one",
                    agency_code, type(exc).__name__)
    results: list[OpResult] = []
    conflict, stopped = False, set[str]()
    for op in ops:
        if op.dossier_code in stopped:
            results.append(OpResult(op_id=op.op_id, result="held", reason=HELD_REASON))
            continue
        try:
            with Session(engine) as session, session.begin():
                (result,), clash = _apply_batch(session, agency_code, [op], at)
        except (DataError, IntegrityError) as exc:
            log.error("op %s of %s could not be stored: %s", op.op_id, op.dossier_code, describe(exc))
            result, clash = OpResult(op_id=op.op_id, result="rejected", reason=f"the city could not store it: "
                                     f"{type(exc).__name__}"[:500], reason_vi=COULD_NOT_APPLY_VI), False
        conflict |= clash
        if result.result == "rejected":
            stopped.add(op.dossier_code)
        results.append(result)
    return results, conflict


COULD_NOT_APPLY_VI = "Máy chủ thành phố không xử lý được thao tác này; đã báo kỹ thuật viên."
_DOSSIER = CityDossier.__table__
_OPS = ReceivedOp.__table__


def _insert_new_ops(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the ops whose ids are new (INSERT … ON CONFLICT DO NOTHING); the ids this call inserted."""
    if not rows:
        return set()
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    stmt = insert(_OPS).on_conflict_do_nothing(index_elements=["agency_code", "op_id"]).returning(_OPS.c.op_id)
    return set(session.execute(stmt, rows).scalars())  # "insertmanyvalues": compiled once, sent in one go


def _apply_batch(session: Session, agency_code: str, ops: list[OpIn], at: datetime) -> tuple[list[OpResult], bool]:
    first = {op.op_id: op for op in reversed(ops)}  # an id twice in one push: the first one counts
    inserted = _insert_new_ops(session, [
        {"op_id": op.op_id, "agency_code": agency_code, "dossier_code": op.dossier_code, "kind": op.kind,
         "sha256": op.sha256, "payload": op.payload, "result": "ok", "reason": "", "reason_vi": "",
         "received_at": at} for op in first.values()])
    others = [op_id for op_id in first if op_id not in inserted]
    stored = {r.op_id: r for r in session.execute(
        select(_OPS.c.op_id, _OPS.c.sha256, _OPS.c.result).where(_OPS.c.agency_code == agency_code,
                                                                 _OPS.c.op_id.in_(others))
        .order_by(_OPS.c.op_id).with_for_update())} if others else {}
    codes = sorted({op.dossier_code for op in ops})
    dossiers = {r["code"]: dict(r) for r in session.execute(
        select(_DOSSIER).where(_DOSSIER.c.code.in_(codes)).order_by(_DOSSIER.c.code).with_for_update()).mappings()}
    known, changed = set(dossiers), set[str]()
    before = {c: dict(row) for c, row in dossiers.items()}  # the live view's counts move by the difference
    results: list[OpResult] = []
    outcome: dict[str, dict[str, Any]] = {}  # op id -> its stored result when it must change
    conflict, stopped, seen = False, set[str](), set[str]()
    for op in ops:
        if op.op_id in seen or (op.op_id in stored and stored[op.op_id].sha256 == op.sha256
                                and stored[op.op_id].result == "ok"):
            results.append(OpResult(op_id=op.op_id, result="duplicate"))
            continue
        seen.add(op.op_id)
        if op.op_id in stored and stored[op.op_id].sha256 != op.sha256:
            conflict = True
            stopped.add(op.dossier_code)
            log.warning("push from %s: op %s was received before with another payload", agency_code, op.op_id)
            results.append(OpResult(op_id=op.op_id, result="rejected",
                                    reason=f"op {op.op_id} was received before with another payload",
                                    reason_vi="Mã thao tác đã được dùng cho dữ liệu khác."))
            continue
        if op.dossier_code in stopped:
            results.append(OpResult(op_id=op.op_id, result="held", reason=HELD_REASON))
            continue
        try:
            _apply(dossiers, agency_code, op, at)
            if op.dossier_code in dossiers:  # a rating names no dossier
                changed.add(op.dossier_code)
            if op.op_id in stored:  # a rejected op sent again, now applied
                outcome[op.op_id] = {"result": "ok", "reason": "", "reason_vi": "", "payload": op.payload}
            results.append(OpResult(op_id=op.op_id, result="ok"))
        except (Rejected, *POISON) as exc:
            if not isinstance(exc, Rejected):  # a bug here or a value we cannot read: this op only
                log.error("op %s of %s could not be applied: %s", op.op_id, op.dossier_code, describe(exc))
                exc = Rejected(f"the city could not apply it: {describe(exc)}"[:500], COULD_NOT_APPLY_VI)
            log.warning("op %s of %s (%s) rejected: %s", op.op_id, op.dossier_code, agency_code, exc.reason)
            stopped.add(op.dossier_code)
            outcome[op.op_id] = {"result": "rejected", "reason": exc.reason, "reason_vi": exc.reason_vi,
                                 "payload": op.payload}
            results.append(OpResult(op_id=op.op_id, result="rejected", reason=exc.reason, reason_vi=exc.reason_vi))
    held = [r.op_id for r in results if r.result == "held" and r.op_id in inserted]
    if held:  # not looked at: stored only when it is applied (or rejected) on a later push
        session.execute(delete(_OPS).where(_OPS.c.agency_code == agency_code, _OPS.c.op_id.in_(held)))
    tally.add(session, agency_code, tally.difference((before.get(c), dossiers[c]) for c in sorted(changed)))
    new = [dossiers[c] for c in sorted(changed - known)]
    if new:
        session.execute(insert(_DOSSIER), new)
    updates = [{**dossiers[c], "b_code": c} for c in sorted(changed & known)]
    if updates:
        session.execute(update(_DOSSIER).where(_DOSSIER.c.code == bindparam("b_code")).values(
            {k: bindparam(k) for k in ("status", "due_at", "returned_at", "hub_event_seq", "updated_at",
                                       "reception_at", "legal_due_at", "settled_at", "status_at")}), updates)
    if outcome:
        session.execute(update(_OPS).where(_OPS.c.agency_code == agency_code,
                                           _OPS.c.op_id == bindparam("b_op_id")).values(
            {k: bindparam(k) for k in ("result", "reason", "reason_vi", "payload")}).values(received_at=at),
            [{**v, "b_op_id": k} for k, v in outcome.items()])
    return results, conflict


def _parse(agency_code: str, op: OpIn) -> dict[str, Any]:
    if hashlib.sha256(op.payload.encode("utf-8")).hexdigest() != op.sha256:
        raise Rejected("payload does not match its sha256", "Dữ liệu gửi lên bị hỏng (mã kiểm tra không khớp).")
    try:
        payload = json.loads(op.payload)
    except json.JSONDecodeError:
        raise Rejected("payload is not JSON", "Dữ liệu gửi lên không đúng định dạng.") from None
    if not isinstance(payload, dict):
        raise Rejected("payload is not an object", "Dữ liệu gửi lên không đúng định dạng.")
    for field, value in (("op_id", op.op_id), ("kind", op.kind), ("dossier_code", op.dossier_code)):
        if payload.get(field) != value:
            raise Rejected(f"payload {field} differs from the envelope", "Dữ liệu gửi lên không nhất quán.")
    if payload.get("agency") != agency_code or not op.dossier_code.startswith(agency_code + "-"):
        raise Rejected(f"office {agency_code} may not write dossier {op.dossier_code}",
                       f"Văn phòng {agency_code} không được ghi hồ sơ {op.dossier_code} của đơn vị khác.")
    if op.kind == RATING_OP:
        _check_rating(payload.get("rating"))
    elif not isinstance(payload.get("to"), int) or payload["to"] not in {int(s) for s in Status}:
        raise Rejected("payload has no valid status", "Dữ liệu gửi lên thiếu trạng thái hồ sơ hợp lệ.")
    try:
        check_all(payload)  # NUL, lone surrogates, direction overrides, endless strings
    except InvalidInput as exc:
        raise Rejected(f"payload refused: {exc}", "Dữ liệu gửi lên có ký tự không hợp lệ hoặc quá dài.") from None
    return payload


def _check_rating(rating: Any) -> None:
    """A citizen's rating as an office sends it: kept as received (the city's reports read it), never applied."""
    if (not isinstance(rating, dict) or rating.get("choice") not in CHOICES
            or not isinstance(rating.get("counter"), int)):
        raise Rejected("rating without a valid choice or counter", "Đánh giá gửi lên không hợp lệ.")
    reasons = rating.get("reasons")
    if not isinstance(reasons, list) or any(r not in REASONS for r in reasons):
        raise Rejected("rating with unknown reasons", "Đánh giá gửi lên có lý do không hợp lệ.")


def _when(value: Any, at: datetime, *, ahead: timedelta = timedelta(days=1)) -> datetime | None:
    """A time of the payload, refused unless it falls between the two-level government and `at` + `ahead`."""
    if value is None or value == "":
        return None
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise Rejected(f"time {value!r} is not an ISO 8601 time with its offset",
                       "Dữ liệu gửi lên có thời điểm không hợp lệ.")
    if not EARLIEST <= when <= at + ahead:
        raise Rejected(f"time {value!r} is outside {EARLIEST:%Y-%m-%d} .. {at + ahead:%Y-%m-%d}",
                       "Dữ liệu gửi lên có thời điểm không hợp lý (trước 1/7/2025 hoặc quá xa trong tương lai).")
    return when


def _apply(dossiers: dict[str, dict[str, Any]], agency_code: str, op: OpIn, at: datetime) -> None:
    """Apply one op to the batch's dossiers (rows as dicts); raises `Rejected` before changing anything."""
    payload = _parse(agency_code, op)
    if op.kind == RATING_OP:
        return  # stored with the ops received; it changes no dossier
    dossier = dossiers.get(op.dossier_code)
    snapshot = payload.get("dossier")
    if snapshot is not None:
        if dossier is not None:
            raise Rejected(f"dossier {op.dossier_code} was already received",
                           f"Hồ sơ {op.dossier_code} đã được gửi lên trước đó.")
        if not isinstance(snapshot, dict):
            raise Rejected("the intake snapshot is not an object", "Dữ liệu gửi lên không đúng định dạng.")
        received = _when(snapshot.get("received_at"), at) or _when(payload.get("at"), at) or at
        due_at = _when(payload.get("due_at"), at, ahead=DUE_AHEAD)
        happened = _when(payload.get("at"), at) or received
        channel = snapshot.get("channel")
        dossiers[op.dossier_code] = {
            "code": op.dossier_code, "agency_code": agency_code, "status": payload["to"], "intake": snapshot,
            "received_at": received, "due_at": due_at, "returned_at": None, "results": {},
            "hub_event_seq": int(payload.get("event_seq") or 0), "updated_at": at,
            "channel": channel if channel in tally.RECEIVED else 1, "legal_due_at": due_at,
            "reception_at": happened if op.kind in tally.RECEPTION_OPS else None,
            "settled_at": happened if payload["to"] in tally.SETTLED else None, "status_at": happened}
        return
    if dossier is None:
        raise Rejected(f"dossier {op.dossier_code} is unknown (its intake has not arrived)",
                       f"Thành phố chưa có hồ sơ {op.dossier_code} (chưa nhận được bản tiếp nhận).")
    if dossier["results"].get("city_owned") and op.kind in PROCESSING_KINDS:
        log.info("op %s (%s) kept but not applied: the city owns processing of %s", op.op_id, op.kind, op.dossier_code)
        return
    due_at = _when(payload.get("due_at"), at, ahead=DUE_AHEAD) if "due_at" in payload else dossier["due_at"]
    happened = _when(payload.get("at"), at) or at
    returned_at = happened if op.kind == "return_result" else dossier["returned_at"]
    event_seq = max(dossier["hub_event_seq"], int(payload.get("event_seq") or 0))
    status = payload["to"]
    if op.kind in tally.RECEPTION_OPS and dossier["reception_at"] is None:
        dossier["reception_at"] = happened  # registered online, or completed after intake: taken in now
    if due_at != dossier["due_at"] and op.kind != RESCHEDULE_OP:  # an apology's new date is not the law's
        dossier["legal_due_at"] = due_at
    if status in tally.SETTLED and dossier["settled_at"] is None:
        dossier["settled_at"] = happened
    if status != dossier["status"]:
        dossier["status_at"] = happened
    dossier.update(status=status, due_at=due_at, returned_at=returned_at, hub_event_seq=event_seq, updated_at=at)


# --- the change feed and what the city does
def _add_change(session: Session, *, agency_code: str, kind: str, dossier_code: str, body: dict[str, Any],
                at: datetime) -> ChangeRow:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_LOCK})
    row = ChangeRow(agency_code=agency_code, kind=kind, dossier_code=dossier_code, body=body, at=at)
    session.add(row)
    session.flush()
    return row


# --- the offices' chain heads
def anchor_head(session: Session, agency_code: str, head: ChainHead, at: datetime) -> bool:
    """Keep the office's chain head; False (and an error in the log) if another hash was kept for that sequence."""
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    table = ChainAnchor.__table__
    session.execute(insert(table).on_conflict_do_nothing(index_elements=["agency_code", "seq"]),
                    [{"agency_code": agency_code, "seq": head.seq, "hash": head.hash, "received_at": at}])
    kept = session.scalar(select(ChainAnchor.hash).where(ChainAnchor.agency_code == agency_code,
                                                         ChainAnchor.seq == head.seq))
    if kept != head.hash:
        log.error("office %s: event %d now has another hash than the one anchored: its log was rewritten",
                  agency_code, head.seq)
        return False
    return True


def anchored_heads(session: Session, agency_code: str, after: int, limit: int) -> list[AnchoredHead]:
    rows = session.scalars(select(ChainAnchor).where(ChainAnchor.agency_code == agency_code, ChainAnchor.seq > after)
                           .order_by(ChainAnchor.seq).limit(limit)).all()
    return [AnchoredHead(seq=r.seq, hash=r.hash, received_at=r.received_at) for r in rows]


def restored(session: Session, agency_code: str, head: ChainHead | None, at: datetime) -> int:
    """The office restored a backup whose log ends at `head`: its heads after that are set aside (kept, not
    checked any more), and the heads up to it must match the backup (the caller checked them)."""
    after = head.seq if head is not None else 0
    table = ChainAnchor.__table__
    gone = session.execute(delete(table).where(table.c.agency_code == agency_code, table.c.seq > after)
                           .returning(table.c.seq, table.c.hash, table.c.received_at)).all()
    if gone:
        session.execute(insert(SupersededAnchor.__table__), [
            {"agency_code": agency_code, "seq": seq, "hash": hash_, "received_at": received, "superseded_at": at,
             "restored_head_seq": after} for seq, hash_, received in gone])
    log.warning("office %s restored a backup ending at event %d: %d later heads set aside", agency_code, after,
                len(gone))
    return len(gone)


def restores(session: Session, agency_code: str) -> list[tuple[datetime, int, int]]:
    """The office's restores the city heard of: when, where the restored log ended, how many heads went aside."""
    t = SupersededAnchor.__table__.c
    return [tuple(r) for r in session.execute(
        select(t.superseded_at, t.restored_head_seq, func.count()).where(t.agency_code == agency_code)
        .group_by(t.superseded_at, t.restored_head_seq).order_by(t.superseded_at))]


def stored_ops(session: Session, agency_code: str, since: datetime, after_op: str, limit: int) -> list[StoredOp]:
    """The office's ops the city received from `since` on, in order of receipt (keyset paging by op id)."""
    t = _OPS.c
    rows = session.execute(
        select(t.op_id, t.dossier_code, t.kind, t.payload, t.sha256, t.result, t.reason, t.reason_vi, t.received_at)
        .where(t.agency_code == agency_code,
               or_(t.received_at > since, and_(t.received_at == since, t.op_id > after_op)))
        .order_by(t.received_at, t.op_id).limit(limit)).mappings().all()
    return [StoredOp.model_validate(dict(r)) for r in rows]


def changes_since(session: Session, agency_code: str, since: int, limit: int) -> list[Change]:
    rows = session.scalars(select(ChangeRow).where(ChangeRow.seq > since,
                                                   ChangeRow.agency_code.in_([agency_code, "*"]))
                           .order_by(ChangeRow.seq).limit(limit)).all()
    return [Change(seq=r.seq, kind=r.kind, dossier_code=r.dossier_code, at=r.at, body=r.body) for r in rows]


def city_action(session: Session, code: str, action: str, *, at: datetime, actor: str, reason: str = "",
                results: list[str] | None = None) -> CityDossier:
    """A department acts on a dossier: the status changes here and flows down to its hub."""
    dossier = session.get(CityDossier, code, with_for_update=True)
    if dossier is None:
        raise LookupError(f"no dossier {code}")
    step = CITY_ACTIONS.get(action)
    if step is None:
        raise ValueError(f"unknown city action {action!r}")
    current = Status(dossier.status)
    if not allowed(step, current):
        raise ValueError(f"{action} not allowed from status {int(current)}")
    target = {"start_processing": Status.PROCESSING, "request_supplement": Status.SUPPLEMENT_REQUESTED,
              "result_ready": Status.RESULT_READY, "stop": Status.STOPPED}[action]
    before = {c: getattr(dossier, c) for c in tally.COLUMNS}
    dossier.status, dossier.status_at = int(target), at
    if target == Status.RESULT_READY and dossier.settled_at is None:
        dossier.settled_at = at
    tally.add(session, dossier.agency_code,
              tally.difference([(before, {c: getattr(dossier, c) for c in tally.COLUMNS})]))
    dossier.results = {**dossier.results, "city_owned": True,
                       **({"results": list(results)} if results else {})}
    dossier.updated_at = at
    _add_change(session, agency_code=dossier.agency_code, kind="dossier.status", dossier_code=code, at=at,
                body={"action": action, "status": int(target), "reason": reason, "results": list(results or []),
                      "actor": actor})
    return dossier


def publish_catalog(session: Session, version: str, body: dict[str, Any], at: datetime) -> None:
    session.merge(CatalogVersion(version=version, body=body, created_at=at))
    _add_change(session, agency_code="*", kind="catalog", body={"version": version}, dossier_code="", at=at)


def latest_catalog(session: Session) -> CatalogVersion | None:
    return session.scalars(select(CatalogVersion).order_by(CatalogVersion.created_at.desc())).first()


Clock = Callable[[], datetime]
