"""Timezone-aware time for the office: everything is Asia/Ho_Chi_Minh, never naive."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current time in Vietnam, timezone-aware."""
    return datetime.now(TZ)


def aware(value: datetime) -> datetime:
    """Return `value` in Vietnam time; a naive value is refused, never guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: all office times must carry a timezone")
    return value.astimezone(TZ)
