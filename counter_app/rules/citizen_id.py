"""The QR code of a chip citizen ID card (CCCD), as a keyboard-wedge scanner types it.

Layout: `CCCD|CMND|full name|ddmmyyyy|Nam/Nữ|address|ddmmyyyy` (7 fields); some readers drop
the old CMND field (6 fields). Anything that is not a card raises `CitizenIdError`, and only
that; a number whose digits disagree with the birth date or sex is a warning, not an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from counter_app.errors import InvalidInput

_DIGITS12 = re.compile(r"[0-9]{12}")
_OLD_ID = re.compile(r"[0-9]{9}|[0-9]{12}")
_DATE = re.compile(r"[0-9]{8}")
_SPACES = re.compile(r"\s+")


class CitizenIdError(InvalidInput):
    """The scanned text is not a citizen ID card QR."""

    def __init__(self, log_message: str, message_vi: str) -> None:
        super().__init__(log_message, "Mã QR căn cước không hợp lệ: " + message_vi)


@dataclass(frozen=True)
class CitizenCard:
    id_number: str
    old_id_number: str
    full_name: str
    birth_date: date
    sex: str  # "Nam" or "Nữ"
    address: str
    issue_date: date
    warnings: tuple[str, ...] = ()


def _clean(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _date(text: str, what_en: str, what_vi: str) -> date:
    if not _DATE.fullmatch(text):
        raise CitizenIdError(f"{what_en} is not ddmmyyyy ({len(text)} characters)",
                             f"{what_vi} “{text}” không đúng dạng ngàythángnăm.")
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise CitizenIdError(
            f"{what_en} is not a real date", f"{what_vi} “{text}” không phải ngày có thật."
        ) from None


def _sex(text: str) -> str:
    folded = text.casefold()
    if folded == "nam":
        return "Nam"
    if folded == "nữ":
        return "Nữ"
    raise CitizenIdError("sex is neither Nam nor Nữ", f"giới tính “{text}” phải là Nam hoặc Nữ.")


def expected_century_digit(birth_year: int, sex: str) -> int | None:
    """The 4th digit of the number: 0/1 for men/women born 1900–1999, 2/3 for 2000–2099, …"""
    century = (birth_year // 100) - 19
    if not 0 <= century <= 4:
        return None
    return century * 2 + (1 if sex == "Nữ" else 0)


def check_number(id_number: str, birth_date: date, sex: str) -> list[str]:
    """Vietnamese warnings where the 12 digits disagree with the birth date or sex."""
    warnings = []
    expected = expected_century_digit(birth_date.year, sex)
    if expected is not None and int(id_number[3]) != expected:
        warnings.append(
            f"Chữ số thứ 4 của số căn cước ({id_number[3]}) không khớp với giới tính {sex} "
            f"và năm sinh {birth_date.year} (phải là {expected})."
        )
    if id_number[4:6] != f"{birth_date.year % 100:02d}":
        warnings.append(
            f"Chữ số thứ 5–6 của số căn cước ({id_number[4:6]}) không khớp với năm sinh {birth_date.year}."
        )
    return warnings


def parse_qr(text: str) -> CitizenCard:
    """Parse what the scanner typed; raise `CitizenIdError` with a Vietnamese message otherwise."""
    if not isinstance(text, str):
        raise CitizenIdError(f"QR content is {type(text).__name__}, not text", "không đọc được nội dung.")
    raw = text.strip().strip("\r\n\t\x00 ")
    if not raw:
        raise CitizenIdError("empty QR content", "nội dung trống.")
    fields = [_clean(f) for f in raw.split("|")]
    if len(fields) == 7:
        number, old, name, birth, sex, address, issued = fields
    elif len(fields) == 6:
        number, name, birth, sex, address, issued = fields
        old = ""
    else:
        raise CitizenIdError(
            f"QR has {len(fields)} fields, expected 6 or 7", f"có {len(fields)} trường, cần 6 hoặc 7 trường."
        )
    if not _DIGITS12.fullmatch(number):
        raise CitizenIdError(
            f"ID number is not 12 digits ({len(number)} characters)", f"số căn cước “{number}” phải gồm đúng 12 chữ số."
        )
    if old and not _OLD_ID.fullmatch(old):
        raise CitizenIdError(f"old ID number is not 9 or 12 digits ({len(old)} characters)",
                             f"số CMND cũ “{old}” phải gồm 9 chữ số.")
    if not name or any(ch.isdigit() for ch in name):
        raise CitizenIdError("full name is empty or has digits", f"họ tên “{name}” không hợp lệ.")
    if not address:
        raise CitizenIdError("address is empty", "thiếu địa chỉ thường trú.")
    birth_date = _date(birth, "birth date", "ngày sinh")
    issue_date = _date(issued, "issue date", "ngày cấp")
    if birth_date > date.today():
        raise CitizenIdError("birth date is in the future", "ngày sinh ở tương lai.")
    if issue_date < birth_date:
        raise CitizenIdError("issue date is before the birth date", "ngày cấp trước ngày sinh.")
    sex_value = _sex(sex)
    return CitizenCard(
        id_number=number,
        old_id_number=old,
        full_name=name,
        birth_date=birth_date,
        sex=sex_value,
        address=address,
        issue_date=issue_date,
        warnings=tuple(check_number(number, birth_date, sex_value)),
    )


def mask_id(id_number: str) -> str:
    """`001234567856` → `001*******56`: for tickets and public screens."""
    if len(id_number) <= 5:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 5) + id_number[-2:]
