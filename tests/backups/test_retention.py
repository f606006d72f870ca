"""The 7 daily, 4 weekly, 12 monthly rotation."""

from __future__ import annotations

from datetime import datetime, timedelta

from counter_app.rules.clock import TZ
from counter_app.rules.retention import to_keep


def test_a_year_of_closing_time_backups_keeps_days_weeks_and_months():
    start = datetime(2025, 12, 1, 17, 5, tzinfo=TZ)
    made = [start + timedelta(days=i) for i in range(365)]  # one a day, 1/12/2025 to 30/11/2026
    kept = sorted(made[i] for i in to_keep(made))
    last = made[-1]
    days = {t.date() for t in kept if t > last - timedelta(days=7)}
    assert len(days) == 7  # the last seven days
    weeks = {t.isocalendar()[:2] for t in kept}
    assert {(2026, 49), (2026, 48), (2026, 47), (2026, 46)} <= weeks  # the last four weeks
    months = {(t.year, t.month) for t in kept}
    assert len(months) == 12 and (2025, 12) in months  # twelve months, the oldest included
    assert len(kept) <= 7 + 4 + 12 and len(kept) == len(set(kept))
    assert kept[-1] == last


def test_a_month_keeps_its_newest_backup_and_a_lone_backup_is_kept():
    made = [datetime(2026, 1, d, 17, tzinfo=TZ) for d in (5, 20)] + [datetime(2026, 3, 2, 17, tzinfo=TZ)]
    made += [datetime(2026, 11, d, 17, tzinfo=TZ) for d in (2, 9, 16, 23)]
    made += [datetime(2026, 11, 30, 17, tzinfo=TZ) + timedelta(minutes=i) for i in range(3)]  # three today
    keep = to_keep(made)
    assert 0 not in keep and 1 in keep  # January's newest; the 5th is neither among 7 days nor 4 weeks
    assert {2, 3, 4, 5, 6, 9} <= keep and not {7, 8} & keep  # today's newest only
    assert to_keep([made[0]]) == {0}
