"""A period's report: each figure against what the test itself did to the dossiers and tickets it made.

December 2026 at Cửa Nam, told dossier by dossier; each line of STORY says where the dossier must be
counted, and the expected rows are summed from those labels, never from the report's own queries.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from counter_app.errors import InvalidInput
from counter_app.rules.clock import TZ
from counter_app.views.dossiers import DocumentIn
from counter_app.views.reports import DossierFigures
from tests.conftest import make_form

THREE_DAYS, FIVE_DAYS = "1.014056", "1.012537"  # 3 and 5 working days, neither with a fee


def _at(clock, text: str) -> None:
    clock.at = datetime.fromisoformat(text).replace(tzinfo=TZ)


def _receive(office, clock, when: str, procedure: str, clerk: str = "canbo1", **form: object) -> str:
    _at(clock, when)
    made = office.receive(make_form(procedure).model_copy(update=form), actor=clerk)
    return made.code


@pytest.fixture
def december(office, clock):
    """The story; returns (procedure, clerk, field, counted-as labels) per dossier."""
    story = []

    def counted(code_or_proc: str, procedure: str, clerk: str, *labels: str) -> None:
        story.append((procedure, clerk, labels))

    # Before December: one still open (carried over, past due at the end), one settled in November and
    # handed back in December (counted nowhere), one received 30/11 and settled late in December.
    _receive(office, clock, "2026-11-20 09:00", THREE_DAYS)
    counted("A", THREE_DAYS, "canbo1", "carried_over", "in_progress_overdue")
    b = _receive(office, clock, "2026-11-20 09:10", THREE_DAYS)
    _at(clock, "2026-11-23 10:00")
    office.result_ready(b, actor="canbo1")
    _at(clock, "2026-12-02 08:30")
    office.return_result(b, to_whom="Nguyễn Văn Đức", id_checked=True, actor="canbo1")
    c = _receive(office, clock, "2026-11-30 09:00", FIVE_DAYS)
    due_c = office.dossier(c).due_at
    _at(clock, "2026-12-09 10:00")
    assert clock.at > due_c
    office.result_ready(c, actor="canbo1")
    counted("C", FIVE_DAYS, "canbo1", "carried_over", "settled_late")

    # December.
    d = _receive(office, clock, "2026-12-02 09:00", FIVE_DAYS, clerk="canbo2")
    _at(clock, "2026-12-04 10:00")
    assert clock.at.date() < office.dossier(d).due_at.date()
    office.result_ready(d, actor="canbo2")
    counted("D", FIVE_DAYS, "canbo2", "received_counter", "settled_early")

    e = _receive(office, clock, "2026-12-02 10:00", THREE_DAYS, clerk="canbo2", channel=2)
    due_e = office.dossier(e).due_at
    clock.at = due_e - timedelta(minutes=30)  # the due day itself, before the due time
    office.result_ready(e, actor="canbo2")
    counted("E", THREE_DAYS, "canbo2", "received_online", "settled_on_time")

    f = _receive(office, clock, "2026-12-03 09:00", THREE_DAYS)
    _at(clock, "2026-12-03 10:00")
    office.request_supplement(f, missing=[DocumentIn(name="Bản sao sổ hộ khẩu", copies=1)],
                              reason="Thiếu giấy tờ", actor="canbo1")
    _at(clock, "2026-12-16 10:00")
    office.refuse(f, reason="Quá hạn bổ sung mà không bổ sung", actor="canbo1")
    counted("F", THREE_DAYS, "canbo1", "received_counter", "supplement", "refused")

    stopped = _receive(office, clock, "2026-12-03 09:30", THREE_DAYS)
    _at(clock, "2026-12-04 08:30")
    office.stop(stopped, reason="Cơ quan có thẩm quyền yêu cầu dừng", actor="truongbp")
    counted("S", THREE_DAYS, "canbo1", "received_counter", "stopped")

    g = _receive(office, clock, "2026-12-04 09:00", THREE_DAYS)
    _at(clock, "2026-12-04 11:00")
    office.withdraw(g, reason="Công dân xin rút", actor="canbo1")
    counted("G", THREE_DAYS, "canbo1", "received_counter", "withdrawn")

    h = _receive(office, clock, "2026-12-07 09:00", THREE_DAYS)
    _at(clock, "2026-12-07 10:00")
    office.request_supplement(h, missing=[DocumentIn(name="Bản sao giấy khai sinh", copies=1)],
                              reason="Thiếu giấy khai sinh", actor="canbo1")
    counted("H", THREE_DAYS, "canbo1", "received_counter", "supplement", "in_progress_on_time")

    i = _receive(office, clock, "2026-12-08 09:00", THREE_DAYS)
    due_i = office.dossier(i).due_at
    _at(clock, "2026-12-09 15:00")
    office.reschedule(i, reason="Chờ xác minh", new_due=datetime(2026, 12, 18, 16, 0, tzinfo=TZ), actor="canbo1")
    _at(clock, "2026-12-14 09:00")
    assert clock.at > due_i  # before the apology's new date, after the legal one: late
    office.result_ready(i, actor="canbo1")
    counted("I", THREE_DAYS, "canbo1", "received_counter", "settled_late")

    _receive(office, clock, "2026-12-10 09:00", THREE_DAYS)
    counted("J", THREE_DAYS, "canbo1", "received_counter", "in_progress_overdue")

    _receive(office, clock, "2026-12-30 09:00", FIVE_DAYS, clerk="canbo2")
    counted("K", FIVE_DAYS, "canbo2", "received_counter", "in_progress_on_time")

    _receive(office, clock, "2026-12-11 09:00", THREE_DAYS, outcome="refuse", reason="Không thuộc thẩm quyền")
    counted("L", THREE_DAYS, "canbo1", "refused")  # refused at intake: never received

    _receive(office, clock, "2027-01-04 09:00", THREE_DAYS)  # January: not December's
    _at(clock, "2027-01-05 10:00")
    return story


def _expected(story, key=None) -> Counter:
    found: Counter = Counter()
    for procedure, clerk, labels in story:
        if key is None or key(procedure, clerk):
            found.update(labels)
    return found


FIGURES = ("received_counter", "received_online", "received_post", "carried_over", "settled_early",
           "settled_on_time", "settled_late", "in_progress_on_time", "in_progress_overdue", "refused", "withdrawn",
           "stopped", "supplement")


def _as_counter(row: DossierFigures) -> Counter:
    return Counter({name: getattr(row, name) for name in FIGURES if getattr(row, name)})


def test_december_s_dossier_figures_match_the_story(office, december):
    report = office.period_report(date(2026, 12, 1), date(2026, 12, 31))
    assert _as_counter(report.total) == _expected(december)
    assert report.total.settled == 4 and report.total.on_time_rate == pytest.approx(2 / 4)
    assert report.total.to_handle == report.total.received + 2  # two carried over from November

    for row in report.per_procedure:
        assert _as_counter(row) == _expected(december, lambda p, _c, key=row.key: p == key), row.label
    assert {r.key for r in report.per_procedure} == {THREE_DAYS, FIVE_DAYS}

    names = {"canbo1": "Nguyễn Thị Lan", "canbo2": None}
    for row in report.per_clerk:
        assert _as_counter(row) == _expected(december, lambda _p, c, key=row.key: c == key), row.label
        if names.get(row.key):
            assert row.label == names[row.key]  # the clerk by full name, never by login
    fields = {office.procedure(p).field for p in (THREE_DAYS, FIVE_DAYS)}
    assert {r.key for r in report.per_field} == fields
    for row in report.per_field:
        procs = {p for p in (THREE_DAYS, FIVE_DAYS) if office.procedure(p).field == row.key}
        assert _as_counter(row) == _expected(december, lambda p, _c, procs=procs: p in procs)

    received_days = Counter({date(2026, 12, 2): 2, date(2026, 12, 3): 2, date(2026, 12, 4): 1,
                             date(2026, 12, 7): 1, date(2026, 12, 8): 1, date(2026, 12, 10): 1,
                             date(2026, 12, 30): 1})
    assert dict(report.received_per_day) == received_days


def test_a_period_still_running_counts_up_to_now_and_a_past_one_as_of_its_end(office, clock, december):
    first_week = office.period_report(date(2026, 12, 1), date(2026, 12, 6))  # asked on 5/1/2027
    # At 7/12 00:00: A (due in November) overdue; C (due 7/12) and E (due 7/12 10:00) on time then, and F
    # waiting for its supplement; D settled, G withdrawn, S stopped; H, I, J, K not received yet.
    assert first_week.total.in_progress_overdue == 1 and first_week.total.in_progress_on_time == 3
    assert first_week.total.received == 5 and first_week.total.carried_over == 2

    _at(clock, "2026-12-10 12:00")  # the same week asked while December runs: nothing after 10/12 exists yet
    december_so_far = office.period_report(date(2026, 12, 1), date(2026, 12, 31))
    assert december_so_far.at == clock.at


def test_a_period_the_wrong_way_round_or_too_long_is_refused_in_vietnamese(office):
    with pytest.raises(InvalidInput) as wrong:
        office.period_report(date(2026, 12, 31), date(2026, 12, 1))
    assert "Ngày kết thúc" in wrong.value.message_vi
    with pytest.raises(InvalidInput) as long:
        office.period_report(date(2016, 1, 1), date(2026, 12, 31))
    assert "5 năm" in long.value.message_vi


def test_the_queue_s_figures_per_lane_and_hour(office, clock):
    for number in (1, 2):
        office.set_counter_open(number, True, actor="canbo1")
    waits = []
    _at(clock, "2026-12-02 08:00")
    first = office.issue_ticket(lane="A")
    _at(clock, "2026-12-02 08:05")
    office.issue_ticket(lane="A")
    _at(clock, "2026-12-02 08:10")
    assert office.call_next(1, actor="canbo1").label == first.label
    waits.append(10)
    _at(clock, "2026-12-02 08:12")
    office.start_serving(1, actor="canbo1")
    _at(clock, "2026-12-02 08:20")
    office.finish_ticket(1, actor="canbo1")  # walk 2 min, service 8
    _at(clock, "2026-12-02 08:35")
    office.call_next(2, actor="canbo2")
    waits.append(30)
    _at(clock, "2026-12-02 08:37")
    office.recall(2, actor="canbo2")
    _at(clock, "2026-12-02 08:39")
    office.recall(2, actor="canbo2")  # called three times: then it may be marked absent
    _at(clock, "2026-12-02 08:40")
    office.no_show(2, actor="canbo2")
    _at(clock, "2026-12-02 09:15")
    office.issue_ticket(lane="A")
    _at(clock, "2026-12-02 09:20")
    office.call_next(1, actor="canbo1")
    waits.append(5)
    office.transfer_ticket(1, actor="canbo1", to_counter=2)
    _at(clock, "2026-12-02 09:30")
    office.call_next(2, actor="canbo2")
    _at(clock, "2026-12-02 09:31")
    office.start_serving(2, actor="canbo2")
    _at(clock, "2026-12-02 09:45")
    office.finish_ticket(2, actor="canbo2")  # walk 1, service 14
    _at(clock, "2026-12-03 10:00")

    report = office.period_report(date(2026, 12, 1), date(2026, 12, 31))
    q = report.queue_total
    assert (q.tickets, q.served, q.no_shows, q.transfers) == (3, 2, 1, 1)
    assert q.wait_median == statistics.median(waits) == 10 and q.wait_p90 == max(waits)  # 10, 30 and 5 minutes
    assert q.walk_median == 1.5 and q.service_median == 11
    assert q.called_within_15 == pytest.approx(2 / 3)
    assert [h.key for h in report.queue_per_hour] == ["08", "09"]
    assert [h.tickets for h in report.queue_per_hour] == [2, 1]
    (lane,) = report.queue_per_lane
    assert lane.tickets == 3 and lane.label
    assert office.period_report(date(2026, 12, 3), date(2026, 12, 31)).queue_total.tickets == 0
