"""Fees as the law counts them: per case, per copy, or per page with a lower rate from a given page and a
cap per copy (certification of copies, Circular 226/2016/TT-BTC: 2,000 đ a page for the first two pages,
1,000 đ from the third, at most 200,000 đ a copy).

A catalog fee entry is `{"name", "amount", "unit"}` with `unit` "trang" (per page), "bản" (per copy) or
anything else (per case: "hồ sơ", "trường hợp"); a per-page fee may add `from_page`, `amount_from` and
`cap_per_copy`; any fee may add `by_method` (another amount online or by post) and `exempt` (groups that
pay nothing). The charge says how it was counted, in the words the receipt prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter_app.rules.display import fmt_money

MAX_PAGES = 1000
MAX_COPIES = 200


@dataclass(frozen=True)
class Charge:
    name: str
    unit_amount: int  # per copy (per page fees: a copy's pages together) or per case
    quantity: int  # copies or cases
    amount: int
    basis: str  # "2 bản × 3 trang (2 trang × 2.000 đ + 1 trang × 1.000 đ)"


def needs(fee: dict[str, Any]) -> set[str]:
    """What the intake must ask for this fee: "pages" and/or "copies" (nothing for a per-case fee), and
    "exempt" when some groups pay nothing."""
    if not int(fee.get("amount", 0)):
        return set()
    if fee.get("exempt"):
        return {"exempt", *needs({**fee, "exempt": []})}
    unit = fee.get("unit", "")
    return {"pages", "copies"} if unit == "trang" else {"copies"} if unit == "bản" else set()


CHANNELS = {1: "", 2: "online", 3: "post"}  # the dossier's channel: in person, online, public post
CHANNEL_WORDS = {"online": "nộp trực tuyến", "post": "nộp qua bưu chính"}


def charge(fee: dict[str, Any], *, pages: int = 1, copies: int = 1, channel: int = 1, exempt: str = "") -> Charge:
    """The fee for `copies` copies of `pages` pages each (or `copies` cases of a per-case fee), as the
    submission `channel` pays it; nothing for a member of one of the fee's `exempt` groups."""
    name, amount, unit = str(fee["name"]), int(fee.get("amount", 0)), fee.get("unit", "")
    pages, copies = max(1, min(pages, MAX_PAGES)), max(1, min(copies, MAX_COPIES))
    if exempt:
        if exempt not in fee.get("exempt", []):
            raise ValueError(f"{exempt!r} is not exempt from {name!r}")
        return Charge(name, 0, 1, 0, f"Miễn: {exempt}")
    method = CHANNELS.get(channel, "")
    if method and method in (fee.get("by_method") or {}):
        amount = int(fee["by_method"][method])
        if amount == 0:
            return Charge(name, 0, 1, 0, f"Miễn phí khi {CHANNEL_WORDS[method]}")
    if amount == 0:
        return Charge(name, 0, 1, 0, str(fee.get("note") or "Miễn phí"))
    if unit == "trang":
        from_page = int(fee.get("from_page", 0)) or pages + 1
        lower = int(fee.get("amount_from", amount))
        full = min(pages, from_page - 1)
        rest = pages - full
        per_copy = full * amount + rest * lower
        parts = [f"{full} trang × {fmt_money(amount)}"] + ([f"{rest} trang × {fmt_money(lower)}"] if rest else [])
        cap = int(fee.get("cap_per_copy", 0))
        capped = bool(cap) and per_copy > cap
        if capped:
            per_copy = cap
        basis = f"{copies} bản × {pages} trang ({' + '.join(parts)}" + (
            f", tối đa {fmt_money(cap)} một bản)" if capped else ")")
        return Charge(name, per_copy, copies, per_copy * copies, basis)
    label = "bản" if unit == "bản" else unit or "hồ sơ"
    return Charge(name, amount, copies, amount * copies, f"{copies} {label} × {fmt_money(amount)}")
