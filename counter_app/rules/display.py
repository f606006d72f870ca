"""How dates, times and money look to a Vietnamese reader: dd/MM/yyyy, HH:mm, 50.000 đ (screens and paper)."""

from __future__ import annotations

from datetime import date, datetime


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def fmt_money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def fmt_clock(value: datetime) -> str:
    return value.strftime("%H:%M")


def fmt_date_long(value: date) -> str:
    """ "Thứ Hai, 23/11/2026" """
    return f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"


def fmt_minutes(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} phút {secs:02d} giây" if minutes else f"{secs} giây"


def fmt_time_formal(value: datetime | None) -> str:
    """The wording of official forms: "08 giờ 30 phút, ngày 23 tháng 11 năm 2026"."""
    if value is None:
        return ""
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def fmt_date_formal(value: date) -> str:
    """ "ngày 23 tháng 11 năm 2026" """
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def fmt_span(seconds: float) -> str:
    """A length of time, coarsely: "3 ngày 2 giờ", "5 giờ 10 phút", "7 phút" (the sign is dropped)."""
    minutes = abs(round(seconds)) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days >= 365:
        return f"{days // 365} năm"
    if days:
        return f"{days} ngày" + (f" {hours} giờ" if hours else "")
    if hours:
        return f"{hours} giờ" + (f" {minutes} phút" if minutes else "")
    return f"{minutes} phút"


def mask_name(name: str) -> str:
    """A citizen's name as a public screen may show it: the family name, then initials ("Nguyễn V. A.")."""
    words = name.split()
    if len(words) < 2:
        return f"{words[0][:1]}." if words else ""
    return " ".join([words[0], *(f"{w[:1].upper()}." for w in words[1:])])
