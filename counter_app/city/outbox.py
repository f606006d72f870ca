"""Operations for the city, queued in the same transaction as the change they report."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from counter_app.errors import NotFound
from counter_app.rules.canonical import dumps, sha256
from counter_app.store.models import Dossier, Event, Outbox, SyncState


def enqueue(session: Session, *, event: Event, kind: str, body: dict[str, Any]) -> Outbox:
    """Freeze `body` into a payload with its own op id and hash; the sync client sends it later."""
    op_id = str(uuid.uuid4())
    # The last city change applied here when this change was made: after a restore, the ops and the city's
    # changes fetched back are put in the order the office lived them (`dossiers.recovery`).
    sync = session.get(SyncState, 1)
    payload = dumps({"op_id": op_id, "kind": kind, "event_seq": event.seq, "at": event.at,
                     "city_cursor": sync.cursor if sync is not None else 0, **body})
    row = Outbox(
        op_id=op_id,
        dossier_id=event.dossier_id,
        event_seq=event.seq,
        kind=kind,
        payload=payload,
        sha256=sha256(payload),
        created_at=event.at,
        next_try_at=event.at,
    )
    session.add(row)
    return row


def prune_acked(session: Session, *, acked_before: datetime) -> int:
    """Delete ops the city acknowledged before `acked_before`; returns how many went.

    An acknowledged op is stored at the city and will never be sent again; the event log keeps
    the office's own history. Keeping a few weeks of acknowledged ops lets a supervisor see what
    went up recently; keeping them for years would triple the store.
    """
    result = session.execute(
        delete(Outbox).where(col(Outbox.state) == "acked", col(Outbox.acked_at) < acked_before)
    )
    return result.rowcount or 0


# An op about a dossier goes with the dossier's code; one about no dossier (a citizen's rating) with the
# subject code its payload names.
_CODE = func.coalesce(Dossier.code, func.json_extract(Outbox.payload, "$.dossier_code"))


def next_batch(session: Session, *, limit: int, max_bytes: int) -> list[tuple[Outbox, str]]:
    """The oldest pending ops with their dossier codes, at most `limit` and about `max_bytes` of payload.

    A rejected op holds back the later ops of its own dossier only (they would fail or overtake it).
    """
    held = select(Outbox.dossier_id).where(col(Outbox.state) == "rejected", col(Outbox.dossier_id).is_not(None))
    rows = session.exec(
        select(Outbox, _CODE).outerjoin(Dossier, col(Dossier.id) == col(Outbox.dossier_id))
        .where(col(Outbox.state) == "pending",
               or_(col(Outbox.dossier_id).is_(None), col(Outbox.dossier_id).not_in(held)))
        .order_by(col(Outbox.id)).limit(limit)
    ).all()
    batch, size = [], 0
    for op, code in rows:
        size += len(op.payload.encode("utf-8")) + 256
        if batch and size > max_bytes:
            break
        batch.append((op, code))
    return batch


def record_results(session: Session, results: list[tuple[str, str, str, str]], *, at: datetime) -> None:
    """Store the city's answers (op id, "ok"|"duplicate"|"rejected"|"held", reason, Vietnamese reason)
    in one transaction. A held op was not looked at (an earlier op of its dossier was rejected): it
    stays pending.
    """
    ops = {o.op_id: o for o in session.exec(select(Outbox).where(col(Outbox.op_id).in_([r[0] for r in results])))}
    for op_id, result, reason, reason_vi in results:
        op = ops.get(op_id)
        if op is None or op.state == "acked":
            continue
        op.attempts += 1
        if result in ("ok", "duplicate"):
            op.state, op.acked_at, op.last_error, op.last_error_vi = "acked", at, "", ""
        elif result == "held":
            op.last_error, op.last_error_vi = reason, reason_vi
        else:
            op.state, op.last_error, op.last_error_vi = "rejected", reason, reason_vi
        session.add(op)


def resend(session: Session, op_id: str) -> Outbox:
    """Send a rejected op again (after the cause was fixed at the city or in the office)."""
    op = session.exec(select(Outbox).where(Outbox.op_id == op_id)).first()
    if op is None or op.state != "rejected":
        raise NotFound(f"no rejected op {op_id}", "Không có thao tác bị từ chối này để gửi lại.")
    op.state, op.last_error, op.last_error_vi = "pending", "", ""
    session.add(op)
    return op


def pending_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Outbox).where(col(Outbox.state) == "pending")).one())


def rejected(session: Session) -> list[tuple[Outbox, str]]:
    return list(session.exec(select(Outbox, _CODE).outerjoin(Dossier, col(Dossier.id) == col(Outbox.dossier_id))
                             .where(col(Outbox.state) == "rejected").order_by(col(Outbox.id))).all())
