"""The dossier half of a period's report, worked out from the event log (what happened when) and each
dossier's own row (channel, clerk, procedure, due time).

Only dossiers the period can concern are read: those with an event since the period began (received,
settled or closed in it or after it) and those still open now. A month's report over 500,000 dossiers
reads the month's events, not the year's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlmodel import Session

from counter_app import accounts
from counter_app.dossiers.listing import AWAITING_RESULT
from counter_app.rules.clock import aware
from counter_app.store.types import stored_text
from counter_app.views.reports import DossierFigures

RECEIVED = ("dossier.receive", "dossier.receive_supplement")  # the first of these: the dossier is in
SETTLED = ("dossier.result_ready", "dossier.return_result")  # the first of these: its result is ready
CLOSED = {"dossier.refuse": "refused", "dossier.withdraw": "withdrawn", "dossier.stop": "stopped"}
SUPPLEMENT = "dossier.request_supplement"
RESCHEDULE = "dossier.reschedule"
KINDS = (*RECEIVED, *SETTLED, *CLOSED, SUPPLEMENT)
CHANNEL_FIELD = {1: "received_counter", 2: "received_online", 3: "received_post"}


def _in(values: tuple[str, ...] | list[int]) -> str:
    return ", ".join(f"'{v}'" if isinstance(v, str) else str(int(v)) for v in values)  # constants, never input


_QUERY = f"""
WITH scope AS (
    SELECT dossier_id AS id FROM event WHERE at >= :start AND dossier_id IS NOT NULL AND kind IN ({_in(KINDS)})
    UNION
    SELECT id FROM dossier WHERE status IN ({_in(AWAITING_RESULT)}) AND received_at < :end
)
SELECT d.id, d.procedure_key, d.procedure_name, p.field, d.channel, d.clerk, d.due_at,
    MIN(CASE WHEN e.kind IN ({_in(RECEIVED)}) THEN e.at END),
    MIN(CASE WHEN e.kind IN ({_in(SETTLED)}) THEN e.at END),
    MIN(CASE WHEN e.kind = 'dossier.refuse' THEN e.at END),
    MIN(CASE WHEN e.kind = 'dossier.withdraw' THEN e.at END),
    MIN(CASE WHEN e.kind = 'dossier.stop' THEN e.at END),
    SUM(CASE WHEN e.kind = '{SUPPLEMENT}' AND e.at >= :start AND e.at < :end THEN 1 ELSE 0 END),
    (SELECT json_extract(r.details, '$.previous_due_at') FROM event r
     WHERE r.dossier_id = d.id AND r.kind = '{RESCHEDULE}' ORDER BY r.seq LIMIT 1)
FROM scope JOIN dossier d ON d.id = scope.id JOIN procedure p ON p.id = d.procedure_id
JOIN event e ON e.dossier_id = d.id AND e.kind IN ({_in(KINDS)})
GROUP BY d.id
"""


@dataclass(frozen=True)
class _Dossier:
    procedure_key: str
    procedure_name: str
    field: str
    channel: int
    clerk: str
    received: datetime | None
    settled: datetime | None
    closed: dict[str, datetime]  # "refused"/"withdrawn"/"stopped" -> when
    supplements: int
    legal_due: datetime | None  # the due time the law set: an apology's new date does not move it

    @property
    def ended(self) -> datetime | None:
        """When it stopped being in progress: its result was ready, or it was refused, withdrawn or stopped."""
        times = [t for t in (self.settled, *self.closed.values()) if t is not None]
        return min(times) if times else None


def _time(value: str | None) -> datetime | None:
    return aware(datetime.fromisoformat(value)) if value else None


def _dossiers(session: Session, start: datetime, end: datetime) -> list[_Dossier]:
    rows = session.execute(text(_QUERY), {"start": stored_text(start), "end": stored_text(end)}).all()
    found = []
    for (_id, key, name, field, channel, clerk, due, received, settled, refused, withdrawn, stopped, supplements,
         previous_due) in rows:
        closed = {k: t for k, t in (("refused", _time(refused)), ("withdrawn", _time(withdrawn)),
                                    ("stopped", _time(stopped))) if t is not None}
        found.append(_Dossier(key, name, field, int(channel), clerk, _time(received), _time(settled), closed,
                              int(supplements or 0), _time(previous_due) or _time(due)))
    return found


def _figures_of(d: _Dossier, start: datetime, end: datetime, until: datetime) -> Counter[str]:
    """Where one dossier counts (`DossierFigures`' field names); `until` is the period's end, or now for a
    period not yet over. Worked out once per dossier, then added to its field's, procedure's and clerk's rows."""
    found: Counter[str] = Counter()
    inside = lambda t: t is not None and start <= t < end  # noqa: E731 - read as a phrase below
    if inside(d.received):
        found[CHANNEL_FIELD.get(d.channel, "received_counter")] += 1
    ended = d.ended
    if d.received is not None and d.received < start and (ended is None or ended >= start):
        found["carried_over"] += 1
    if inside(d.settled):
        assert d.settled is not None
        if d.legal_due is not None and d.settled > d.legal_due:
            found["settled_late"] += 1
        elif d.legal_due is not None and d.settled.date() < d.legal_due.date():
            found["settled_early"] += 1
        else:
            found["settled_on_time"] += 1
    if d.received is not None and d.received < until and (ended is None or ended >= until):
        # past its legal due time; else on time, or waiting for a supplement (its clock stopped)
        found["in_progress_overdue" if d.legal_due is not None and d.legal_due < until else "in_progress_on_time"] += 1
    for name, at in d.closed.items():
        if inside(at):
            found[name] += 1
    if d.supplements:
        found["supplement"] += d.supplements
    return found


@dataclass
class DossierPeriod:
    total: DossierFigures
    per_field: list[DossierFigures]
    per_procedure: list[DossierFigures]
    per_clerk: list[DossierFigures]
    received_per_day: list[tuple[date, int]]


def dossier_figures(session: Session, start: datetime, end: datetime, at: datetime) -> DossierPeriod:
    """The figures of [start, end), counted up to `at` when the period is not over yet."""
    until = min(end, at)
    names = accounts.full_names(session)
    tallies: dict[tuple[str, str], Counter[str]] = {}  # (group, key) -> figures: plain counts, then one model each
    labels: dict[tuple[str, str], str] = {("total", ""): "Tổng cộng"}
    per_day: Counter[date] = Counter()
    for d in _dossiers(session, start, end):
        found = _figures_of(d, start, end, until)
        for group, key, label in (("total", "", ""), ("field", d.field, d.field or "Chưa rõ lĩnh vực"),
                                  ("procedure", d.procedure_key, d.procedure_name),
                                  ("clerk", d.clerk, names.get(d.clerk, d.clerk))):
            tally = tallies.get((group, key))
            if tally is None:
                tally = tallies[(group, key)] = Counter()
                labels.setdefault((group, key), label)
            tally.update(found)
        if d.received is not None and start <= d.received < end:
            per_day[d.received.date()] += 1
    rows = {k: DossierFigures(key=k[1], label=labels[k], **counts) for k, counts in tallies.items()}
    total = rows.get(("total", "")) or DossierFigures(key="", label="Tổng cộng")

    def ordered(group: str) -> list[DossierFigures]:
        busy = [r for (g, _k), r in rows.items() if g == group and (
            r.to_handle or r.settled or r.refused or r.withdrawn or r.stopped or r.supplement
            or r.in_progress_on_time or r.in_progress_overdue)]
        return sorted(busy, key=lambda r: (-r.to_handle, r.label))

    return DossierPeriod(total, ordered("field"), ordered("procedure"), ordered("clerk"), sorted(per_day.items()))
