"""Which backups to keep: the newest of each of the last 7 days, 4 weeks and 12 months that have one.

The usual grandfather-father-son rotation: a backup is kept if it is the newest of its day among
the 7 latest days with a backup, or of its ISO week among the 4 latest such weeks, or of its month
among the 12 latest such months. The newest backup of all is always kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime

DAYS, WEEKS, MONTHS = 7, 4, 12


def to_keep(made: Sequence[datetime], *, days: int = DAYS, weeks: int = WEEKS, months: int = MONTHS) -> set[int]:
    """Indexes into `made` (the times the backups were made) of those to keep."""
    order = sorted(range(len(made)), key=lambda i: made[i], reverse=True)
    keep: set[int] = set(order[:1])
    periods: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (days, lambda t: t.date()),
        (weeks, lambda t: t.isocalendar()[:2]),
        (months, lambda t: (t.year, t.month)),
    ]
    for count, period in periods:
        seen: list[Hashable] = []
        for i in order:  # newest first: the first backup met in a period is that period's newest
            key = period(made[i])
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            keep.add(i)
    return keep
