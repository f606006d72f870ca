"""Bringing back what a store restored from a backup lost, from what the city keeps of this office.

The city keeps every op the office pushed (its payload as frozen at the time) and every change it sent
down. After a restore, the ops pushed after the backup and the changes after the backup's cursor are
fetched and applied here in the order they happened: each op re-creates its dossier change (or the
citizen's rating) and its event
(a new link of the chain, marked with the op it came from) and is filed as acknowledged under its original
op id, so nothing goes up twice; each change is applied as the pull would have. Events that never reached
the city (queue tickets, sign-ins) cannot come back.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from counter_app import audit
from counter_app.city import changes as city_changes
from counter_app.dossiers import actions, search
from counter_app.rules.clock import TZ, aware
from counter_app.rules.lifecycle import Action
from counter_app.rules.rating import RATING_OP
from counter_app.store.models import Dossier, DossierDocument, DossierFee, Event, Outbox, Procedure, Rating
from counter_app.views.dossiers import DocumentIn

log = logging.getLogger(__name__)

EARLIEST = datetime(2025, 7, 1, tzinfo=TZ)  # nothing of this office is older than the two-level government
# Ops pushed after the backup reached the city after its newest event, by the city's clock: a day covers a
# PC clock that was off. Older ops fetched as well are recognised by their op id and skipped.
MARGIN = timedelta(days=1)

_AT_LEAST = text(
    "INSERT INTO sequence_counter(name, key, value) VALUES (:name, :key, :value) "
    "ON CONFLICT(name, key) DO UPDATE SET value = max(value, excluded.value)"
)


def mark_due(session: Session) -> None:
    """This store was just restored: the next sync round recovers before it pushes anything."""
    state = city_changes.state(session)
    state.recovery_due = True
    session.add(state)


@dataclass
class RecoveryReport:
    replayed: int = 0  # ops whose change was made again here
    known: int = 0  # ops the restored store already had
    skipped: int = 0  # ops that could not be applied (logged one by one)
    changes: int = 0  # city decisions applied
    superseded: int = 0  # chain heads the city set aside


def fetch_since(session: Session) -> datetime:
    """From when the city's ops must be fetched: a margin before the restored store's newest event."""
    newest = session.exec(select(func.max(Event.at))).one()
    return max(EARLIEST, aware(newest) - MARGIN) if newest is not None else EARLIEST


def timeline(ops: list[dict[str, Any]], changes: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """Ops and city changes in the order the office lived them, whatever its clock said.

    Ops keep the office's own order (time, then event number). Each op says which city change was the
    last one applied when it was made (`city_cursor`), so the changes up to it go before it; for an op
    from before that was recorded, the changes the city had made by the time the op reached it (both
    times on the city's clock).
    """
    def office_order(op: dict[str, Any]) -> tuple[datetime, int]:
        payload = op["_payload"]
        return aware(datetime.fromisoformat(payload["at"])), int(payload.get("event_seq") or 0)

    for op in ops:
        op["_payload"] = json.loads(op["payload"])
    pending = sorted(changes, key=lambda c: c["seq"])
    merged: list[tuple[str, dict[str, Any]]] = []
    i = 0
    for op in sorted(ops, key=office_order):
        cursor = op["_payload"].get("city_cursor")
        while i < len(pending) and (pending[i]["seq"] <= cursor if isinstance(cursor, int)
                                    else aware(pending[i]["at"]) <= aware(op["received_at"])):
            merged.append(("change", pending[i]))
            i += 1
        merged.append(("op", op))
    merged += [("change", c) for c in pending[i:]]
    return merged


def apply_op(session: Session, op: dict[str, Any]) -> str:
    """Make the change of one op the city keeps again here; "replayed", "known" or "skipped"."""
    found = session.exec(select(Outbox).where(Outbox.op_id == op["op_id"])).first()
    if found is not None:
        if found.state == "pending" and op["result"] == "ok":
            found.state, found.acked_at = "acked", aware(op["received_at"])
            session.add(found)
        return "known"
    payload = json.loads(op["payload"])
    at = aware(datetime.fromisoformat(payload["at"]))
    if op["kind"] == RATING_OP:
        return _rating(session, op, payload, at)
    code = op["dossier_code"]
    dossier = session.exec(select(Dossier).where(Dossier.code == code)).first()
    snapshot = payload.get("dossier")
    if snapshot is not None:
        if dossier is not None:
            log.warning("op %s: dossier %s is already in the restored store; skipped", op["op_id"], code)
            return "skipped"
        dossier = _create(session, snapshot, code, op["op_id"])
        if dossier is None:
            return "skipped"
    elif dossier is None:
        log.warning("op %s (%s) is about dossier %s, which is not here; skipped", op["op_id"], op["kind"], code)
        return "skipped"
    else:
        _effects(session, dossier, op["kind"], payload, at)
    dossier.status = int(payload["to"])
    dossier.due_at = aware(datetime.fromisoformat(payload["due_at"])) if payload.get("due_at") else None
    dossier.updated_at = at
    session.add(dossier)
    session.flush()
    event = audit.append(
        session, at=at, actor=str(payload.get("actor") or ""), subject=f"dossier:{code}",
        kind=f"dossier.{op['kind']}", dossier_id=dossier.id, from_status=payload.get("from"),
        to_status=dossier.status, details={**(payload.get("details") or {}), "recovered_op": op["op_id"]},
    )
    _acked(session, op, event, at, dossier.id)
    search.index_dossier(session, dossier)
    return "replayed"


def _acked(session: Session, op: dict[str, Any], event: Event, at: datetime, dossier_id: int | None) -> None:
    """The op's outbox row again, as the city answered it (nothing to send a second time)."""
    ok = op["result"] == "ok"
    session.add(Outbox(
        op_id=op["op_id"], dossier_id=dossier_id, event_seq=event.seq, kind=op["kind"], payload=op["payload"],
        sha256=op["sha256"], state="acked" if ok else "rejected", attempts=1, next_try_at=at,
        last_error="" if ok else op["reason"], last_error_vi="" if ok else op["reason_vi"], created_at=at,
        acked_at=aware(op["received_at"]) if ok else None,
    ))


def _rating(session: Session, op: dict[str, Any], payload: dict[str, Any], at: datetime) -> str:
    """A citizen's rating the city kept: its row again (numbered as it was when that number is free), its
    event and its op; the period's report counts it as before the disk died."""
    given = payload.get("rating")
    try:
        number = int(str(op["dossier_code"]).rsplit("-DG-", 1)[1])
        asked = aware(datetime.fromisoformat(given["asked_at"]))
        answered = aware(datetime.fromisoformat(given["answered_at"])) if given.get("answered_at") else at
        counter, choice, reasons = int(given["counter"]), str(given["choice"]), list(given.get("reasons") or [])
    except (IndexError, KeyError, TypeError, ValueError):
        log.warning("op %s: a rating that cannot be read again; skipped", op["op_id"])
        return "skipped"
    service = f"{given.get('service') or 'ticket'}:recovered-{number}"  # its ticket did not come back
    if session.exec(select(Rating).where(Rating.service == service)).first() is not None:
        return "known"
    rating = Rating(id=number if session.get(Rating, number) is None else None, service=service, counter_no=counter,
                    clerk=str(given.get("clerk") or ""), lane_id=given.get("lane"),
                    dossier_code=str(given.get("dossier") or ""), asked_at=asked, choice=choice, reasons=reasons,
                    answered_at=answered)
    session.add(rating)
    session.flush()
    event = audit.append(session, at=at, actor="citizen", subject=f"rating:{service}", kind="rating.given",
                         details={"choice": choice, "reasons": reasons, "clerk": rating.clerk, "counter": counter,
                                  "recovered_op": op["op_id"]})
    _acked(session, op, event, at, None)
    return "replayed"


def apply_change(session: Session, change: dict[str, Any]) -> list[str]:
    """A decision of the city, applied as the pull applies it, at the time the city made it (the catalog
    versions it announces)."""
    return city_changes.apply_changes(session, [change], at=aware(datetime.fromisoformat(change["at"]))
                               if isinstance(change["at"], str) else aware(change["at"]))


def _create(session: Session, snapshot: dict[str, Any], code: str, op_id: str) -> Dossier | None:
    """The dossier as the city received it at intake, with its documents and fees, numbered as it was."""
    data = dict(snapshot)
    documents, fees = data.pop("documents", []), data.pop("fees", [])
    procedure = session.exec(select(Procedure).where(Procedure.key == data.get("procedure_key"))
                             .order_by(col(Procedure.id).desc())).first()
    if procedure is None:
        log.warning("op %s: procedure %r of dossier %s is not in this store's catalog; skipped", op_id,
                    data.get("procedure_key"), code)
        return None
    data.pop("status", None)
    dossier = Dossier.model_validate({**data, "code": code, "procedure_id": procedure.id,
                                      "submission_id": f"recovered:{op_id}", "status": 0})
    session.add(dossier)
    session.flush()
    for doc in documents:
        session.add(DossierDocument.model_validate({**doc, "dossier_id": dossier.id}))
    for fee in fees:
        session.add(DossierFee.model_validate({**fee, "dossier_id": dossier.id}))
    # The running numbers must not hand out this dossier's code or register row a second time.
    prefix, number = code.rsplit("-", 1)
    session.execute(_AT_LEAST, {"name": "dossier", "key": prefix, "value": int(number)})
    session.execute(_AT_LEAST, {"name": "register", "key": dossier.register_book, "value": dossier.register_row})
    return dossier


def _effects(session: Session, dossier: Dossier, kind: str, payload: dict[str, Any], at: datetime) -> None:
    """What an action changed besides status and due time (see `dossiers.actions`)."""
    details = payload.get("details") or {}
    if kind == Action.REQUEST_SUPPLEMENT:
        dossier.supplement_from = payload.get("from")
        actions.add_missing(session, dossier, [DocumentIn(name=n) for n in details.get("missing", [])])
    elif kind == Action.RECEIVE_SUPPLEMENT:
        actions.missing_arrived(session, dossier)
        dossier.supplement_from = None
        if dossier.original_due_at is None and payload.get("due_at"):
            dossier.original_due_at = aware(datetime.fromisoformat(payload["due_at"]))
    elif kind == Action.HAND_OVER:
        dossier.handling_agency = str(details.get("agency") or dossier.handling_agency)
    elif kind == Action.RESULT_READY:
        actions.add_results(session, dossier, list(details.get("results", [])))
    elif kind == "collect_fees":
        for fee in session.exec(select(DossierFee).where(DossierFee.dossier_id == dossier.id,
                                                         col(DossierFee.paid).is_(False))).all():
            fee.paid, fee.method, fee.receipt_no, fee.paid_at = True, details.get("method", ""), \
                details.get("receipt_no", ""), at
            session.add(fee)
        number = str(details.get("receipt_no", "")).rpartition("-")[2]
        if number.isdigit():
            session.execute(_AT_LEAST, {"name": "fee_receipt", "key": at.strftime("%Y"), "value": int(number)})
    elif kind == Action.RESCHEDULE and isinstance(details.get("apology_no"), int):
        session.execute(_AT_LEAST, {"name": "apology", "key": at.strftime("%Y"), "value": details["apology_no"]})
    elif kind == Action.RETURN_RESULT:
        dossier.returned_to = str(details.get("to") or "")
        dossier.returned_id_checked = True
        dossier.returned_at = at
