"""Applying what the city decided (pulled changes) to the office store, with the cursor, in one transaction.

Authority (DESIGN.md): the city owns processing status and results once it acts; the hub's intake data
(applicant, documents, fees, times of receipt) is never touched by a change from the city. A city
decision is recorded as an event of its own ("city.<action>") and is not queued back to the city.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from counter_app import audit
from counter_app.rules.lifecycle import Status
from counter_app.store.models import Dossier, SyncState

log = logging.getLogger(__name__)


def peek(session: Session) -> SyncState:
    """The sync state for reading (a default one before the first round; nothing is written)."""
    return session.get(SyncState, 1) or SyncState(id=1)


def state(session: Session) -> SyncState:
    """The sync state row to change, made on first use (call in a write transaction)."""
    row = session.get(SyncState, 1)
    if row is None:
        row = SyncState(id=1)
        session.add(row)
        session.flush()
    return row


def apply_changes(session: Session, changes: list[dict[str, Any]], *, at: datetime) -> list[str]:
    """Apply changes in order and move the cursor past them; return catalog versions announced.

    A page is applied with a few statements: its dossiers are read at once and its events appended
    together (10,000 changes in a couple of seconds).
    """
    sync = state(session)
    fresh = [c for c in changes if c["seq"] > sync.cursor]  # older ones: a pull repeated after a crash
    codes = {c["dossier_code"] for c in fresh if c["kind"] == "dossier.status"}
    dossiers = {d.code: d for d in session.exec(select(Dossier).where(col(Dossier.code).in_(codes)))} if codes else {}
    catalogs: list[str] = []
    events: list[audit.EventIn] = []
    for change in fresh:
        if change["kind"] == "dossier.status":
            event = _status(dossiers.get(change["dossier_code"]), change, at)
            if event is not None:
                events.append(event)
        elif change["kind"] == "catalog":
            catalogs.append(str(change["body"]["version"]))
        else:
            log.warning("unknown change kind %r (seq %s) skipped", change["kind"], change["seq"])
        sync.cursor = change["seq"]
    audit.append_many(session, events)
    session.add(sync)
    return catalogs


def _status(dossier: Dossier | None, change: dict[str, Any], at: datetime) -> audit.EventIn | None:
    body = change["body"]
    if dossier is None:
        log.warning("change %s is about dossier %s, which this office does not have", change["seq"],
                    change["dossier_code"])
        return None
    target = Status(int(body["status"]))
    before = Status(dossier.status)
    if before.terminal and target is not before:
        log.warning("city change %s would move %s from final status %s to %s: kept at %s", change["seq"],
                    dossier.code, int(before), int(target), int(before))
        return None
    if target is Status.SUPPLEMENT_REQUESTED and before is not Status.SUPPLEMENT_REQUESTED:
        dossier.supplement_from = int(before) if before in (Status.RECEIVED, Status.PROCESSING) else None
        dossier.due_at = None  # the clock stops until the complete dossier is received again
    if target is Status.STOPPED:
        dossier.due_at = None
    dossier.status, dossier.updated_at = int(target), at
    details = {k: body[k] for k in ("action", "reason", "results") if body.get(k)}
    details["city_seq"] = change["seq"]
    return audit.EventIn(at=at, actor=f"city:{body.get('actor') or 'thành phố'}", subject=f"dossier:{dossier.code}",
                         kind=f"city.{body.get('action', 'status')}", dossier_id=dossier.id, from_status=int(before),
                         to_status=int(target), details=details)


def plan_next(session: Session, next_try_at: datetime | None) -> None:
    """When the scheduler means to try again (shown in the status bar)."""
    sync = state(session)
    sync.next_try_at = next_try_at
    session.add(sync)
