"""Amounts in Vietnamese words, as receipts write them: "Mười bốn nghìn đồng" (issue 22).

The accounting reading: every group of three digits after the first is read in full, with "không trăm"
and "linh" ("một nghìn không trăm linh năm"); "mốt" for a one after twenty and up, "lăm" for a five after
ten and up, "tư" for a four after twenty and up. A written-by-hand rule set: the libraries that spell
Vietnamese numbers leave out the "không trăm" a receipt needs.
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")


def _three(n: int, *, full: bool) -> list[str]:
    """Words for 0–999; `full` reads the hundreds even when zero ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return words


def in_words(amount: int) -> str:
    """`14000` → "Mười bốn nghìn đồng"; up to hundreds of thousands of billions."""
    if amount < 0:
        raise ValueError("an amount of money is not negative")
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    if len(groups) > len(GROUPS):
        raise ValueError("amount too large to write in words")
    words: list[str] = []
    for level in range(len(groups) - 1, -1, -1):
        group = groups[level]
        if group == 0:
            continue
        words += _three(group, full=bool(words))
        if GROUPS[level]:
            words.append(GROUPS[level])
    text = " ".join(words) + " đồng"
    return text[:1].upper() + text[1:]
