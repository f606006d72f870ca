import pytest

from counter_app.errors import ConfigError, InvalidInput, NotFound
from counter_app.local.office import LocalOffice
from counter_app.office_setup import check_agency_code, find_ward, setup_office


def test_demo_ward_is_cua_nam_in_ha_noi():
    ward = find_ward(73)
    assert (ward.name, ward.province_name, ward.province_code) == ("Phường Cửa Nam", "Thành phố Hà Nội", 1)


@pytest.mark.parametrize("code", [0, 99_999_999, -1])
def test_unknown_ward_is_a_clear_error(code):
    with pytest.raises(NotFound) as err:
        find_ward(code)
    assert str(code) in err.value.message_vi and "không có trong danh mục" in err.value.message_vi


@pytest.mark.parametrize("code", ["000.17.22.H56", "000.00.73.h26"])
def test_agency_codes(code):
    assert check_agency_code(code) == code.upper()


@pytest.mark.parametrize("code", ["", "000-17", "abc", "000.17.22.H56-1"])
def test_bad_agency_codes(code):
    with pytest.raises(InvalidInput):
        check_agency_code(code)


def test_office_info(office):
    info = office.info()
    assert info.name == "Trung tâm Phục vụ hành chính công phường Cửa Nam"
    assert info.parent_name == "Ủy ban nhân dân phường Cửa Nam"
    assert [lane["prefix"] for lane in info.lanes] == ["A", "B", "C", "D", "E", "G"]
    assert len(info.counters) == 3 and info.catalog_version == "2026.2"


def test_unset_office_is_a_clear_error(store):
    with pytest.raises(ConfigError) as err:
        LocalOffice(store).info()
    assert "chưa được thiết lập" in err.value.message_vi


def test_setup_again_updates_without_duplicating_lanes(ready_store):
    with ready_store.write() as s:
        setup_office(s, ward_code=73, agency_code="000.00.73.H27", actor="admin", name="Điểm một cửa Cửa Nam")
    info = LocalOffice(ready_store).info()
    assert info.agency_code == "000.00.73.H27" and info.name == "Điểm một cửa Cửa Nam"
    assert len(info.lanes) == 6


def test_setup_again_with_more_counters_adds_them_and_never_takes_one_away(ready_store):
    """Issue 21: `office setup --counters 10` on an existing office used to keep its 3 without a word."""
    with ready_store.write() as s:
        setup_office(s, ward_code=73, agency_code="000.00.73.H26", actor="admin", counters=5)
    info = LocalOffice(ready_store).info()
    assert [c["number"] for c in info.counters] == [1, 2, 3, 4, 5]
    assert info.counters[4]["name"] == "Quầy số 5"
    with ready_store.write() as s:  # a set-up that does not name counters leaves them be
        setup_office(s, ward_code=73, agency_code="000.00.73.H26", actor="admin")
    assert len(LocalOffice(ready_store).info().counters) == 5
    with pytest.raises(InvalidInput) as fewer, ready_store.write() as s:
        setup_office(s, ward_code=73, agency_code="000.00.73.H26", actor="admin", counters=2)
    assert "đang có 5 quầy" in fewer.value.message_vi
    assert len(LocalOffice(ready_store).info().counters) == 5
