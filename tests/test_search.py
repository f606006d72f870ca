import pytest

from counter_app.rules.textfold import fold
from tests.conftest import make_form


@pytest.fixture
def filled(office):
    people = [
        ("Nguyễn Văn Đức", "001090012345", "0912345678", "Số 12 Hàng Bông"),
        ("Đặng Thị Hương", "001190054321", "0987000111", "Số 5 Quán Sứ"),
        ("Nguyễn Thị Duyên", "001195011111", "0333444555", "Số 8 Lý Thường Kiệt"),
    ]
    codes = {}
    for name, id_number, phone, address in people:
        codes[name] = office.receive(make_form(name=name, id_number=id_number, phone=phone, address=address),
                                     actor="a").code
    return codes


def test_fold():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẶNG") == "dang"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van duc", ["Nguyễn Văn Đức"]),
        ("NGUYEN", ["Nguyễn Thị Duyên", "Nguyễn Văn Đức"]),
        ("dang thi", ["Đặng Thị Hương"]),
        ("Đặng", ["Đặng Thị Hương"]),
        ("duc", ["Nguyễn Văn Đức"]),
        ("0987000111", ["Đặng Thị Hương"]),
        ("0987.000.111", ["Đặng Thị Hương"]),
        ("001195", ["Nguyễn Thị Duyên"]),
        ("ly thuong kiet", ["Nguyễn Thị Duyên"]),
        ("tran", []),
    ],
)
def test_search_fields(office, filled, query, expected):
    names = {code: name for name, code in filled.items()}
    assert [names[d.code] for d in office.search(query)] == expected


def test_code_prefix_and_number(office, filled):
    code = filled["Đặng Thị Hương"]
    assert [d.code for d in office.search(code)] == [code]
    assert len(office.search(code[:16])) == 3  # agency and date: all three, newest first
    assert [d.code for d in office.search("0002")] == [code]


def test_empty_query(office, filled):
    assert office.search("  ") == []
    assert office.search("***") == []


def test_what_a_clerk_scans_or_half_types_finds_the_dossier(office, filled):
    """Issue 19: a code's tail, the receipt's own QR and the citizen's ID-card QR all find it."""
    code = filled["Đặng Thị Hương"]
    tail = code.split("-", 1)[1]  # "261123-0002": the office part left off
    assert [d.code for d in office.search(tail)] == [code]
    receipt_qr = f"https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma={code}"
    assert [d.code for d in office.search(receipt_qr)] == [code]
    card_qr = "001190054321|012345678|Đặng Thị Hương|15061990|Nữ|Số 5 Quán Sứ, Phường Cửa Nam, Hà Nội|01072021"
    assert [d.code for d in office.search(card_qr)] == [code]
    assert office.search("261123-9999") == []


def test_a_name_ranks_above_an_address_and_last_digits_find_numbers(office, clock):
    """Issue 23: "nguyen van long" listed Trần Văn Long first (he lives on Nguyễn Du); the last digits of a
    phone or ID number found nothing."""
    from counter_app.views.lists import DossierQuery

    long_ = office.receive(make_form(name="Nguyễn Văn Long", id_number="001088012345", phone="0912000111",
                                     address="Số 3 Hàng Gai"), actor="a").code
    clock.set(2026, 11, 23, 10, 0)
    office.receive(make_form(name="Trần Văn Long", id_number="001077054321", phone="0987654321",
                             address="Số 8 Nguyễn Du"), actor="a")
    assert office.search("nguyen van long")[0].code == long_
    page = office.dossier_page(DossierQuery(period="all", text="nguyen van long"))
    assert page.rows[0].code == long_ and len(page.rows) == 2  # the list keeps the search's order
    assert [d.applicant_name for d in office.search("4321")] == ["Trần Văn Long"]  # a phone's or ID's last digits
    assert [d.applicant_name for d in office.search("012345")] == ["Nguyễn Văn Long"]
    assert {d.applicant_name for d in office.search("n")} >= {"Nguyễn Văn Long", "Trần Văn Long"}
