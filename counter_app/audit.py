"""The append-only event log, each event chained to the previous one by hash.

Write events only through `append`, inside the transaction that makes the change; the
store's writers are serialised (BEGIN IMMEDIATE), so reading the last event and adding the
next one cannot interleave with another writer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from counter_app.rules.canonical import dumps
from counter_app.rules.clock import aware
from counter_app.store.models import Event

GENESIS = bytes(32)


def event_hash(event: Event) -> bytes:
    """The sha256 digest of the event's content and the previous digest (in hex, as first defined)."""
    body = {
        "seq": event.seq,
        "at": aware(event.at).isoformat(timespec="microseconds"),
        "actor": event.actor,
        "subject": event.subject,
        "dossier_id": event.dossier_id,
        "kind": event.kind,
        "from": event.from_status,
        "to": event.to_status,
        "details": event.details,
        "prev": event.prev_hash.hex(),
    }
    return hashlib.sha256(dumps(body).encode("utf-8")).digest()


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    subject: str,
    kind: str,
    dossier_id: int | None = None,
    from_status: int | None = None,
    to_status: int | None = None,
    details: dict[str, Any] | None = None,
) -> Event:
    (event,) = append_many(session, [EventIn(at=at, actor=actor, subject=subject, kind=kind, dossier_id=dossier_id,
                                              from_status=from_status, to_status=to_status, details=details)])
    return event


@dataclass(frozen=True)
class EventIn:
    """An event to append (see `append`)."""

    at: datetime
    actor: str
    subject: str
    kind: str
    dossier_id: int | None = None
    from_status: int | None = None
    to_status: int | None = None
    details: dict[str, Any] | None = None


def append_many(session: Session, entries: list[EventIn]) -> list[Event]:
    """Append events in order, each chained to the one before; the last one is read once for all.

    The events returned are written but not attached to the session.
    """
    if not entries:
        return []
    # Only the link is needed: loading the whole last event (details JSON and all) cost a third of a queue step.
    seq, prev = last_link(session) or (0, GENESIS)
    events = []
    for entry in entries:
        seq += 1
        event = Event(seq=seq, at=aware(entry.at), actor=entry.actor, subject=entry.subject,
                      dossier_id=entry.dossier_id, kind=entry.kind, from_status=entry.from_status,
                      to_status=entry.to_status, details=dict(entry.details or {}), prev_hash=prev, hash=b"")
        event.hash = prev = event_hash(event)
        events.append(event)
    # A plain insert: the events are never changed again, so the unit of work has nothing to track.
    rows = [_row(event) for event in events]
    session.execute(_INSERT, rows[0] if len(rows) == 1 else rows)  # one row: no executemany machinery
    return events


_INSERT = insert(Event.__table__)  # built once: its parameters are bound at each call
_COLUMNS = tuple(Event.__table__.c.keys())


def _row(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in _COLUMNS}  # what model_dump gives, without pydantic's walk


def last_link(session: Session) -> tuple[int, bytes] | None:
    """The newest event's sequence number and hash (None for an empty log)."""
    # Plain SQL: every write of the office asks, and the ORM's select cost ten times the lookup.
    row = session.connection().exec_driver_sql("SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1").first()
    return (row[0], bytes(row[1])) if row else None


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the whole log; name the first event whose hash, link or number is wrong."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    while True:
        rows = session.exec(
            select(Event).where(Event.seq >= expected_seq).order_by(col(Event.seq)).limit(batch)
        ).all()
        if not rows:
            return ChainReport(checked)
        for event in rows:
            if event.seq != expected_seq:
                return ChainReport(checked, expected_seq, f"event {expected_seq} is missing (next is {event.seq})")
            if event.prev_hash != expected_prev:
                return ChainReport(checked, event.seq, "link to the previous event does not match")
            if event_hash(event) != event.hash:
                return ChainReport(checked, event.seq, "content does not match its hash")
            expected_prev, expected_seq, checked = event.hash, event.seq + 1, checked + 1
        session.expunge_all()


@dataclass(frozen=True)
class Anchor:
    """The office's chain head as the city was told of it (`seq`, `hash`) and when."""

    seq: int
    hash: bytes
    at: datetime


def check_anchors(session: Session, anchors: list[Anchor]) -> ChainReport:
    """Compare the log with the heads kept outside it: a rewritten or shortened log no longer matches.

    `verify_chain` cannot see a chain recomputed after a change, or events cut from its end; an anchor
    can, once the events it covers were synced. The report names the first anchor that disagrees and
    the last one that still matched (the change lies between them).
    """
    matched: Anchor | None = None
    for checked, anchor in enumerate(sorted(anchors, key=lambda a: a.seq)):
        found = session.exec(select(Event.hash).where(Event.seq == anchor.seq)).first()
        since = f" (after event {matched.seq}, which still matches)" if matched else ""
        when = f"{aware(anchor.at):%d/%m/%Y %H:%M}"
        if found is None:
            return ChainReport(checked, anchor.seq, f"event {anchor.seq} is missing, though the city was told of it "
                                                   f"on {when}: events were deleted{since}")
        if bytes(found) != anchor.hash:
            return ChainReport(checked, anchor.seq, f"event {anchor.seq} is not the one the city was told of on "
                                                   f"{when}: the log was changed at or before it{since}")
        matched = anchor
    return ChainReport(len(anchors))
