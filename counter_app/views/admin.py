"""What the administrator's screens read and change besides accounts and printers: the office's days."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel


class CalendarDayView(BaseModel):
    day: date
    kind: Literal["off", "work"]  # an extra day off, or a make-up working day
    note: str = ""
