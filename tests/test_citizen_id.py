import contextlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.rules.citizen_id import CitizenIdError, mask_id, parse_qr

SEVEN = "001090012345|012345678|Nguyễn Văn Đức|15031990|Nam|Số 12 Hàng Bông, Cửa Nam, Hà Nội|01072021"
SIX = "001190012345|Trần Thị Hương|02011990|Nữ|Số 3 Quán Sứ, Cửa Nam, Hà Nội|10082022"


def test_seven_field_layout():
    card = parse_qr(SEVEN)
    assert card.id_number == "001090012345"
    assert card.old_id_number == "012345678"
    assert card.full_name == "Nguyễn Văn Đức"
    assert card.birth_date == date(1990, 3, 15)
    assert card.sex == "Nam"
    assert card.address == "Số 12 Hàng Bông, Cửa Nam, Hà Nội"
    assert card.issue_date == date(2021, 7, 1)
    assert card.warnings == ()


def test_six_field_layout_without_old_number():
    card = parse_qr(SIX)
    assert card.old_id_number == ""
    assert card.sex == "Nữ" and card.full_name == "Trần Thị Hương"
    assert card.warnings == ()


@pytest.mark.parametrize("wrapped", [f"  {SEVEN}\r\n", f"{SEVEN}\n", f"\t{SEVEN}\r"])
def test_scanner_whitespace_and_line_endings(wrapped):
    assert parse_qr(wrapped).id_number == "001090012345"


def test_decomposed_unicode_from_a_scanner_is_normalised():
    import unicodedata

    card = parse_qr(unicodedata.normalize("NFD", SIX))
    assert card.sex == "Nữ" and card.full_name == "Trần Thị Hương"


def test_digits_that_disagree_with_sex_and_year_are_warnings():
    # 4th digit 0 says "male, 1900s" but the card says Nữ; digits 5-6 say 90 but born 1985.
    card = parse_qr("001090012345|Lê Thị Mai|01011985|Nữ|Hà Nội|01012021")
    assert len(card.warnings) == 2
    assert "giới tính" in card.warnings[0] and "năm sinh 1985" in card.warnings[1]


def test_born_in_the_2000s():
    assert parse_qr("001305012345|Vũ Ngọc Linh|05052005|Nữ|Hà Nội|01012022").warnings == ()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "trống"),
        ("   \r\n", "trống"),
        ("001090012345|Nguyễn Văn Đức|15031990", "3 trường"),
        ("00109001234X|Nguyễn Văn Đức|15031990|Nam|Hà Nội|01072021", "12 chữ số"),
        ("0010900123|Nguyễn Văn Đức|15031990|Nam|Hà Nội|01072021", "12 chữ số"),
        ("001090012345|Nguyễn Văn Đức|31021990|Nam|Hà Nội|01072021", "ngày có thật"),
        ("001090012345|Nguyễn Văn Đức|1503199|Nam|Hà Nội|01072021", "ngàythángnăm"),
        ("001090012345|Nguyễn Văn Đức|15031990|Khác|Hà Nội|01072021", "Nam hoặc Nữ"),
        ("001090012345|12AB|Nguyễn Văn Đức|15031990|Nam|Hà Nội|01072021", "CMND"),
        ("001090012345|Nguyễn Văn Đức|15031990|Nam||01072021", "địa chỉ"),
        ("001090012345|Nguyễn Văn Đức|15031990|Nam|Hà Nội|01011980", "trước ngày sinh"),
    ],
)
def test_anything_else_is_one_error_type_with_a_vietnamese_message(text, fragment):
    with pytest.raises(CitizenIdError) as err:
        parse_qr(text)
    assert fragment in err.value.message_vi
    assert err.value.message_vi.startswith("Mã QR căn cước không hợp lệ")


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_never_raises_anything_but_citizen_id_error(text):
    with contextlib.suppress(CitizenIdError):
        parse_qr(text)


field = st.text(alphabet=st.characters(exclude_characters="|"), max_size=20)
digits = st.text(alphabet="0123456789", min_size=0, max_size=14)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(field, digits), min_size=5, max_size=8))
def test_card_shaped_garbage_never_crashes(parts):
    try:
        card = parse_qr("|".join(parts))
    except CitizenIdError:
        return
    assert len(card.id_number) == 12 and card.id_number.isdigit()


def test_mask():
    assert mask_id("001090012356") == "001*******56"
    assert mask_id("123") == "***"
