"""The ratings half of a period's report: per clerk and per lane, how services were rated and why not."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from counter_app import accounts
from counter_app.rules.rating import REASONS
from counter_app.store.types import stored_text
from counter_app.views.reports import RatingFigures

_QUERY = """
SELECT r.clerk, r.lane_id, l.name, r.choice, r.reasons FROM rating r LEFT JOIN lane l ON l.id = r.lane_id
WHERE r.asked_at >= :start AND r.asked_at < :end
"""


@dataclass
class RatingPeriod:
    total: RatingFigures
    per_clerk: list[RatingFigures]
    per_lane: list[RatingFigures]


def _count(row: RatingFigures, choice: str, reasons: list[str]) -> None:
    row.services += 1
    if choice:
        setattr(row, choice, getattr(row, choice) + 1)
    for reason in reasons:
        label = REASONS.get(reason, reason)
        row.reasons[label] = row.reasons.get(label, 0) + 1


def rating_figures(session: Session, start: datetime, end: datetime) -> RatingPeriod:
    """Services of [start, end) the citizen was asked to rate, and their answers."""
    names = accounts.full_names(session)
    total = RatingFigures(key="", label="Tổng cộng")
    clerks: dict[str, RatingFigures] = {}
    lanes: dict[str, RatingFigures] = {}
    rows = session.execute(text(_QUERY), {"start": stored_text(start), "end": stored_text(end)}).all()
    for clerk, lane_id, lane_name, choice, given in rows:
        reasons = json.loads(given) if isinstance(given, str) else list(given or [])
        lane = str(lane_id or "")
        for row in (total, clerks.setdefault(clerk, RatingFigures(key=clerk, label=names.get(clerk, clerk))),
                    lanes.setdefault(lane, RatingFigures(key=lane, label=lane_name or "Không rõ hàng chờ"))):
            _count(row, choice, reasons)
    return RatingPeriod(total, sorted(clerks.values(), key=lambda r: r.label),
                        sorted(lanes.values(), key=lambda r: r.label))
