from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.rules.clock import TZ
from counter_app.rules.workcal import OfficeHours, ProcedureTime, WorkCalendar, due_at

SAME_DAY = ProcedureTime.same_day()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_same_day_before_cutoff_is_due_at_closing(cal):
    assert due_at(at(2026, 11, 20, 14, 59), SAME_DAY, cal) == at(2026, 11, 20, 17)


def test_same_day_at_cutoff_goes_to_next_working_day_over_the_weekend(cal):
    # Friday 15:00 -> Monday 17:00
    assert due_at(at(2026, 11, 20, 15, 0), SAME_DAY, cal) == at(2026, 11, 23, 17)


def test_same_day_skips_the_new_culture_day_holiday(cal):
    # 24/11 is Vietnam Culture Day from 2026: Monday 23/11 at 16:00 -> Wednesday 25/11.
    assert cal.holiday_name(date(2026, 11, 24))
    assert due_at(at(2026, 11, 23, 16), SAME_DAY, cal) == at(2026, 11, 25, 17)


def test_same_day_received_on_a_sunday(cal):
    assert due_at(at(2026, 11, 22, 10), SAME_DAY, cal) == at(2026, 11, 23, 17)


def test_same_day_received_before_opening_counts_that_day(cal):
    assert due_at(at(2026, 11, 23, 7, 15), SAME_DAY, cal) == at(2026, 11, 23, 17)


def test_working_days_are_eight_office_hours_each(cal):
    # Tuesday 10:30 + 3 working days -> Friday 10:30
    assert due_at(at(2026, 11, 17, 10, 30), ProcedureTime.working_days(3), cal) == at(2026, 11, 20, 10, 30)


def test_working_days_received_in_the_lunch_break_start_at_13(cal):
    # starts at 13:00 Tuesday: 4 h that afternoon, 4 h Wednesday morning
    assert due_at(at(2026, 11, 17, 12, 20), ProcedureTime.working_days(1), cal) == at(2026, 11, 18, 12)


def test_working_days_received_after_hours_start_next_morning_and_end_at_closing(cal):
    # Friday 18:00 -> starts Monday 08:00; 1 day ends Monday 17:00 (not Tuesday 08:00)
    assert due_at(at(2026, 11, 20, 18), ProcedureTime.working_days(1), cal) == at(2026, 11, 23, 17)


def test_working_days_jump_over_tet(cal):
    # Tết 2026: 16–20 February are days off. Friday 13/2 at 09:00 + 2 days -> Tuesday 24/2 09:00.
    assert not cal.is_working_day(date(2026, 2, 16))
    assert due_at(at(2026, 2, 13, 9), ProcedureTime.working_days(2), cal) == at(2026, 2, 24, 9)


def test_national_make_up_saturday_is_a_working_day(cal):
    # The holidays package knows 2026-08-22 (Saturday) is worked for the 31/8 day off.
    assert cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 8, 31))
    assert due_at(at(2026, 8, 21, 16), SAME_DAY, cal) == at(2026, 8, 22, 17)


def test_office_extra_day_off_and_make_up_day():
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 11, 25)}), extra_work_days=frozenset({date(2026, 11, 28)}))
    assert not cal.is_working_day(date(2026, 11, 25))
    assert cal.is_working_day(date(2026, 11, 28))  # a Saturday, with Monday's hours
    # Monday 16:00 same-day: 24 holiday, 25 office off, 26 is next.
    assert due_at(at(2026, 11, 23, 16), SAME_DAY, cal) == at(2026, 11, 26, 17)
    assert cal.intervals(date(2026, 11, 28))[0][0] == at(2026, 11, 28, 8)


def test_saturday_morning_office():
    cal = WorkCalendar(hours=OfficeHours.default(saturday_morning=True))
    assert due_at(at(2026, 11, 21, 9), SAME_DAY, cal) == at(2026, 11, 21, 12)
    # After Saturday's closing (12:00) but before the 15:00 cut-off: due the next working day.
    assert due_at(at(2026, 11, 21, 13), SAME_DAY, cal) == at(2026, 11, 23, 17)
    # 3 h on Saturday morning, 4 h Monday morning, 1 h after lunch
    assert due_at(at(2026, 11, 21, 9), ProcedureTime.working_days(1), cal) == at(2026, 11, 23, 14)


def test_naive_time_is_refused(cal):
    with pytest.raises(ValueError, match="naive"):
        due_at(datetime(2026, 11, 23, 9), SAME_DAY, cal)


def test_office_hours_round_trip_and_bad_rows():
    hours = OfficeHours.default(saturday_morning=True)
    assert OfficeHours.from_rows(hours.to_rows()) == hours
    with pytest.raises(ValueError):
        OfficeHours.from_rows([[0, "12:00", "08:00"]])


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=TZ)
)
times = st.one_of(st.just(SAME_DAY), st.integers(1, 30).map(ProcedureTime.working_days))


@settings(max_examples=300, deadline=None)
@given(moments, times)
def test_due_time_is_always_after_receipt_on_a_working_day_inside_hours(cal_received, ptime):
    cal = WorkCalendar()
    due = due_at(cal_received, ptime, cal)
    assert due > cal_received
    assert cal.is_working_day(due.date())
    assert any(start < due <= end for start, end in cal.intervals(due.date()))
    if ptime.kind == "working_days":
        # Exactly N x 8 office hours lie between receipt and due time.
        office_time = timedelta()
        day = cal_received.date()
        while day <= due.date():
            for start, end in cal.intervals(day):
                lo, hi = max(start, cal_received), min(end, due)
                if hi > lo:
                    office_time += hi - lo
            day += timedelta(days=1)
        assert office_time == timedelta(hours=8 * ptime.days)
