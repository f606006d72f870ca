"""Running numbers that only ever go up: dossier codes per day, register rows per year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from counter_app.rules.clock import aware

_NEXT = text(
    "INSERT INTO sequence_counter(name, key, value) VALUES (:name, :key, 1) "
    "ON CONFLICT(name, key) DO UPDATE SET value = value + 1 RETURNING value"
)


def next_value(session: Session, name: str, key: str) -> int:
    """Take the next number of the series; atomic in the store's IMMEDIATE transaction."""
    return int(session.execute(_NEXT, {"name": name, "key": key}).scalar_one())


def dossier_code(session: Session, agency_code: str, received_at: datetime) -> str:
    """`{agency}-{yyMMdd}-{NNNN}`; the number restarts each day and is never given twice."""
    day = aware(received_at).strftime("%y%m%d")
    number = next_value(session, "dossier", f"{agency_code}-{day}")
    return f"{agency_code}-{day}-{number:04d}"


def register_row(session: Session, received_at: datetime) -> tuple[str, int]:
    """Book and row of the dossier register (sổ theo dõi hồ sơ): one book per year."""
    book = aware(received_at).strftime("%Y")
    return book, next_value(session, "register", book)
