"""Refuse to date a dossier by a clock that has gone back (a flat CMOS battery wakes up in 1970).

A receipt's date and its appointment date are legal facts; a PC whose clock runs behind the office's
own history must be set right before anything is received. A clock that runs ahead cannot be caught
here; the sync shows how far it is off the city's (`SyncStatus.clock_skew_s`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from counter_app.errors import OfficeError
from counter_app.store.models import Event

BACKWARDS_LIMIT = timedelta(minutes=10)  # clocks of PCs sharing a hub differ a little; ten minutes is no slip


class ClockWrong(OfficeError):
    """This PC's clock is behind the office's last recorded dossier event."""


def check(session: Session, at: datetime) -> None:
    last = session.exec(select(func.max(Event.at)).where(col(Event.dossier_id).is_not(None))).one()
    if last is None:
        return
    last_at = datetime.fromisoformat(last) if isinstance(last, str) else last
    if at < last_at - BACKWARDS_LIMIT:
        raise ClockWrong(
            f"clock reads {at.isoformat()} but the last event was at {last_at.isoformat()}",
            f"Đồng hồ máy tính đang chỉ {at:%d/%m/%Y %H:%M}, trước cả lần ghi cuối của văn phòng "
            f"({last_at:%d/%m/%Y %H:%M}). Xin chỉnh lại ngày giờ máy tính rồi làm tiếp; chưa có gì được ghi.",
        )
