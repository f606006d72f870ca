"""The portal's own procedure records read into the catalog (issue 22, item 2), with fixtures in its shape."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from counter_app.errors import InvalidInput
from tests.conftest import make_form

PORTAL = Path(__file__).parent / "data" / "portal"


def test_a_folder_of_records_is_laid_over_the_catalog_as_its_next_version(office, tmp_path):
    before = office.procedures()
    known = {p.code for p in before}
    assert office.import_catalog(PORTAL, actor="admin") == "2026.3"
    procedures = {p.code: p for p in office.procedures()}
    fixtures = {"1.004206", "1.001193", "1.009999"}
    assert len(office.procedures()) == len(before) + len(fixtures - known)  # replaced by code, or added
    tach_ho = procedures["1.004206"]
    assert tach_ho.time_kind == "working_days" and tach_ho.time_days == 5
    assert tach_ho.fees == [{"name": "Lệ phí đăng ký cư trú (tách hộ)", "amount": 10000, "unit": "hồ sơ",
                             "note": "", "from_page": 0, "amount_from": 0, "cap_per_copy": 0,
                             "by_method": {"online": 5000}, "exempt": []}]
    assert [c["name"] for c in tach_ho.cases] == ["Chủ hộ đồng ý cho tách hộ", "Tách hộ sau ly hôn"]
    assert [d["name"] for d in tach_ho.cases[0]["documents"]] == [
        "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)", "Văn bản đồng ý cho tách hộ của chủ hộ"]  # file name gone
    assert tach_ho.results == ["Thông báo kết quả giải quyết tách hộ"]
    khai_sinh = next(p for p in office.procedures() if p.code == "1.001193")
    assert khai_sinh.key == "ht.khai-sinh" and khai_sinh.name == "Đăng ký khai sinh (theo bản ghi cổng)"
    odd = procedures["1.009999"]
    assert any(u.startswith("time: 4 giờ") for u in odd.unconfirmed) and "fee" in odd.unconfirmed
    assert any(u.startswith("lane:") for u in odd.unconfirmed) and "documents" in odd.unconfirmed


def test_the_clerk_picks_a_case_and_gets_its_papers(office):
    office.import_catalog(PORTAL / "1.004206-tach-ho.json", actor="admin")
    form = make_form("1.004206")
    form.case = "Tách hộ sau ly hôn"
    d = office.receive(form, actor="canbo1")
    assert [x.name for x in d.documents] == ["Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
                                             "Bản án hoặc quyết định của Tòa án về việc ly hôn"]
    form = make_form("1.004206")
    form.case = "Không có trường hợp này"
    with pytest.raises(InvalidInput) as err:
        office.receive(form, actor="canbo1")
    assert "không có trường hợp" in err.value.message_vi


def test_a_file_that_is_neither_is_refused_in_vietnamese(office, tmp_path):
    folder = tmp_path / "records"
    shutil.copytree(PORTAL, folder)
    (folder / "zz-broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        office.import_catalog(folder, actor="admin")
    assert "zz-broken.json" in err.value.message_vi
    (folder / "zz-broken.json").write_text('{"foo": 1}', encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        office.import_catalog(folder, actor="admin")
    assert "không phải bản ghi thủ tục" in err.value.message_vi


def test_a_dossier_sent_online_is_due_by_the_online_time(office, clock):
    office.import_catalog(PORTAL / "1.004206-tach-ho.json", actor="admin")
    tach_ho = next(p for p in office.procedures() if p.code == "1.004206")
    assert tach_ho.time_days == 5
    at_counter = office.receive(make_form("1.004206"), actor="canbo1")
    online = make_form("1.004206")
    online.channel = 2
    by_portal = office.receive(online, actor="canbo1")
    assert by_portal.due_at < at_counter.due_at  # 3 working days online, 5 at the counter
