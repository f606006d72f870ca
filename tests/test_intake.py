import re
import sqlite3
import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from counter_app.errors import DuplicateSubmission, InvalidInput, NotFound
from counter_app.local.office import LocalOffice
from counter_app.rules.clock import TZ
from counter_app.rules.clock_guard import ClockWrong
from counter_app.store import Store
from counter_app.store.models import Dossier, Event, Outbox
from tests.conftest import AGENCY, make_form
from tests.processes import run_together


def counts(store):
    with store.read() as s:
        return tuple(s.exec(select(func.count()).select_from(t)).one() for t in (Dossier, Event, Outbox))


def test_code_register_and_due(office):
    d = office.receive(make_form(), actor="canbo1")
    assert re.fullmatch(rf"{re.escape(AGENCY)}-261123-0001", d.code)
    assert (d.register_book, d.register_row) == ("2026", 1)
    assert d.due_at == datetime(2026, 12, 3, 9, 30, tzinfo=TZ)  # 7 working days, 24/11 off
    assert d.phone == "0912345678" and d.clerk == "canbo1"
    assert [f.amount for f in d.fees] == [20000]


def test_numbers_restart_daily_and_are_never_reused(office, clock):
    first = office.receive(make_form(), actor="a").code
    second = office.receive(make_form(), actor="a").code
    clock.set(2026, 11, 25, 8, 5)
    third = office.receive(make_form(), actor="a").code
    assert (first[-4:], second[-4:], third[-11:]) == ("0001", "0002", "261125-0001")
    # Even if the newest dossier of the day vanished from the table, its number is not given again.
    con = sqlite3.connect(office.store.path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DELETE FROM dossier WHERE code = ?", (third,))
    con.commit()
    con.close()
    clock.set(2026, 11, 25, 9, 0)
    assert office.receive(make_form(), actor="a").code.endswith("261125-0002")


def test_a_clock_reading_1970_is_refused_before_anything_is_written(office, clock):
    office.receive(make_form(), actor="a")
    clock.set(1970, 1, 1, 8, 0)  # the CMOS battery is flat
    with pytest.raises(ClockWrong) as refused:
        office.receive(make_form(), actor="a")
    assert "Đồng hồ máy tính đang chỉ 01/01/1970 08:00, không thể đúng" in refused.value.message_vi
    assert "Xin chỉnh lại ngày giờ máy tính" in refused.value.message_vi
    clock.set(2026, 11, 23, 9, 40)
    assert office.receive(make_form(), actor="a").code.endswith("0002")  # nothing was written meanwhile


def test_fee_quantity(office):
    form = make_form("ct.ban-sao")
    form.fee_quantities = {"Phí chứng thực bản sao": 5}
    d = office.receive(form, actor="a")
    assert [(f.unit_amount, f.quantity, f.amount) for f in d.fees] == [(2000, 5, 10000)]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"name": ""}, "họ tên"),
        ({"id_number": ""}, "Chưa nhập số căn cước"),
        ({"id_number": "12345"}, "12 chữ số"),
        ({"address": " "}, "địa chỉ"),
        ({"phone": "12345"}, "Số điện thoại"),
        ({"email": "not-an-email"}, "thư điện tử"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(office, change, fragment):
    before = counts(office.store)
    with pytest.raises(InvalidInput) as err:
        office.receive(make_form(**change), actor="a")
    assert fragment in err.value.message_vi
    assert counts(office.store) == before


def test_unknown_procedure(office):
    before = counts(office.store)
    with pytest.raises(NotFound) as err:
        office.receive(make_form("9.999999"), actor="a")
    assert "9.999999" in err.value.message_vi
    assert counts(office.store) == before


def test_duplicate_submission_names_the_first_dossier(office):
    form = make_form()
    d = office.receive(form, actor="a")
    before = counts(office.store)
    with pytest.raises(DuplicateSubmission) as err:
        office.receive(form, actor="a")
    assert err.value.code == d.code and d.code in err.value.message_vi
    assert counts(office.store) == before


def test_failure_after_the_dossier_row_rolls_everything_back(office, monkeypatch):
    import counter_app.city.outbox as outbox_mod

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(outbox_mod, "enqueue", broken)
    before = counts(office.store)
    with pytest.raises(RuntimeError):
        office.receive(make_form(), actor="a")
    assert counts(office.store) == before
    with office.store.read() as s:
        assert s.execute(text("SELECT count(*) FROM dossier_search")).scalar() == 0


def test_two_clerks_at_the_same_instant_in_threads(office):
    codes: list[str] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def clerk(n: int) -> None:
        barrier.wait()
        try:
            for _ in range(5):
                codes.append(office.receive(make_form(), actor=f"canbo{n}").code)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(int(c[-4:]) for c in codes) == list(range(1, 41))
    assert office.verify_log().ok


def _receive_in_process(path: str, n: int) -> list[str]:
    office = LocalOffice(Store.open(path), clock=lambda: datetime(2026, 11, 23, 9, 30, tzinfo=TZ))
    return [office.receive(make_form(), actor=f"p{n}").code for _ in range(5)]


def test_two_clerks_at_the_same_instant_in_processes(office):
    results = run_together(_receive_in_process, [(str(office.store.path), n) for n in range(4)])
    codes = [c for codes in results for c in codes]
    assert sorted(int(c[-4:]) for c in codes) == list(range(1, 21))
    assert office.verify_log().ok


def test_every_problem_comes_at_once_with_its_field(office):
    """Issue 19: three saves to learn of the ID, the address and the phone; now one answer names all three."""
    from counter_app.errors import FormProblems

    before = counts(office.store)
    with pytest.raises(FormProblems) as err:
        office.receive(make_form(id_number="12345", address="", phone="0912"), actor="a")
    assert [p.field for p in err.value.problems] == ["id_number", "address", "phone"]
    assert "12 chữ số" in err.value.message_vi and "địa chỉ" in err.value.message_vi
    assert counts(office.store) == before


def test_a_name_typed_in_lower_case_is_kept_in_proper_case(office):
    d = office.receive(make_form(name="nguyễn  văn an"), actor="a")
    assert d.applicant_name == "Nguyễn Văn An"


def test_a_birth_registration_names_the_child_and_an_enterprise_its_representative(office):
    from counter_app.errors import FormProblems
    from counter_app.views.dossiers import SubjectIn

    form = make_form("ht.khai-sinh")
    form.subject = SubjectIn(name="")
    with pytest.raises(FormProblems) as err:
        office.receive(form, actor="a")
    assert err.value.problems[0].field == "subject_name"
    assert "người được khai sinh" in err.value.message_vi
    form.subject = SubjectIn(name="nguyễn minh an", birth_date=date(2026, 11, 16))
    d = office.dossier(office.receive(form, actor="a").code)
    assert (d.applicant_name, d.subject_label, d.subject_name, d.subject_birth_date) == (
        "Nguyễn Văn Đức", "Người được khai sinh", "Nguyễn Minh An", date(2026, 11, 16))
    assert [x.code for x in office.search("minh an")] == [d.code]  # found by the child's name too
    with pytest.raises(FormProblems) as err:
        office.receive(make_form("ct.chu-ky", type=2, name="Công ty TNHH Hoa Sen", id_number="0101234567",
                                 representative="Vũ Minh Khánh"), actor="a")
    assert [p.field for p in err.value.problems] == ["representative_id"]
