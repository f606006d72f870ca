"""How dates, times and money look to a Vietnamese clerk: dd/MM/yyyy, HH:mm, 50.000 đ."""

from __future__ import annotations

from datetime import date, datetime


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def fmt_money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"
