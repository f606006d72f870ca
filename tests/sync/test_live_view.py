"""The city's live view over HTTP: its counts kept as pushes arrive (always equal to a count of the dossiers),
the hubs' snapshots, the silent-point flag, operators' sign-in and what each role may see, the exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from counter_app.rules.clock import TZ
from counter_app.views.dossiers import DocumentIn
from sync.client import SyncClient
from sync.server import crud, live_view, operators
from sync.server.models import Operator, PointLink, PointTally
from sync.server.points import silent_since
from tests.conftest import AGENCY, make_form
from tests.sync.conftest import serving
from tests.sync.live import PASSWORD, add_operator, counted, kept, signed_in, straight_counts

OTHER = "000.00.01.H26"


@pytest.fixture
def live(city_engine, clock):
    """The city on the office's clock (so "today" is the office's day), PostgreSQL and SQLite."""
    with serving(city_engine, clock=clock) as running:
        yield running


def _client(live, office, clock, agency: str = AGENCY) -> SyncClient:
    with Session(live.engine) as s, s.begin():
        token = crud.create_credential(s, agency_code=agency, role="hub", label="Phường Cửa Nam", at=clock())
    return SyncClient(office.store, live.client(token), clock=clock)


def _online(**applicant: object):
    return make_form(**applicant).model_copy(update={"channel": 2})


def test_the_counts_kept_as_pushes_arrive_equal_a_count_of_the_dossiers(live, office, clock):
    sync = _client(live, office, clock)
    clock.at -= timedelta(days=3)  # last Friday: a dossier due on a day of its own
    early = office.receive(make_form(), actor="canbo1")
    clock.at += timedelta(days=3)
    on_time = office.receive(make_form(), actor="canbo1")
    late = office.receive(make_form(), actor="canbo1")
    online = office.receive(_online(), actor="canbo1")
    refused = office.receive(make_form(), actor="canbo1")
    office.request_supplement(refused.code, missing=[DocumentIn(name="Bản sao giấy khai sinh", copies=1)],
                              reason="Thiếu giấy khai sinh", actor="canbo1")
    moved = office.receive(make_form(), actor="canbo1")
    withdrawn = office.receive(make_form(), actor="canbo1")
    sync.round()
    assert kept(live.engine) == counted(live.engine)
    today = clock().date()
    assert kept(live.engine)[(AGENCY, today, "received_counter")] == 5
    assert kept(live.engine)[(AGENCY, today, "received_online")] == 1

    early_due = (AGENCY, early.due_at.date(), "open")
    assert early.due_at.date() != on_time.due_at.date() and kept(live.engine)[early_due] == 1
    office.result_ready(on_time.code, actor="canbo1")
    office.result_ready(early.code, actor="canbo1")
    office.refuse(refused.code, reason="Không bổ sung", actor="canbo1")
    office.withdraw(withdrawn.code, reason="Công dân xin rút", actor="canbo1")
    office.reschedule(moved.code, reason="Chờ xác minh", new_due=moved.due_at + timedelta(days=7), actor="canbo1")
    sync.round()
    assert kept(live.engine) == counted(live.engine)
    with Session(live.engine) as s:  # its open cell emptied: gone, not kept at zero
        assert s.get(PointTally, early_due) is None

    clock.at = late.due_at + timedelta(days=2)  # the law's day has gone by: late is overdue, then settles late
    office.start_processing(late.code, actor="canbo1")
    sync.round()
    add_operator(live.engine, "dieuhanh")
    with signed_in(live.url, "dieuhanh") as http:
        page = http.get("/dieu-hanh").text
    assert 'data-f="overdue" class="late">' in page  # late, and the rescheduled one (its legal day passed too)
    office.result_ready(late.code, actor="canbo1")
    office.return_result(on_time.code, to_whom="Nguyễn Văn Đức", id_checked=True, actor="canbo1")
    sync.round()
    with Session(live.engine) as s, s.begin():
        crud.city_action(s, online.code, "stop", at=clock(), actor="Sở Tư pháp", reason="Hồ sơ giả mạo")
    assert kept(live.engine) == counted(live.engine)
    with Session(live.engine) as s:  # no cell left at zero: the open ones stay as few as the open days
        assert s.scalar(select(func.count()).select_from(PointTally).where(PointTally.count == 0)) == 0
    cells = kept(live.engine)
    assert cells[(AGENCY, clock().date(), "settled_late")] == 1
    assert cells[(AGENCY, today, "settled_on_time")] == 2  # on_time and early
    figures = straight_counts(live.engine, AGENCY, clock().date())
    assert figures["late_month"] == 1 and figures["overdue"] == 1  # the rescheduled one: still owed by law
    assert straight_counts(live.engine, AGENCY, today)["refused_month"] == 1  # refused on the first day


def test_the_page_s_figures_are_the_database_s_and_the_hub_s_queue_is_shown(live, office, clock):
    sync = _client(live, office, clock)
    for _ in range(3):
        office.receive(make_form(), actor="canbo1")
    office.receive(_online(), actor="canbo1")
    office.set_counter_open(1, True, actor="canbo1")
    for _ in range(4):
        office.issue_ticket(procedure="1.004222")
    clock.at += timedelta(minutes=12)
    sync.round()
    add_operator(live.engine, "dieuhanh")
    with signed_in(live.url, "dieuhanh") as http:
        page = http.get("/dieu-hanh")
    assert page.status_code == 200 and "Phường Cửa Nam" in page.text
    row = page.text.split(f'data-agency="{AGENCY}"', 1)[1].split("</tr>", 1)[0]
    straight = straight_counts(live.engine, AGENCY, clock().date())
    assert 'data-f="received_counter">3<' in row and straight["received_today"] == 4
    assert f'data-f="open">{straight["open"]}<' in row
    assert 'data-f="waiting">4<' in row and "12 phút" in row  # the queue now, from the hub's snapshot
    assert 'class="silent"' not in row and "vừa xong" in row
    with Session(live.engine) as s:
        link = s.get(PointLink, AGENCY)
    assert link.counters_open >= 1 and link.ops_waiting == 0 and link.taken_at == clock()


def test_a_point_not_heard_from_for_a_working_day_is_flagged(live, office, clock):
    _client(live, office, clock).round()
    _client(live, office, clock, agency=OTHER)  # credential issued, never synced
    add_operator(live.engine, "dieuhanh")
    with Session(live.engine) as s, s.begin():  # heard last on Thursday afternoon; now Monday 9:30
        s.execute(update(PointLink).values(heard_at=datetime(2026, 11, 19, 15, 0, tzinfo=TZ)))
    with signed_in(live.url, "dieuhanh") as http:
        page = http.get("/dieu-hanh", params={"sap": "silence", "loc": "silent"}).text
    assert page.count('class="silent"') == 2 and "chưa từng" in page
    assert page.index(f'data-agency="{OTHER}"') < page.index(f'data-agency="{AGENCY}"')  # never heard: first
    friday = datetime(2026, 11, 20, 15, 0, tzinfo=TZ)  # Friday afternoon -> Monday morning: the weekend is no gap
    assert not silent_since(friday, datetime(2026, 11, 23, 9, 30, tzinfo=TZ))
    assert silent_since(friday, datetime(2026, 11, 23, 16, 0, tzinfo=TZ))
    assert not silent_since(datetime(2026, 8, 29, 16, 0, tzinfo=TZ), datetime(2026, 9, 3, 9, 0, tzinfo=TZ))  # 2/9


def test_signing_in_and_what_each_role_sees(live, office, clock):
    _client(live, office, clock).round()
    _client(live, office, clock, agency=OTHER).round()
    add_operator(live.engine, "dieuhanh", name="Trần Thị Hoa")
    add_operator(live.engine, "lanhdao", role="point", agency=AGENCY, name="Lê Văn Nam")
    with httpx.Client(base_url=live.url) as nobody:
        asked = nobody.get("/dieu-hanh", params={"sap": "overdue"})
        assert asked.status_code == 303 and asked.headers["location"].startswith("/dieu-hanh/dang-nhap?tiep=")
        assert nobody.get("/dieu-hanh/bang").status_code == 401
        assert nobody.get("/dieu-hanh/xuat.csv").status_code == 303
        wrong = nobody.post("/dieu-hanh/dang-nhap", data={"ten": "dieuhanh", "mat_khau": "sai-mat-khau-roi"})
        unknown = nobody.post("/dieu-hanh/dang-nhap", data={"ten": "ai-do", "mat_khau": PASSWORD})
        for answer in (wrong, unknown):
            assert answer.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in answer.text
            assert "city_session" not in answer.headers.get("set-cookie", "")
        away = nobody.post("/dieu-hanh/dang-nhap", data={"ten": "dieuhanh", "mat_khau": PASSWORD,
                                                         "tiep": "https://lua-dao.example/"})
        assert away.status_code == 303 and away.headers["location"] == "/dieu-hanh"  # never another site
        cookie = away.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/dieu-hanh" in cookie
    with signed_in(live.url, "dieuhanh") as city:
        page = city.get("/dieu-hanh").text
        assert "Trần Thị Hoa — Cán bộ điều hành thành phố" in page
        assert f'data-agency="{AGENCY}"' in page and f'data-agency="{OTHER}"' in page
        assert city.get(f"/dieu-hanh/diem/{OTHER}").status_code == 200
        city.post("/dieu-hanh/dang-xuat")
        assert city.get("/dieu-hanh").status_code == 303  # signed out: the cookie is gone
    with signed_in(live.url, "lanhdao") as leader:
        page = leader.get("/dieu-hanh").text
        assert "Lê Văn Nam — Lãnh đạo điểm phục vụ" in page
        assert f'data-agency="{AGENCY}"' in page and f'data-agency="{OTHER}"' not in page
        assert leader.get(f"/dieu-hanh/diem/{AGENCY}").status_code == 200
        refused = leader.get(f"/dieu-hanh/diem/{OTHER}")
        assert refused.status_code == 403 and "chỉ được xem" in refused.text
        assert leader.get(f"/dieu-hanh/diem/{OTHER}/phan").status_code == 403
        rows = list(csv.reader(io.StringIO(leader.get("/dieu-hanh/xuat.csv").content.decode("utf-8-sig"))))
        assert [r[0] for r in rows[1:]] == [AGENCY]
        with Session(live.engine) as s, s.begin():  # the account disabled: its open session ends at once
            operators.disable(s, "lanhdao", clock())
        assert leader.get("/dieu-hanh").status_code == 303
    with Session(live.engine) as s:
        hashes = [o.password_hash for o in s.query(Operator)]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_sign_in_attempts_are_throttled_per_address(live):
    add_operator(live.engine, "dieuhanh")
    with httpx.Client(base_url=live.url) as http:
        answers = [http.post("/dieu-hanh/dang-nhap", data={"ten": "dieuhanh", "mat_khau": f"doan-mo-{n:04d}"})
                   .status_code for n in range(20)]
        assert answers == [401] * 20
        stopped = http.post("/dieu-hanh/dang-nhap", data={"ten": "dieuhanh", "mat_khau": PASSWORD})
    assert stopped.status_code == 429 and "quá nhiều lần" in stopped.text


def test_the_exports_carry_the_page_s_figures(live, office, clock):
    sync = _client(live, office, clock)
    for _ in range(2):
        office.receive(make_form(), actor="canbo1")
    office.receive(_online(), actor="canbo1")
    sync.round()
    add_operator(live.engine, "dieuhanh")
    with signed_in(live.url, "dieuhanh") as http:
        as_csv = http.get("/dieu-hanh/xuat.csv")
        as_xlsx = http.get("/dieu-hanh/xuat.xlsx")
    assert as_csv.headers["content-disposition"].startswith('attachment; filename="diem-phuc-vu-')
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    head, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert head[:3] == ["Mã đơn vị", "Điểm phục vụ", "Tiếp nhận hôm nay: trực tiếp"]
    assert row["Mã đơn vị"] == AGENCY and row["Điểm phục vụ"] == "Phường Cửa Nam"
    assert row["Tiếp nhận hôm nay: trực tiếp"] == "2" and row["Tiếp nhận hôm nay: trực tuyến"] == "1"
    assert row["Đang giải quyết"] == "3" and row["Quá hạn"] == "0" and row["Mất liên lạc quá 1 ngày làm việc"] == ""
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == head and values[1][:5] == [AGENCY, "Phường Cửa Nam", 2, 1, 0]


def test_the_snapshot_is_a_hub_s_to_send(live):
    body = {"taken_at": "2026-11-23T09:30:00+07:00", "waiting": 1, "longest_wait_s": 60, "counters_open": 1,
            "ops_waiting": 0, "ops_refused": 0}
    with live.client(live.token("*", role="admin")) as operator:
        assert operator.post("/v1/sync/snapshot", json=body).status_code == 403
    with httpx.Client(base_url=live.url) as nobody:
        assert nobody.post("/v1/sync/snapshot", json=body).status_code == 401
    with live.client(live.token(AGENCY)) as hub:
        for wrong in ({"waiting": -1}, {"taken_at": "2026-11-23T09:30:00"}, {"taken_at": "9999-12-31T23:59:59-23:59"}):
            assert hub.post("/v1/sync/snapshot", json={**body, **wrong}).status_code == 422, wrong
        assert hub.post("/v1/sync/snapshot", json=body).status_code == 204
        assert hub.post("/v1/sync/snapshot", json={**body, "taken_at": "1970-01-01T08:00:00+07:00"}).status_code == 204
    add_operator(live.engine, "dieuhanh")
    with signed_in(live.url, "dieuhanh") as http:
        row = http.get("/dieu-hanh").text.split(f'data-agency="{AGENCY}"', 1)[1].split("</tr>", 1)[0]
    assert '<td data-f="skew" class="late">chậm 20' in row and " ngày</td>" in row  # a hub clock in 1970, shown
    assert live_view._skew(0) == "đúng giờ" and live_view._skew(-90) == "chậm 1 phút"
    assert live_view._skew(3 * 3600) == "nhanh 3 giờ"
