"""Amounts in words as a Vietnamese receipt writes them (issue 22, item 6)."""

from __future__ import annotations

import pytest

from counter_app.rules.money_words import in_words


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"), (5, "Năm đồng"), (10, "Mười đồng"), (11, "Mười một đồng"), (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"), (21, "Hai mươi mốt đồng"), (24, "Hai mươi tư đồng"), (25, "Hai mươi lăm đồng"),
    (100, "Một trăm đồng"), (105, "Một trăm linh năm đồng"), (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"), (1005, "Một nghìn không trăm linh năm đồng"),
    (2000, "Hai nghìn đồng"), (14000, "Mười bốn nghìn đồng"), (21000, "Hai mươi mốt nghìn đồng"),
    (200000, "Hai trăm nghìn đồng"), (205000, "Hai trăm linh năm nghìn đồng"),
    (1000000, "Một triệu đồng"), (1001001, "Một triệu không trăm linh một nghìn không trăm linh một đồng"),
    (1250000, "Một triệu hai trăm năm mươi nghìn đồng"), (15015015, "Mười lăm triệu không trăm mười lăm nghìn "
                                                                  "không trăm mười lăm đồng"),
    (2000000000, "Hai tỷ đồng"), (1500000000, "Một tỷ năm trăm triệu đồng"),
    (1000000010, "Một tỷ không trăm mười đồng"), (3000000000000, "Ba nghìn tỷ đồng"),
    (999999999, "Chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"),
])
def test_amounts_read_as_receipts_write_them(amount, words):
    assert in_words(amount) == words


def test_negative_is_refused():
    with pytest.raises(ValueError):
        in_words(-1)
