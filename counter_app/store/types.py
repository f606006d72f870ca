"""Column types: timezone-aware datetimes stored as ISO 8601 text with their offset."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from counter_app.rules.clock import TZ, aware


def stored_text(value: datetime) -> str:
    """How an `AwareDateTime` column holds `value`: for plain-SQL comparisons with stored times."""
    return aware(value).isoformat(timespec="microseconds")


class AwareDateTime(TypeDecorator[datetime]):
    """Stores `2026-11-22T09:15:00.123456+07:00`; always converted to Vietnam time first.

    Every stored value has the same offset, so text order is time order and indexes work.
    """

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> str | None:
        if value is None:
            return None
        return stored_text(value)

    def process_result_value(self, value: str | None, dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(value).astimezone(TZ)
