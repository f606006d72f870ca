"""The live view's counts, kept up as pushes arrive instead of counted per request.

Each dossier marks a few (day, measure) cells by its state alone (`marks`): received by its channel on the
day it was taken in (a receive or a supplement's receipt; registered online, or sent back at intake to be
completed, is not received yet); settled on time or late on the day its result was first ready; refused or
withdrawn on the day that happened; still open (received, awaiting its result) on the day the law set for
it. A change of a dossier adds its new marks and takes its old ones away, in the transaction that changed
it, so `point_tally` always equals what `rebuild` counts from the dossiers (a test holds them equal after
every kind of op). Days are Hà Nội days.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counter_app.rules.clock import TZ
from counter_app.rules.lifecycle import Status
from sync.server.models import CityDossier, PointTally

RECEIVED = {1: "received_counter", 2: "received_online", 3: "received_post"}
CLOSED = {int(Status.REFUSED): "refused", int(Status.WITHDRAWN): "withdrawn"}
SETTLED = {int(Status.RESULT_READY), int(Status.RETURNED)}
RECEPTION_OPS = {"receive", "receive_supplement"}  # the ops that take a dossier in (as the period report counts)
OPEN = {int(s) for s in Status if not s.terminal and s not in (Status.RESULT_READY, Status.REGISTERED_ONLINE)}
NO_DUE = date(9999, 12, 31)  # open without a due date: never overdue
MEASURES = (*RECEIVED.values(), "settled_on_time", "settled_late", *CLOSED.values(), "open")
COLUMNS = ("status", "channel", "reception_at", "legal_due_at", "settled_at", "status_at")

Cell = tuple[date, str]
_TALLY = PointTally.__table__


def day_of(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


def marks(row: Mapping[str, Any] | None) -> Counter[Cell]:
    """The cells one dossier counts in, by its state now."""
    out: Counter[Cell] = Counter()
    if row is None:
        return out
    status, reception = row["status"], row["reception_at"]
    if reception is not None:
        out[(day_of(reception), RECEIVED.get(row["channel"], RECEIVED[1]))] += 1
    settled, due = row["settled_at"], row["legal_due_at"]
    if status in SETTLED and settled is not None:
        out[(day_of(settled), "settled_late" if due is not None and settled > due else "settled_on_time")] += 1
    if status in CLOSED and row["status_at"] is not None:
        out[(day_of(row["status_at"]), CLOSED[status])] += 1
    if status in OPEN and reception is not None:
        out[(day_of(due) if due is not None else NO_DUE, "open")] += 1
    return out


def difference(pairs: Iterable[tuple[Mapping[str, Any] | None, Mapping[str, Any]]]) -> Counter[Cell]:
    """What the changes (each dossier before, after) add to the tally, cell by cell."""
    total: Counter[Cell] = Counter()
    for before, after in pairs:
        total.update(marks(after))
        total.subtract(marks(before))
    return total


def add(session: Session, agency_code: str, change: Counter[Cell]) -> None:
    """Add `change` to the office's cells (INSERT … ON CONFLICT DO UPDATE, in key order: no deadlock between
    two pushes of one office)."""
    rows = [{"agency_code": agency_code, "day": d, "measure": m, "count": n}
            for (d, m), n in sorted(change.items()) if n]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    upsert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](_TALLY)
    counts = session.execute(upsert.on_conflict_do_update(
        index_elements=["agency_code", "day", "measure"],
        set_={"count": _TALLY.c.count + upsert.excluded.count}).returning(
        _TALLY.c.day, _TALLY.c.measure, _TALLY.c.count), rows).all()
    emptied = [(d, m) for d, m, n in counts if n == 0]
    if emptied:  # an open cell whose last dossier settled: gone, so the open cells stay as few as the open days
        session.execute(delete(_TALLY).where(_TALLY.c.agency_code == agency_code,
                                             tuple_(_TALLY.c.day, _TALLY.c.measure).in_(emptied)))


def count_all(session: Session) -> Counter[tuple[str, date, str]]:
    """Every office's cells counted from the dossiers themselves (one pass, streamed)."""
    t = CityDossier.__table__.c
    out: Counter[tuple[str, date, str]] = Counter()
    rows = session.execute(select(t.agency_code, *(t[c] for c in COLUMNS)).execution_options(yield_per=20_000))
    for row in rows.mappings():
        for (d, m), n in marks(row).items():
            out[(row["agency_code"], d, m)] += n
    return out


def rebuild(session: Session) -> int:
    """Count the tally afresh from the dossiers (after a migration, or to repair it); the cells written."""
    counted = count_all(session)
    session.execute(delete(_TALLY))
    rows = [{"agency_code": a, "day": d, "measure": m, "count": n} for (a, d, m), n in sorted(counted.items()) if n]
    for start in range(0, len(rows), 10_000):
        session.execute(insert(_TALLY), rows[start:start + 10_000])
    return len(rows)
