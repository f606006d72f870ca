"""Phone numbers and e-mail addresses as a clerk types them."""

from __future__ import annotations

import re

from counter_app.errors import InvalidInput

_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SEPARATORS = re.compile(r"[\s.\-()]")


def normalize_phone(text: str) -> str:
    """`+84 912.345.678` → `0912345678`; empty stays empty; anything else is refused."""
    raw = _SEPARATORS.sub("", text or "")
    if not raw:
        return ""
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    if _MOBILE.fullmatch(raw) or _LANDLINE.fullmatch(raw):
        return raw
    raise InvalidInput(
        f"phone number of {len(text)} characters is not a Vietnamese mobile or landline number",
        f"Số điện thoại “{text}” không hợp lệ: cần 10 số di động (09…, 03…) hoặc 11 số cố định (02…).",
    )


def normalize_email(text: str) -> str:
    value = (text or "").strip()
    if value and not _EMAIL.fullmatch(value):
        raise InvalidInput("e-mail address is malformed", f"Địa chỉ thư điện tử “{text}” không hợp lệ.")
    return value.lower()
