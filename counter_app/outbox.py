"""Operations for the city, queued in the same transaction as the change they report."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session

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
