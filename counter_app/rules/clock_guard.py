"""Refuse to date a dossier by a clock that is plainly wrong (a flat CMOS battery wakes up in 1970 or 2000).

A receipt's date and its appointment date are legal facts. No commune received a dossier with this
software before the two-tier local government began on 1 July 2025, so an earlier reading is a broken
clock and nothing is written until it is set. A clock a few days off cannot be told apart here (a PC
set right after running ahead must keep working); the sync measures how far it is off the city's
(`SyncStatus.clock_skew_s`) and the status bar warns the clerk.
"""

from __future__ import annotations

from datetime import datetime

from counter_app.errors import OfficeError
from counter_app.rules.clock import TZ

EARLIEST = datetime(2025, 7, 1, tzinfo=TZ)


class ClockWrong(OfficeError):
    """This PC's clock reads a time before any dossier could have been received."""


def check(at: datetime) -> None:
    if at < EARLIEST:
        raise ClockWrong(
            f"clock reads {at.isoformat()}, before {EARLIEST.date()}: refusing to date a dossier by it",
            f"Đồng hồ máy tính đang chỉ {at:%d/%m/%Y %H:%M}, không thể đúng. "
            "Xin chỉnh lại ngày giờ máy tính rồi làm tiếp; chưa có gì được ghi.",
        )
