"""The dossier list's filters and pages, the daily figures, and a returning applicant."""

from __future__ import annotations

from datetime import timedelta

from counter_app.views.lists import DossierQuery
from tests.conftest import make_form


def _day_of_work(office, clock):
    """Monday 23/11: four dossiers by two clerks, one refused, one returned; one older and overdue."""
    clock.at -= timedelta(days=14)
    old = office.receive(make_form("1.004194", name="Trần Thị Bình", id_number="001185000111"), actor="canbo2")
    clock.at += timedelta(days=14)
    a = office.receive(make_form("2.000815", name="Lê Văn An"), actor="canbo1")  # same day, due 17:00
    b = office.receive(make_form("1.004222", name="Phạm Thị Hồng", id_number="001190000222"), actor="canbo1")
    c = office.receive(make_form("1.004222", name="Đặng Quốc Việt", id_number="001088000333"), actor="canbo2")
    refused_form = make_form("1.004222", name="Ngô Văn Tú").model_copy(update={"outcome": "refuse",
                                                                             "reason": "Không thuộc thẩm quyền"})
    refused = office.receive(refused_form, actor="canbo2")
    office.result_ready(b.code, actor="canbo1")
    office.return_result(b.code, to_whom="Phạm Thị Hồng", id_checked=True, actor="canbo2")
    return old, a, b, c, refused


def test_today_by_default_newest_first_and_filters(office, clock):
    old, a, b, c, refused = _day_of_work(office, clock)
    today = office.dossier_page(DossierQuery())
    assert [d.code for d in today.rows] == [refused.code, c.code, b.code, a.code] and today.next_after is None
    assert office.dossier_count(DossierQuery()) == 4 and office.dossier_count(DossierQuery(period="all")) == 5

    def codes(**query):
        return [d.code for d in office.dossier_page(DossierQuery(**query)).rows]

    assert codes(period="all", due="overdue") == [old.code]
    assert codes(due="due_today") == [a.code]
    assert codes(clerk="canbo1") == [b.code, a.code]
    assert codes(statuses=[3]) == [refused.code]
    assert codes(procedure="cutru.thuong-tru", statuses=[2]) == [c.code]
    assert codes(period="all", text="tran thi binh") == [old.code]  # accents and case do not matter
    assert codes(text="tran thi binh") == []  # ... but the period still applies

    rows = {d.code: d for d in office.dossier_page(DossierQuery(period="all")).rows}
    assert rows[old.code].overdue and not rows[old.code].due_today
    assert rows[a.code].due_today and not rows[a.code].overdue
    assert not rows[b.code].due_today  # returned: nothing is due any more


def test_pages_continue_without_gaps_or_repeats(office):
    made = [office.receive(make_form(name=f"Người Thứ {i}"), actor="canbo1").code for i in range(7)]
    seen, after = [], None
    while True:
        page = office.dossier_page(DossierQuery(), after=after, limit=3)
        seen += [d.code for d in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == made[::-1]


def test_daily_report_counts_per_clerk_and_procedure(office, clock):
    _day_of_work(office, clock)
    clock.at = clock.at.replace(hour=17, minute=30)  # after closing: the same-day dossier is now late
    report = office.daily_report()
    assert (report.received, report.refused, report.returned, report.overdue, report.due_today) == (3, 1, 1, 2, 0)
    clerks = {r.key: r for r in report.per_clerk}
    assert clerks["canbo1"].label == "Nguyễn Thị Lan (canbo1)"
    assert (clerks["canbo1"].received, clerks["canbo1"].returned, clerks["canbo1"].overdue) == (2, 0, 1)
    assert (clerks["canbo2"].received, clerks["canbo2"].returned, clerks["canbo2"].refused) == (1, 1, 1)
    procedures = {r.key: r for r in report.per_procedure}
    assert procedures["cutru.thuong-tru"].received == 2 and procedures["cutru.thuong-tru"].refused == 1
    assert procedures["cutru.tam-tru"].overdue == 1 and procedures["cutru.tam-tru"].received == 0

    earlier = office.daily_report(clock.at.date() - timedelta(days=14))
    assert (earlier.received, earlier.overdue) == (1, 0)  # a past day's overdue count is as of that day


def test_a_returning_applicant_is_recognised_by_id_number(office):
    assert office.known_applicant("001090012345") is None
    first = office.receive(make_form(phone="0987654321", email="duc@example.vn"), actor="canbo1")
    second = office.receive(make_form(), actor="canbo1")
    known = office.known_applicant(" 001090012345 ")
    assert known is not None and known.dossiers == 2 and known.last_code == second.code != first.code
    assert (known.applicant.name, known.applicant.phone) == ("Nguyễn Văn Đức", "0912345678")
    assert office.known_applicant("") is None


def test_the_public_status_of_a_dossier_shows_no_personal_data(office, clock):
    """Issue 20 item 2: what the kiosk shows from the receipt's QR; never the ID, address or phone."""
    from datetime import datetime

    from counter_app.rules.clock import TZ
    from counter_app.views.dossiers import DocumentIn, PublicStatus

    assert not {"id_number", "phone", "address", "email", "birth_date"} & set(PublicStatus.model_fields)
    code = office.receive(make_form(name="Nguyễn Văn An", id_number="001090099999"), actor="canbo1").code
    office.start_processing(code, actor="canbo1")
    clock.set(2026, 11, 24, 9, 0)
    office.reschedule(code, reason="Chờ xác minh thông tin cư trú", new_due=datetime(2026, 12, 8, 16, tzinfo=TZ),
                      actor="canbo1")
    seen = office.public_status(f"https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma={code}")  # the QR's text
    assert (seen.code, seen.applicant, seen.status_label) == (code, "Nguyễn V. A.", "Đang xử lý")
    assert seen.reschedule_reason == "Chờ xác minh thông tin cư trú" and seen.rescheduled_from is not None
    assert [s.what for s in seen.steps] == ["Tiếp nhận hồ sơ", "Chuyển xử lý", "Hẹn lại ngày trả (xin lỗi)"]
    assert "001090099999" not in seen.model_dump_json() and "0912345678" not in seen.model_dump_json()
    other = office.receive(make_form("1.004222", name="Lê Thị Bình"), actor="canbo1").code
    office.request_supplement(other, missing=[DocumentIn(name="Giấy tờ chứng minh chỗ ở")], reason="Thiếu",
                              actor="canbo1")
    assert office.public_status(other).missing == ["Giấy tờ chứng minh chỗ ở"]
