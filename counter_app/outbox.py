"""Operations for the city, queued in the same transaction as the change they report."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col

from counter_app.canonical import dumps, sha256
from counter_app.store.models import Event, Outbox


def enqueue(session: Session, *, event: Event, kind: str, body: dict[str, Any]) -> Outbox:
    """Freeze `body` into a payload with its own op id and hash; the sync client sends it later."""
    op_id = str(uuid.uuid4())
    payload = dumps({"op_id": op_id, "kind": kind, "event_seq": event.seq, "at": event.at, **body})
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
