"""Report periods: the day, week (Monday first), month, quarter or year that holds a date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["day", "week", "month", "quarter", "year"]
KINDS: tuple[PeriodKind, ...] = ("day", "week", "month", "quarter", "year")


def period_of(kind: PeriodKind, day: date) -> tuple[date, date]:
    """First and last day (inclusive) of the `kind` that holds `day`."""
    if kind == "day":
        return day, day
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first_month = day.month if kind == "month" else 3 * ((day.month - 1) // 3) + 1
    months = 1 if kind == "month" else 3
    after = date(day.year + (first_month + months > 12), (first_month + months - 1) % 12 + 1, 1)
    return date(day.year, first_month, 1), after - timedelta(days=1)
