"""The queue half of a period's report: tickets per lane and per hour of arrival, how long people waited,
walked to the counter and were served, no-shows, transfers, and the share called within 15 minutes."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import text
from sqlmodel import Session

from counter_app.rules.clock import TZ
from counter_app.rules.queue import TicketState
from counter_app.views.reports import QueueFigures

WITHIN_MIN = 15

_QUERY = """
SELECT t.lane_id, l.name, t.state, t.transfers, t.arrival_at, t.first_called_at, t.called_at, t.serving_at,
       t.done_at
FROM ticket t JOIN lane l ON l.id = t.lane_id
WHERE t.day >= :first AND t.day <= :last
"""


@dataclass
class _Tally:
    key: str
    label: str
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    waits: list[float] = field(default_factory=list)
    walks: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    def figures(self) -> QueueFigures:
        return QueueFigures(
            key=self.key, label=self.label, tickets=self.tickets, served=self.served, no_shows=self.no_shows,
            transfers=self.transfers, wait_median=_median(self.waits), wait_p90=_p90(self.waits),
            walk_median=_median(self.walks), service_median=_median(self.services),
            called_within_15=(sum(1 for w in self.waits if w <= WITHIN_MIN) / len(self.waits)) if self.waits else None)


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _p90(values: list[float]) -> float | None:
    """The 90th percentile, by the nearest rank (a wait some ticket really had)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, -(-len(ordered) * 9 // 10) - 1)], 1)


def _minutes(later: str | None, earlier: str | None) -> float | None:
    if not later or not earlier:
        return None
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds() / 60


@dataclass
class QueuePeriod:
    total: QueueFigures
    per_lane: list[QueueFigures]
    per_hour: list[QueueFigures]


def queue_figures(session: Session, first: date, last: date) -> QueuePeriod:
    total = _Tally("", "Tổng cộng")
    lanes: dict[int, _Tally] = {}
    hours: dict[int, _Tally] = {}
    rows = session.execute(text(_QUERY), {"first": first.isoformat(), "last": last.isoformat()}).all()
    for lane_id, lane_name, state, transfers, arrival, first_called, called, serving, done in rows:
        hour = datetime.fromisoformat(arrival).astimezone(TZ).hour
        tallies: Iterable[_Tally] = (
            total, lanes.setdefault(lane_id, _Tally(str(lane_id), lane_name)),
            hours.setdefault(hour, _Tally(f"{hour:02d}", f"{hour:02d}:00–{hour + 1:02d}:00")))
        wait, walk, service = _minutes(first_called, arrival), _minutes(serving, called), _minutes(done, serving)
        for t in tallies:
            t.tickets += 1
            t.transfers += int(transfers or 0)
            if state == TicketState.DONE.value:
                t.served += 1
            elif state == TicketState.NO_SHOW.value:
                t.no_shows += 1
            for values, value in ((t.waits, wait), (t.walks, walk), (t.services, service)):
                if value is not None:
                    values.append(value)
    return QueuePeriod(total.figures(), [t.figures() for t in sorted(lanes.values(), key=lambda t: t.label)],
                       [hours[h].figures() for h in sorted(hours)])
