"""Fees as the law counts them (issue 19 item 7, issue 22 item 4): per page with a lower rate and a cap, per
copy, per case, free."""

from __future__ import annotations

from counter_app.rules.fees import charge, needs
from tests.conftest import make_form

COPIES = {"name": "Phí chứng thực bản sao", "amount": 2000, "unit": "trang", "from_page": 3, "amount_from": 1000,
          "cap_per_copy": 200000}


def test_certified_copies_follow_circular_226():
    assert charge(COPIES, pages=1, copies=1).amount == 2000
    assert charge(COPIES, pages=2, copies=1).amount == 4000
    three = charge(COPIES, pages=3, copies=2)
    assert (three.unit_amount, three.quantity, three.amount) == (5000, 2, 10000)  # 2 × 2.000 + 1 × 1.000, twice
    assert three.basis == "2 bản × 3 trang (2 trang × 2.000 đ + 1 trang × 1.000 đ)"
    thick = charge(COPIES, pages=300, copies=1)  # 4.000 + 298.000 would be 302.000: capped
    assert thick.amount == 200000 and "tối đa 200.000 đ một bản" in thick.basis
    assert needs(COPIES) == {"pages", "copies"}


def test_per_case_per_copy_and_free():
    signature = {"name": "Phí chứng thực chữ ký", "amount": 10000, "unit": "trường hợp"}
    assert charge(signature, copies=3).amount == 30000 and needs(signature) == set()
    extract = {"name": "Phí cấp bản sao trích lục", "amount": 8000, "unit": "bản"}
    assert charge(extract, copies=2).basis == "2 bản × 8.000 đ" and needs(extract) == {"copies"}
    free = {"name": "Lệ phí đăng ký khai sinh", "amount": 0, "unit": "hồ sơ", "note": "Miễn lệ phí"}
    assert (charge(free, copies=5).amount, charge(free).basis) == (0, "Miễn lệ phí")


def test_the_intake_counts_pages_and_copies(office):
    form = make_form("ct.ban-sao")
    form.fee_pages, form.fee_quantities = {COPIES["name"]: 3}, {COPIES["name"]: 2}
    (fee,) = office.receive(form, actor="canbo1").fees
    assert (fee.amount, fee.basis) == (10000, "2 bản × 3 trang (2 trang × 2.000 đ + 1 trang × 1.000 đ)")


def test_another_amount_online_and_exempt_groups():
    fee = {"name": "Lệ phí tách hộ", "amount": 10000, "unit": "hồ sơ", "by_method": {"online": 5000},
           "exempt": ["Người thuộc hộ nghèo"]}
    assert charge(fee).amount == 10000 and charge(fee, channel=2).amount == 5000
    assert charge(fee, channel=3).amount == 10000  # by post: as at the counter
    free = charge(fee, exempt="Người thuộc hộ nghèo")
    assert (free.amount, free.basis) == (0, "Miễn: Người thuộc hộ nghèo")
    assert needs(fee) == {"exempt"}


def test_an_exemption_the_fee_does_not_grant_is_refused(office):
    import pytest

    from counter_app.errors import InvalidInput

    form = make_form("ht.xac-nhan-hon-nhan")
    name = office.procedure("ht.xac-nhan-hon-nhan").fees[0]["name"]
    form.fee_exempt = {name: "Người cao tuổi"}
    with pytest.raises(InvalidInput) as err:
        office.receive(form, actor="canbo1")
    assert "không thuộc diện được miễn" in err.value.message_vi
    form.fee_exempt = {name: "Người khuyết tật"}
    (fee,) = office.receive(form, actor="canbo1").fees
    assert (fee.amount, fee.basis) == (0, "Miễn: Người khuyết tật")
