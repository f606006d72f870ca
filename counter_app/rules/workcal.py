"""The office's working-day calendar and the appointment (hẹn trả) time of a dossier.

Rules (DOMAIN.md, Appointment time):
- a working day is a day with office hours that is not a public holiday (the `holidays`
  package, country VN, with its substitute days off and make-up working days), plus the
  office's own extra days off and make-up working days;
- "N working days" run only inside office hours, one working day = 8 office hours,
  starting at receipt or at the next opening;
- "same day": received before the cut-off (15:00) on a working day, due at that day's
  closing; otherwise due at the next working day's closing;
- the due time is never on a day off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

import holidays

from counter_app.rules.clock import TZ, aware

WORKING_DAY = timedelta(hours=8)
_SEARCH_LIMIT_DAYS = 3 * 366

Interval = tuple[time, time]


@dataclass(frozen=True)
class ProcedureTime:
    """How long a procedure takes by regulation."""

    kind: Literal["same_day", "working_days"]
    days: int = 0

    def __post_init__(self) -> None:
        if self.kind == "working_days" and self.days < 1:
            raise ValueError("a working-days procedure needs at least one day")
        if self.kind == "same_day" and self.days != 0:
            raise ValueError("a same-day procedure has no day count")

    @classmethod
    def same_day(cls) -> ProcedureTime:
        return cls("same_day")

    @classmethod
    def working_days(cls, days: int) -> ProcedureTime:
        return cls("working_days", days)

    def label_vi(self) -> str:
        return "Trong ngày" if self.kind == "same_day" else f"{self.days} ngày làm việc"


def _t(text: str) -> time:
    return time.fromisoformat(text)


@dataclass(frozen=True)
class OfficeHours:
    """Opening intervals per weekday (0 = Monday) and the same-day cut-off."""

    week: dict[int, tuple[Interval, ...]]
    cutoff: time = time(15, 0)

    @classmethod
    def default(cls, *, saturday_morning: bool = False) -> OfficeHours:
        day = ((time(8), time(12)), (time(13), time(17)))
        week = {wd: day for wd in range(5)}
        if saturday_morning:
            week[5] = ((time(8), time(12)),)
        return cls(week)

    @classmethod
    def from_rows(cls, rows: Iterable[Iterable[object]], cutoff: str = "15:00") -> OfficeHours:
        """From stored rows `[weekday, "08:00", "12:00"]`."""
        week: dict[int, list[Interval]] = {}
        for wd, start, end in rows:
            s, e = _t(str(start)), _t(str(end))
            if not 0 <= int(wd) <= 6 or s >= e:
                raise ValueError(f"bad office-hours row {wd} {start}-{end}")
            week.setdefault(int(wd), []).append((s, e))
        return cls({wd: tuple(sorted(iv)) for wd, iv in week.items()}, _t(cutoff))

    def to_rows(self) -> list[list[object]]:
        return [[wd, s.strftime("%H:%M"), e.strftime("%H:%M")] for wd in sorted(self.week) for s, e in self.week[wd]]

    def usual_weekday(self) -> tuple[Interval, ...]:
        """Hours of a make-up working day that falls on a closed weekday: those of Monday."""
        return self.week.get(0) or next(iter(self.week.values()), ())


@dataclass
class WorkCalendar:
    """National holidays from `holidays` (VN) plus the office's own exceptions."""

    hours: OfficeHours = field(default_factory=OfficeHours.default)
    extra_days_off: frozenset[date] = frozenset()
    extra_work_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        self._national = holidays.country_holidays("VN", language="vi")

    def holiday_name(self, day: date) -> str | None:
        """The national holiday's Vietnamese name, or the office's note for its own day off."""
        if day in self.extra_days_off:
            return "Ngày nghỉ của cơ quan"
        return self._national.get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_days_off:
            return False
        if day in self.extra_work_days:
            return True
        if day in self._national:
            return False
        if day in self._national.weekend_workdays:
            return True
        return bool(self.hours.week.get(day.weekday()))

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The office's open intervals on `day` as aware datetimes (empty on a day off)."""
        if not self.is_working_day(day):
            return []
        spans = self.hours.week.get(day.weekday()) or self.hours.usual_weekday()
        return [(datetime.combine(day, s, TZ), datetime.combine(day, e, TZ)) for s, e in spans]

    def closing(self, day: date) -> datetime:
        return self.intervals(day)[-1][1]

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        for offset in range(1, _SEARCH_LIMIT_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {_SEARCH_LIMIT_DAYS} days after {day}")

    def add_office_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment when `amount` of office time has run from `start`."""
        remaining = amount
        t = aware(start)
        day = t.date()
        for _ in range(_SEARCH_LIMIT_DAYS):
            for open_at, close_at in self.intervals(day):
                if close_at <= t:
                    continue
                begin = max(t, open_at)
                available = close_at - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += timedelta(days=1)
        raise ValueError(f"office time of {amount} from {start} does not fit in {_SEARCH_LIMIT_DAYS} days")


def due_at(received_at: datetime, procedure_time: ProcedureTime, calendar: WorkCalendar) -> datetime:
    """When the result is due for a dossier received (complete) at `received_at`."""
    received = aware(received_at)
    if procedure_time.kind == "same_day":
        day = received.date()
        if calendar.is_working_day(day) and received.time() < calendar.hours.cutoff:
            closing = calendar.closing(day)
            if received < closing:  # a short day (Saturday morning) may close before the cut-off
                return closing
        return calendar.closing(calendar.next_working_day(day))
    return calendar.add_office_time(received, WORKING_DAY * procedure_time.days)


SESSION_GRACE = timedelta(hours=2)  # a clerk finishing the day's last dossiers after closing


def session_end(at: datetime, hours: OfficeHours) -> datetime:
    """When a clerk's session opened at `at` ends: closing time plus a grace (two hours after signing in,
    for one opened later), and midnight at the latest, so no session outlives its working day."""
    local = aware(at).astimezone(TZ)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), TZ)
    intervals = hours.week.get(local.weekday(), ())
    if not intervals:
        return midnight
    closing = datetime.combine(local.date(), intervals[-1][1], TZ) + SESSION_GRACE
    return min(max(closing, local + SESSION_GRACE), midnight)

