"""The queue service through the `Office` interface: numbering, call order, steps, figures, the day."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from counter_app.errors import InvalidInput, InvalidTransition, NotFound
from counter_app.local.office import LocalOffice
from counter_app.store import Store
from counter_app.store.models import Event, TicketCall


def _open(office: LocalOffice, *numbers: int) -> None:
    for n in numbers:
        office.set_counter_open(n, True, actor=f"canbo{n}")


def test_numbers_run_per_lane_and_restart_the_next_day(office, clock):
    assert [office.issue_ticket(lane="A").label for _ in range(3)] == ["A001", "A002", "A003"]
    assert office.issue_ticket(lane="b").label == "B001"
    by_procedure = office.issue_ticket(procedure="ht.khai-sinh", source="reception")
    assert (by_procedure.label, by_procedure.lane_name) == ("A004", "Hộ tịch")
    clock.set(2026, 11, 24, 8, 0)
    assert office.issue_ticket(lane="A").label == "A001"
    assert office.ticket("A001").day.isoformat() == "2026-11-24"


def test_bad_ticket_requests_are_refused_clearly(office):
    with pytest.raises(NotFound, match="prefix") as exc:
        office.issue_ticket(lane="Z")
    assert "“Z”" in exc.value.message_vi
    with pytest.raises(InvalidInput) as exc:
        office.issue_ticket()
    assert exc.value.message_vi == "Hãy chọn lĩnh vực hoặc thủ tục để lấy số."
    with pytest.raises(InvalidInput):
        office.issue_ticket(lane="A", priority="vip")
    assert office.tickets_of_day() == []


def test_priority_tickets_go_first_then_the_counters_lane_order(office, clock):
    with office.store.write() as s:
        from counter_app.store.models import Counter
        counter = s.exec(select(Counter).where(Counter.number == 1)).one()
        counter.lanes = ["B", "A"]
        s.add(counter)
    office.issue_ticket(lane="A")  # A001, first to arrive
    clock.set(2026, 11, 23, 9, 31)
    office.issue_ticket(lane="B")  # B001
    clock.set(2026, 11, 23, 9, 32)
    office.issue_ticket(lane="A", priority="elderly")  # A002
    called = []
    for _ in range(3):
        t = office.call_next(1, actor="canbo1")
        called.append(t.label)
        office.start_serving(1, actor="canbo1")
        office.finish_ticket(1, actor="canbo1")
    assert called == ["A002", "B001", "A001"]
    assert office.call_next(1, actor="canbo1") is None


def test_ordinary_tickets_do_not_starve_behind_priority_ones(office, clock):
    office.issue_ticket(lane="A")  # A001 at 9:30
    for minute in range(6):
        clock.set(2026, 11, 23, 9, 40 + minute)
        office.issue_ticket(lane="A", priority="pregnancy")
    calls = []
    for minute in range(5):
        clock.set(2026, 11, 23, 9, 52 + minute)
        calls.append(office.call_next(1, actor="canbo1").label)
        office.start_serving(1, actor="canbo1")
        office.finish_ticket(1, actor="canbo1")
    # Three priority calls in a row (the default guard), then A001, which has waited over 20 minutes.
    assert calls == ["A002", "A003", "A004", "A001", "A005"]


def test_the_guard_waits_until_the_ordinary_ticket_is_overdue(office, clock):
    clock.set(2026, 11, 23, 9, 50)
    office.issue_ticket(lane="A")  # A001, waits only a few minutes
    for _ in range(4):
        office.issue_ticket(lane="A", priority="merit")
    clock.set(2026, 11, 23, 9, 55)
    calls = []
    for _ in range(4):
        calls.append(office.call_next(1, actor="canbo1").label)
        office.start_serving(1, actor="canbo1")
        office.finish_ticket(1, actor="canbo1")
    assert calls == ["A002", "A003", "A004", "A005"]


def test_a_call_records_one_announcement_and_the_times_of_every_step(office, clock):
    office.issue_ticket(lane="A")
    clock.set(2026, 11, 23, 9, 40)
    called = office.call_next(3, actor="canbo3")
    assert (called.label, called.state, called.counter_no) == ("A001", "called", 3)
    clock.set(2026, 11, 23, 9, 41)
    office.recall(3, actor="canbo3")
    clock.set(2026, 11, 23, 9, 42)
    office.start_serving(3, actor="canbo3")
    clock.set(2026, 11, 23, 9, 50)
    done = office.finish_ticket(3, actor="canbo3", dossier_codes=["000.00.73.H26-261123-0001"])
    assert (done.wait_s, done.walk_s, done.service_s) == (600, 60, 480)
    assert done.dossier_codes == ["000.00.73.H26-261123-0001"]
    calls = office.calls_since(0)
    assert [(c.label, c.counter_no, c.recall) for c in calls] == [("A001", 3, False), ("A001", 3, True)]
    assert calls[0].announcement_vi == "Mời công dân có số A001 đến quầy số 3"
    with office.store.read() as s:
        kinds = [e.kind for e in s.exec(select(Event).where(col(Event.subject) == "ticket:2026-11-23:A001")
                                        .order_by(col(Event.seq)))]
    assert kinds == ["ticket.issue", "ticket.call", "ticket.recall", "ticket.serve", "ticket.finish"]
    assert office.verify_log().ok


def test_impossible_steps_are_refused_with_the_state_named(office, clock):
    with pytest.raises(InvalidTransition) as exc:
        office.finish_ticket(1, actor="canbo1")
    assert "chưa gọi vé nào" in exc.value.message_vi
    office.issue_ticket(lane="A")
    office.issue_ticket(lane="A")
    office.call_next(1, actor="canbo1")
    with pytest.raises(InvalidTransition) as exc:
        office.finish_ticket(1, actor="canbo1")
    assert exc.value.message_vi == "Không thể hoàn thành vé A001: vé đang ở trạng thái “Đã gọi”."
    with pytest.raises(InvalidTransition) as exc:
        office.call_next(1, actor="canbo1")
    assert "đang có vé A001" in exc.value.message_vi
    with pytest.raises(InvalidTransition) as exc:
        office.no_show(1, actor="canbo1")
    assert "đủ 2 lần" in exc.value.message_vi
    office.recall(1, actor="canbo1")
    office.recall(1, actor="canbo1")
    assert office.no_show(1, actor="canbo1").state == "no_show"
    assert office.call_next(1, actor="canbo1").label == "A002"


def test_a_ticket_of_another_day_cannot_be_called(office, clock):
    office.issue_ticket(lane="C")
    clock.set(2026, 11, 24, 8, 0)
    with pytest.raises(InvalidTransition) as exc:
        office.call_ticket(1, "C001", actor="canbo1")
    assert exc.value.message_vi == "Vé C001 là vé của ngày 23/11/2026; chỉ gọi được vé của hôm nay."


def test_out_of_turn_call_transfer_keeps_arrival_and_hold_returns(office, clock):
    office.issue_ticket(lane="A")  # A001 9:30
    clock.set(2026, 11, 23, 9, 35)
    office.issue_ticket(lane="B")  # B001 9:35
    office.issue_ticket(lane="A")  # A002
    assert office.call_ticket(1, "A002", actor="canbo1").label == "A002"
    office.start_serving(1, actor="canbo1")
    office.hold_ticket(1, actor="canbo1")  # the citizen goes to copy a paper
    assert office.call_next(1, actor="canbo1").label == "A001"
    office.start_serving(1, actor="canbo1")
    moved = office.transfer_ticket(1, actor="canbo1", to_lane="B")
    assert (moved.state, moved.lane_prefix, moved.label) == ("waiting", "B", "A001")
    assert moved.arrival_at < office.ticket("B001").arrival_at
    # Counter 2 serves B: the transferred ticket arrived first, so it goes before B001.
    assert office.call_next(2, actor="canbo2").label == "A001"
    office.start_serving(2, actor="canbo2")
    office.transfer_ticket(2, actor="canbo2", to_counter=3)
    assert office.call_next(3, actor="canbo3").label == "A001"  # addressed to counter 3 itself
    back = office.call_ticket(1, "A002", actor="canbo1")
    assert (back.state, back.counter_no) == ("called", 1)
    with pytest.raises(InvalidTransition):
        office.call_ticket(2, "A001", actor="canbo2")  # called at counter 3 already


def test_waiting_figures_and_the_estimate(office, clock):
    for _ in range(3):
        office.issue_ticket(lane="A")
    fourth = office.issue_ticket(lane="A")
    assert fourth.people_ahead == 3
    assert fourth.estimate.label_vi == "không xác định"  # no counter open for the lane
    _open(office, 1, 2)
    fourth = office.ticket("A004")
    # Default 6 minutes per service, two counters: 3 ahead → 9 to 12 minutes.
    assert (fourth.estimate.low_min, fourth.estimate.high_min) == (9, 12)
    assert fourth.estimate.label_vi == "khoảng 9–12 phút"
    prio = office.issue_ticket(lane="A", priority="disability")
    assert prio.people_ahead == 0
    status = office.queue_status()
    lane_a = next(lane for lane in status.lanes if lane.prefix == "A")
    assert (lane_a.waiting, lane_a.priority_waiting, lane_a.open_counters) == (5, 1, 2)
    # Measured service times replace the default: two services of 10 minutes.
    for start in (35, 45):
        clock.set(2026, 11, 23, 9, start)
        office.call_next(1, actor="canbo1")
        office.start_serving(1, actor="canbo1")
        clock.set(2026, 11, 23, 9, start + 10)
        office.finish_ticket(1, actor="canbo1")
    waiting = office.ticket("A004")  # A005 (priority) and A001 were served
    assert waiting.people_ahead == 2
    assert (waiting.estimate.low_min, waiting.estimate.high_min) == (10, 15)
    panel = office.counter_queue(1)
    assert [t.label for t in panel.waiting] == ["A002", "A003", "A004"]
    assert (panel.served_today, panel.is_open) == (2, True)


def test_the_queue_survives_a_restart_and_the_day_closes(office, ready_store, clock):
    office.issue_ticket(lane="A")
    office.issue_ticket(lane="A")
    office.call_next(1, actor="canbo1")
    again = LocalOffice(ready_store, clock=clock)  # the program started again mid-day
    assert again.counter_queue(1).current.label == "A001"
    assert again.call_next(2, actor="canbo2").label == "A002"
    clock.set(2026, 11, 24, 7, 45)
    fresh = again.issue_ticket(lane="A")
    assert fresh.label == "A001" and fresh.people_ahead == 0
    yesterday = again.tickets_of_day(fresh.day.replace(day=23))
    assert {t.state for t in yesterday} == {"not_served"}
    with ready_store.read() as s:
        assert s.exec(select(TicketCall)).all()  # yesterday's calls are kept as history


def test_staff_can_close_the_day(office):
    office.issue_ticket(lane="A")
    office.issue_ticket(lane="B")
    office.call_next(1, actor="canbo1")
    assert office.close_queue_day(actor="truongbp") == 2
    assert {t.state for t in office.tickets_of_day()} == {"not_served"}
    assert office.counter_queue(1).current is None


def test_the_office_gives_a_whole_field_to_another_lane(office, tmp_path, capsys):
    """Issue 22: each procedure's kiosk lane comes from its field, by a table the office can change."""
    from counter_app.cli.main import main

    assert office.issue_ticket(procedure="1.014063", source="reception").label.startswith("C")  # căn cước: C
    db = str(office.store.path)
    assert main(["--db", db, "queue", "lane-fields", "G", "Cấp, quản lý căn cước"]) == 0
    assert "G Lao động – Xã hội: Lao động – Xã hội; Cấp, quản lý căn cước" in capsys.readouterr().out
    assert office.issue_ticket(procedure="1.014063", source="reception").label.startswith("G")


def test_the_queue_figures_every_screen_asks_for_follow_every_change_of_the_store(tmp_path):
    """Worked out once per change: a change from this office, and one from another program on the same
    file (the one-PC office's kiosk), each shows at once."""
    from counter_app import office_setup
    from counter_app.dossiers import catalog

    path = tmp_path / "office.sqlite3"
    store = Store.open(path)
    with store.write() as s:
        office_setup.setup_office(s, ward_code=73, agency_code="000.00.73.H26", actor="admin")
        catalog.import_catalog(s, catalog.bundled_catalog(), actor="admin")
    here = LocalOffice(store)
    assert sum(lane.waiting for lane in here.queue_status().lanes) == 0
    here.issue_ticket(lane="A")
    assert sum(lane.waiting for lane in here.queue_status().lanes) == 1
    kiosk_store = Store.open(path)  # another program on the same file
    LocalOffice(kiosk_store).issue_ticket(lane="B")
    first = here.queue_status()
    assert sum(lane.waiting for lane in first.lanes) == 2
    first.lanes.clear()  # what a caller does with its copy is its own
    assert sum(lane.waiting for lane in here.queue_status().lanes) == 2
    kiosk_store.close()
    store.close()
