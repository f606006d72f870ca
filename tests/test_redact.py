"""Log lines keep where an error happened and lose what it quoted."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from counter_app.rules.redact import RedactingFormatter, describe

ID_NUMBER = "079188004321"


def _record(exc: BaseException) -> logging.LogRecord:
    try:
        raise exc
    except BaseException as raised:
        return logging.LogRecord("t", logging.ERROR, __file__, 1, "op %s failed", ("op-1",),
                                 (type(raised), raised, raised.__traceback__))


def test_a_traceback_keeps_its_frames_and_loses_its_message():
    out = RedactingFormatter("%(message)s").format(_record(ValueError(f"bad birth date for {ID_NUMBER}")))
    assert "op op-1 failed" in out and "test_redact.py" in out and "ValueError" in out
    assert ID_NUMBER not in out and "message withheld" in out


def test_a_database_error_is_told_by_class_and_place_without_the_row():
    engine = create_engine("sqlite://", hide_parameters=True)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE d (id_number TEXT UNIQUE)"))
        conn.execute(text("INSERT INTO d VALUES (:v)"), {"v": ID_NUMBER})
        with pytest.raises(IntegrityError) as refused:
            conn.execute(text("INSERT INTO d VALUES (:v)"), {"v": ID_NUMBER})
    assert ID_NUMBER not in str(refused.value)  # hide_parameters, as both stores set it
    told = describe(refused.value)
    assert told.startswith("IntegrityError (IntegrityError)") and ID_NUMBER not in told
    assert isinstance(refused.value.orig, sqlite3.IntegrityError)
