"""The city's public status lookup, as a citizen and as someone walking codes would use it: by the receipt's
QR (code and signed check), by code and the phone's last four digits; nothing personal shown; throttled."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from counter_app.rules.lookup_check import lookup_check
from counter_app.views.dossiers import DocumentIn
from tests.conftest import AGENCY, make_form
from tests.sync.test_city_server import _ops


def _push(city, office) -> str:
    """Push the office's outbox as its sync client would; returns the hub token."""
    token = city.token(AGENCY)
    with city.client(token) as http:
        assert http.post("/v1/sync/push", json={"ops": _ops(office)}).status_code == 200
    return token


def _key(city, token: str) -> bytes:
    with city.client(token) as http:
        answer = http.get("/v1/sync/lookup-key")
    assert answer.status_code == 200
    return bytes.fromhex(answer.json()["key"])


@pytest.fixture
def public(city):
    with httpx.Client(base_url=city.url, timeout=10) as http:  # no credential at all
        yield http


def test_the_receipt_s_qr_shows_the_public_facts_and_nothing_personal(city, office, clock, public):
    made = office.receive(make_form(phone="0912345678"), actor="canbo1")
    clock.at += timedelta(hours=1)
    office.request_supplement(made.code, missing=[DocumentIn(name="Bản sao giấy khai sinh", copies=1)],
                              reason="Thiếu giấy khai sinh", actor="canbo1")
    key = _key(city, _push(city, office))
    page = public.get(f"/tra-cuu/{made.code}", params={"k": lookup_check(key, made.code)})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert made.code in html and made.procedure_name in html
    assert "Nguyễn V. Đ." in html and "Nguyễn Văn Đức" not in html  # the name masked
    for personal in ("001090012345", "0912345678", "5678", "Hàng Bông"):
        assert personal not in html, personal
    assert "Yêu cầu bổ sung" in html and "Bản sao giấy khai sinh" in html  # what is asked, while it waits
    assert "Tiếp nhận hồ sơ" in html  # each step with its date
    assert "<script" not in html  # a cheap phone with JavaScript off sees it all
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"


def test_a_wrong_check_or_an_unknown_code_says_only_not_found(city, office, public):
    made = office.receive(make_form(), actor="canbo1")
    key = _key(city, _push(city, office))
    good = lookup_check(key, made.code)
    wrong = public.get(f"/tra-cuu/{made.code}", params={"k": "AAAAAAAA" if good != "AAAAAAAA" else "BBBBBBBB"})
    other = made.code[:-4] + ("0002" if not made.code.endswith("0002") else "0003")
    unknown = public.get(f"/tra-cuu/{other}", params={"k": good})
    foreign = public.get(f"/tra-cuu/{made.code}", params={"k": lookup_check(b"\x01" * 32, made.code)})
    for answer in (wrong, unknown, foreign):
        assert answer.status_code == 404 and "Không tìm thấy hồ sơ" in answer.text
        assert made.procedure_name not in answer.text and "Nguyễn" not in answer.text
    assert public.get(f"/tra-cuu/{made.code}", params={"k": "ĐĐĐĐĐĐĐĐ"}).status_code == 404  # not a 500
    asked = public.get(f"/tra-cuu/{made.code}")  # a code without its check: the form asks for the phone
    assert asked.status_code == 200 and 'name="sdt"' in asked.text and made.code in asked.text


def test_by_code_and_the_phone_s_last_four_digits(city, office, public):
    made = office.receive(make_form(phone="0912345678"), actor="canbo1")
    _push(city, office)  # the office never asked for its key: the phone still finds it
    found = public.post("/tra-cuu", data={"ma": made.code.lower(), "sdt": "5678"})
    assert found.status_code == 200 and "Nguyễn V. Đ." in found.text
    missed = public.post("/tra-cuu", data={"ma": made.code, "sdt": "1234"})
    assert missed.status_code == 404 and "Không tìm thấy" in missed.text and "Nguyễn" not in missed.text
    empty = public.post("/tra-cuu", data={"ma": made.code, "sdt": ""})
    assert empty.status_code == 400 and "Cần nhập" in empty.text


def test_a_client_walking_codes_is_throttled(city, office, public):
    made = office.receive(make_form(phone="0912345678"), actor="canbo1")
    _push(city, office)
    answers = [public.post("/tra-cuu", data={"ma": made.code, "sdt": f"{n:04d}"}).status_code for n in range(20)]
    assert answers == [404] * 20
    stopped = public.post("/tra-cuu", data={"ma": made.code, "sdt": "5678"})  # even the right one, this minute
    assert stopped.status_code == 429 and "quá nhiều lần" in stopped.text


def test_the_lookup_key_is_the_office_s_own_and_a_hub_s_to_fetch(city):
    token = city.token(AGENCY)
    assert _key(city, token) == _key(city, token)  # made once, kept
    assert _key(city, city.token("000.00.01.H26")) != _key(city, token)
    with city.client(city.token("*", role="admin")) as operator:
        assert operator.get("/v1/sync/lookup-key").status_code == 403
    with httpx.Client(base_url=city.url, timeout=10) as nobody:
        assert nobody.get("/v1/sync/lookup-key").status_code == 401


def test_the_printed_receipt_s_qr_opens_the_dossier_at_the_city(city, office, clock, tmp_path, public):
    """The whole way: a sync round gives the office its key, the receipt prints the QR with the check, a phone
    reading it (zbarimg here) opens the city's page."""
    import subprocess

    from printers.forms.dossier_forms import receipt
    from printers.job_render import result_place
    from sync.client import SyncClient
    from tests.printing.decode import zbar

    settings = office.print_settings().model_copy(update={"public_lookup_url": city.url})
    office.save_print_settings(settings, actor="admin")
    client = SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock)
    assert office.dossier(office.receive(make_form(), actor="canbo1").code).lookup_check == ""  # no key yet
    client.round()  # pushes, then fetches the key once
    made = office.receive(make_form(name="trần thị bích"), actor="canbo1")
    client.round()
    d = office.dossier(made.code)
    assert len(d.lookup_check) == 8
    info = office.info()
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(receipt(info, d, link=settings.dossier_link(d.code, d.lookup_check), time_label="3 ngày làm việc",
                            place=result_place(info, settings), copies=1))
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    (page,) = tmp_path.glob("page*.png")
    (link,) = [t for t in zbar(page) if "/tra-cuu/" in t]
    assert link == f"{city.url}/tra-cuu/{d.code}?k={d.lookup_check}"
    opened = public.get(link)
    assert opened.status_code == 200 and "Trần T. B." in opened.text and d.procedure_name in opened.text
