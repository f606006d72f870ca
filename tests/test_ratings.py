"""The citizen's rating: asked after each service (a finished ticket, a result handed back), answered once,
within its time, and counted in the period's report per clerk and per lane."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from counter_app.errors import InvalidInput, InvalidTransition, NotFound
from tests.conftest import make_form, signed_in


def _serve(office, clock, counter: int = 1, clerk: str = "canbo1") -> None:
    office.set_counter_open(counter, True, actor=clerk)
    office.issue_ticket(lane="A")
    office.call_next(counter, actor=clerk)
    office.start_serving(counter, actor=clerk)
    clock.at += timedelta(minutes=5)
    office.finish_ticket(counter, actor=clerk)


def test_a_finished_ticket_asks_the_citizen_once(office, clock):
    assert office.rating_question(1) is None
    _serve(office, clock)
    question = office.rating_question(1)
    assert question is not None and question.clerk_name == "Nguyễn Thị Lan" and question.counter_name == "Quầy số 1"
    assert list(question.choices.values()) == ["Rất hài lòng", "Hài lòng", "Chưa hài lòng"]
    assert office.rating_question(2) is None  # the screen of another counter asks nothing
    clock.at += timedelta(seconds=10)
    office.rate(1, question.id, "not_satisfied", ["wait", "guidance"])
    assert office.rating_question(1) is None  # answered: the screen goes quiet
    with pytest.raises(InvalidTransition) as again:
        office.rate(1, question.id, "very_satisfied")
    assert "đã được đánh giá" in again.value.message_vi
    with pytest.raises(NotFound):
        office.rate(2, question.id, "satisfied")  # from the screen of another counter


def test_the_question_goes_after_30_s_and_a_late_tap_is_refused(office, clock):
    _serve(office, clock)
    question = office.rating_question(1)
    clock.at += timedelta(seconds=31)
    assert office.rating_question(1) is None
    clock.at += timedelta(seconds=30)
    with pytest.raises(InvalidTransition) as late:
        office.rate(1, question.id, "satisfied")
    assert "hết thời gian" in late.value.message_vi


def test_a_bad_choice_or_reasons_with_a_good_rating_are_refused(office, clock):
    _serve(office, clock)
    question = office.rating_question(1)
    with pytest.raises(InvalidInput):
        office.rate(1, question.id, "so-so")
    with pytest.raises(InvalidInput):
        office.rate(1, question.id, "satisfied", ["wait"])
    with pytest.raises(InvalidInput):
        office.rate(1, question.id, "not_satisfied", ["bribe"])


def test_a_result_handed_back_at_a_counter_asks_there(office, clock):
    made = office.receive(make_form(), actor="canbo1")
    office.result_ready(made.code, actor="canbo1")
    signed_in(office, "canbo2", counter_no=2)
    office.return_result(made.code, to_whom="Nguyễn Văn Đức", id_checked=True, actor="canbo2")
    question = office.rating_question(2)
    assert question is not None and question.clerk_name != ""
    office.rate(2, question.id, "very_satisfied")


def test_ratings_in_the_period_report_per_clerk_and_lane(office, clock):
    answers = [("canbo1", 1, "very_satisfied", []), ("canbo1", 1, "not_satisfied", ["wait"]),
               ("canbo2", 2, "satisfied", []), ("canbo2", 2, None, [])]  # the last citizen walked away
    for clerk, counter, choice, reasons in answers:
        _serve(office, clock, counter, clerk)
        question = office.rating_question(counter)
        if choice:
            office.rate(counter, question.id, choice, reasons)
        clock.at += timedelta(minutes=1)
    report = office.period_report(date(2026, 11, 23), date(2026, 11, 23))
    total = report.ratings_total
    assert (total.services, total.answered, total.very_satisfied, total.satisfied, total.not_satisfied) == (
        4, 3, 1, 1, 1)
    assert total.reasons == {"Phải chờ lâu": 1} and total.satisfied_rate == pytest.approx(2 / 3)
    lan = next(r for r in report.ratings_per_clerk if r.key == "canbo1")
    assert lan.label == "Nguyễn Thị Lan" and (lan.services, lan.not_satisfied) == (2, 1)
    (lane,) = report.ratings_per_lane
    assert lane.services == 4 and lane.label


def test_a_result_handed_back_after_the_clerk_s_session_ran_out_asks_nobody(office, clock):
    made = office.receive(make_form(), actor="canbo1")
    office.result_ready(made.code, actor="canbo1")
    signed_in(office, "canbo2", counter_no=2)  # yesterday's session, never signed out
    clock.at += timedelta(days=1)
    office.return_result(made.code, to_whom="Nguyễn Văn Đức", id_checked=True, actor="canbo2")
    assert office.rating_question(2) is None
