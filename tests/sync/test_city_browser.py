"""The city's web pages in a real browser: Debian's Chromium, headless, driven by Playwright, against the city
server on PostgreSQL fed by the office's own sync rounds. Screenshots at phone size (390×844) and desktop
(1920×1080) go to out/screenshots/city/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy.orm import Session

from counter_app.rules.lookup_check import lookup_check
from counter_app.views.dossiers import DocumentIn
from sync.client import SyncClient
from sync.server import crud
from sync.server.models import LookupKey
from tests.conftest import AGENCY, make_form
from tests.sync.conftest import serving
from tests.sync.live import PASSWORD, add_operator, straight_counts

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "city"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}
OTHER = "000.00.01.H26"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = shutil.which("chromium")
    assert path, "Debian's chromium is not installed: scripts/setup.sh installs it"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def city(pg_engine, clock):
    with serving(pg_engine, clock=clock) as running:
        yield running


@pytest.fixture
def hub(city, office, clock) -> SyncClient:
    """The office's sync client with the city's credential, as its hub runs it."""
    with Session(city.engine) as s, s.begin():
        token = crud.create_credential(s, agency_code=AGENCY, role="hub", label="Phường Cửa Nam", at=clock())
        crud.create_credential(s, agency_code=OTHER, role="hub", label="Phường Ba Đình", at=clock())  # silent
    return SyncClient(office.store, city.client(token), clock=clock)


def _page(browser: Browser, size: dict, *, scripts: bool = True) -> Page:
    context = browser.new_context(viewport=size, locale="vi-VN", java_script_enabled=scripts)
    return context.new_page()


def _sign_in(page: Page, base: str, login: str) -> None:
    page.goto(f"{base}/dieu-hanh")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/dieu-hanh")


def test_a_citizen_looks_up_a_dossier_on_a_phone_with_scripts_off(browser, city, hub, office, clock):
    hub.round()  # the office gets its key for the receipts' check
    made = office.receive(make_form(name="trần thị bích", phone="0987654321"), actor="canbo1")
    clock.at += timedelta(hours=2)
    office.request_supplement(made.code, missing=[DocumentIn(name="Bản sao giấy khai sinh", copies=1)],
                              reason="Thiếu giấy khai sinh", actor="canbo1")
    hub.round()
    with Session(city.engine) as s:
        key = bytes.fromhex(s.get(LookupKey, AGENCY).key)
    page = _page(browser, PHONE, scripts=False)
    page.goto(f"{city.url}/tra-cuu/{made.code}?k={lookup_check(key, made.code)}")  # what the QR opens
    body = page.locator("main")
    expect(body).to_contain_text("Trần T. B.")
    expect(body).to_contain_text("Bản sao giấy khai sinh")
    for personal in ("Trần Thị Bích", "0987654321", "001090012345", "Hàng Bông"):
        expect(body).not_to_contain_text(personal)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "lookup-by-qr-390x844.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off the side

    page.goto(f"{city.url}/tra-cuu/{made.code}?k=AAAAAAAA")  # a check that is not this code's
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ")
    expect(body).not_to_contain_text("Trần")
    page.goto(f"{city.url}/tra-cuu")
    page.get_by_label("Mã hồ sơ").fill(made.code)
    page.get_by_label("4 số cuối điện thoại người nộp").fill("4321")
    page.get_by_role("button", name="Tra cứu").click()
    expect(body).to_contain_text("Trần T. B.")
    expect(body).to_contain_text("Yêu cầu bổ sung")
    page.screenshot(path=SHOTS / "lookup-by-code-390x844.png", full_page=True)
    page.context.close()


def _row(page: Page, agency: str):
    return page.locator(f'tr[data-agency="{agency}"]')


def test_the_city_operator_watches_every_point_live(browser, city, hub, office, clock):
    today = clock.at
    for days_ago, n in ((9, 3), (6, 5), (3, 2), (1, 4)):  # a few days of history for the point's charts
        clock.at = today - timedelta(days=days_ago)
        for _ in range(n):
            made = office.receive(make_form(), actor="canbo1")
        office.result_ready(made.code, actor="canbo1")
    clock.at = today
    for _ in range(3):
        office.receive(make_form(), actor="canbo1")
    office.set_counter_open(1, True, actor="canbo1")
    office.issue_ticket(procedure="1.004222")
    hub.round()
    add_operator(city.engine, "dieuhanh", name="Trần Thị Hoa")
    page = _page(browser, DESKTOP)
    _sign_in(page, city.url, "dieuhanh")
    expect(page.locator("header")).to_contain_text("Trần Thị Hoa — Cán bộ điều hành thành phố")
    straight = straight_counts(city.engine, AGENCY, today.date())
    row = _row(page, AGENCY)
    expect(row.locator('[data-f="received_counter"]')).to_have_text(str(straight["received_today"]))
    expect(row.locator('[data-f="month_received_counter"]')).to_have_text(str(straight["received_month"]))
    expect(row.locator('[data-f="open"]')).to_have_text(str(straight["open"]))
    expect(row.locator('[data-f="overdue"]')).to_have_text(str(straight["overdue"]))
    expect(row.locator('[data-f="waiting"]')).to_have_text("1")
    expect(_row(page, OTHER)).to_have_class("silent")  # never heard from: flagged red
    expect(_row(page, OTHER).locator(".flag")).to_have_text("Mất liên lạc")
    expect(row).not_to_have_class("silent")
    page.screenshot(path=SHOTS / "live-points-1920x1080.png", full_page=True)

    page.evaluate("window.notReloaded = true")
    office.receive(make_form(), actor="canbo1")  # a new dossier at the counter, and the hub's next round
    hub.round()
    expect(row.locator('[data-f="received_counter"]')).to_have_text(str(straight["received_today"] + 1),
                                                                      timeout=15_000)
    expect(page.locator("#total-received")).to_have_text(str(straight["received_today"] + 1))
    assert page.evaluate("window.notReloaded") is True  # refreshed in place, not reloaded

    page.get_by_role("link", name="Lâu chưa liên lạc").click()
    expect(page.locator("tbody tr").first).to_have_attribute("data-agency", OTHER)
    page.get_by_role("link", name="Phường Cửa Nam").click()
    expect(page.get_by_role("heading", name="Phường Cửa Nam")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(2)
    expect(page.locator("#received-today")).to_have_text(str(straight["received_today"] + 1))
    page.screenshot(path=SHOTS / "live-point-1920x1080.png", full_page=True)
    phone = _page(browser, PHONE)
    _sign_in(phone, city.url, "dieuhanh")
    expect(_row(phone, AGENCY)).to_be_visible()
    phone.screenshot(path=SHOTS / "live-points-390x844.png", full_page=False)
    phone.context.close()
    page.context.close()


def test_a_point_s_leader_sees_only_their_point(browser, city, hub, office, clock):
    office.receive(make_form(), actor="canbo1")
    hub.round()
    add_operator(city.engine, "lanhdao", role="point", agency=AGENCY, name="Lê Văn Nam")
    page = _page(browser, DESKTOP)
    _sign_in(page, city.url, "lanhdao")
    expect(page.locator("header")).to_contain_text("Lê Văn Nam — Lãnh đạo điểm phục vụ")
    expect(_row(page, AGENCY)).to_be_visible()
    expect(_row(page, OTHER)).to_have_count(0)
    page.goto(f"{city.url}/dieu-hanh/diem/{OTHER}")
    expect(page.locator("main")).to_contain_text("chỉ được xem số liệu của điểm phục vụ mình phụ trách")
    page.goto(f"{city.url}/dieu-hanh")
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(f"{city.url}/dieu-hanh")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.context.close()
