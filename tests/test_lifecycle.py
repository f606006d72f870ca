from datetime import datetime

import pytest

from counter_app.errors import InvalidInput, InvalidTransition
from counter_app.rules.clock import TZ
from counter_app.rules.lifecycle import NEW, TRANSITIONS, Action, Status, allowed_actions, target
from counter_app.views.dossiers import DocumentIn
from tests.conftest import make_form


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", [NEW, *Status])
def test_every_transition_is_either_in_the_table_or_refused_naming_both_states(action, status):
    sources, _ = TRANSITIONS[action]
    if status in sources:
        result = target(action, status, supplement_from=Status.RECEIVED)
        assert isinstance(result, Status)
    else:
        with pytest.raises(InvalidTransition) as err:
            target(action, status)
        current_label = "Chưa có hồ sơ" if status is None else status.label_vi
        assert f"“{current_label}”" in err.value.message_vi
        assert err.value.message_vi.count("“") == 2  # both states are named


def test_terminal_statuses_allow_nothing():
    for status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED):
        assert allowed_actions(status) == []


def test_full_path_received_to_returned(office, clock):
    d = office.receive(make_form(), actor="canbo1")
    assert d.status == Status.RECEIVED and d.due_at is not None
    clock.set(2026, 11, 23, 10, 0)
    d = office.start_processing(d.code, actor="canbo1")
    d = office.hand_over(d.code, agency="Công an phường Cửa Nam", actor="canbo1")
    assert d.status == Status.PROCESSING and d.handling_agency == "Công an phường Cửa Nam"
    d = office.result_ready(d.code, actor="canbo1")
    assert [x.name for x in d.documents if x.role == "result"] == ["Thông báo kết quả đăng ký thường trú"]
    clock.set(2026, 11, 30, 9, 0)
    d = office.return_result(d.code, to_whom="Nguyễn Văn Đức", id_checked=True, actor="canbo2")
    assert d.status == Status.RETURNED
    assert d.returned_at == datetime(2026, 11, 30, 9, tzinfo=TZ)
    assert [e.kind for e in d.events] == [
        "dossier.receive", "dossier.start_processing", "dossier.hand_over", "dossier.result_ready",
        "dossier.return_result",
    ]
    assert [e.actor for e in d.events][-1] == "canbo2"
    assert d.allowed_actions == []


def test_supplement_stops_the_clock_and_restarts_it_on_receipt(office, clock):
    d = office.receive(make_form("cutru.tam-tru"), actor="canbo1")  # 3 working days
    assert d.due_at == datetime(2026, 11, 27, 9, 30, tzinfo=TZ)  # 24/11 is a holiday
    clock.set(2026, 11, 23, 11, 0)
    d = office.request_supplement(d.code, missing=[DocumentIn(name="Hợp đồng thuê nhà", copies=1, originals=0)],
                                  reason="Thiếu giấy tờ chứng minh chỗ ở", actor="canbo1")
    assert d.status == Status.SUPPLEMENT_REQUESTED and d.due_at is None
    clock.set(2026, 12, 1, 14, 0)
    d = office.receive_supplement(d.code, actor="canbo1")
    assert d.status == Status.RECEIVED
    assert d.due_at == datetime(2026, 12, 4, 14, 0, tzinfo=TZ)  # three working days from the complete dossier
    assert d.original_due_at == datetime(2026, 11, 27, 9, 30, tzinfo=TZ)
    assert all(doc.provided for doc in d.documents)


def test_supplement_during_processing_returns_to_processing(office, clock):
    d = office.receive(make_form(), actor="canbo1")
    office.start_processing(d.code, actor="canbo1")
    office.request_supplement(d.code, missing=[DocumentIn(name="Sổ đỏ")], reason="Cần bản chính", actor="city")
    assert office.receive_supplement(d.code, actor="canbo1").status == Status.PROCESSING


def test_intake_straight_to_supplement_or_refusal(office):
    form = make_form("ht.khai-sinh")
    form.documents = [DocumentIn(name="Tờ khai đăng ký khai sinh", mandatory=True),
                      DocumentIn(name="Giấy chứng sinh hoặc giấy tờ thay thế", mandatory=True, provided=False)]
    with pytest.raises(InvalidInput) as err:
        office.receive(form, actor="canbo1")
    assert "Giấy chứng sinh" in err.value.message_vi
    form.outcome, form.reason = "supplement", "Thiếu giấy chứng sinh"
    d = office.receive(form, actor="canbo1")
    assert d.status == Status.SUPPLEMENT_REQUESTED and d.due_at is None
    refused = make_form("ht.khai-sinh")
    refused.outcome, refused.reason = "refuse", "Không thuộc thẩm quyền"
    assert office.receive(refused, actor="canbo1").status == Status.REFUSED


def test_reschedule_with_apology(office, clock):
    d = office.receive(make_form("cutru.tam-tru"), actor="canbo1")
    with pytest.raises(InvalidInput) as err:
        office.reschedule(d.code, reason="Chờ xác minh", new_due=datetime(2026, 11, 26, 9, tzinfo=TZ), actor="x")
    assert "sau ngày hẹn hiện tại" in err.value.message_vi
    with pytest.raises(InvalidInput) as err:
        office.reschedule(d.code, reason="Chờ xác minh", new_due=datetime(2026, 11, 29, 9, tzinfo=TZ), actor="x")
    assert "ngày nghỉ" in err.value.message_vi
    d = office.reschedule(d.code, reason="Chờ xác minh", new_due=datetime(2026, 12, 2, 17, tzinfo=TZ), actor="x")
    assert d.due_at == datetime(2026, 12, 2, 17, tzinfo=TZ)
    assert d.events[-1].details["reason"] == "Chờ xác minh"


def test_an_apology_never_promises_a_date_already_passed(office, clock):
    d = office.receive(make_form("ct.chu-ky"), actor="canbo1")  # due today at 17:00
    clock.set(2026, 11, 30, 10, 0)  # a week late
    with pytest.raises(InvalidInput) as err:  # after the old date, but already gone
        office.reschedule(d.code, reason="Chờ xác minh", new_due=datetime(2026, 11, 26, 17, tzinfo=TZ), actor="x")
    assert "đã qua" in err.value.message_vi
    later = office.reschedule(d.code, reason="Chờ xác minh", new_due=datetime(2026, 12, 1, 17, tzinfo=TZ), actor="x")
    assert later.due_at > clock.at and not later.overdue


def test_return_requires_an_id_check(office):
    d = office.receive(make_form("ct.chu-ky"), actor="canbo1")
    office.result_ready(d.code, actor="canbo1")
    with pytest.raises(InvalidInput):
        office.return_result(d.code, to_whom="Nguyễn Văn Đức", id_checked=False, actor="canbo1")
    assert office.dossier(d.code).status == Status.RESULT_READY


def test_overdue_flag(office, clock):
    d = office.receive(make_form("ct.chu-ky"), actor="canbo1")
    assert not office.dossier(d.code).overdue
    clock.set(2026, 11, 23, 17, 1)
    assert office.dossier(d.code).overdue
    office.result_ready(d.code, actor="canbo1")
    assert not office.dossier(d.code).overdue
