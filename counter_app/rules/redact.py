"""Errors told without the values they carried, for log lines that must hold no personal data.

A database error's text repeats the row it refused (PostgreSQL's CONTEXT shows the JSON it could not
read), and a ValueError often quotes its input; the class, the SQL state and where it was raised are
enough to find the fault.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import Any


def describe(exc: BaseException) -> str:
    """`ValueError at crud.py:171 in _apply` (with `sqlstate 22P05` for a database error)."""
    parts = [type(exc).__name__]
    orig = getattr(exc, "orig", None)  # SQLAlchemy's wrapper around the driver's error
    sqlstate = getattr(orig, "sqlstate", None) or getattr(exc, "sqlstate", None)
    if orig is not None:
        parts.append(f"({type(orig).__name__})")
    if sqlstate:
        parts.append(f"sqlstate {sqlstate}")
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        parts.append(f"at {Path(last.filename).name}:{last.lineno} in {last.name}")
    return " ".join(parts)


class RedactingFormatter(logging.Formatter):
    """Tracebacks keep their frames and lose their message: the frames say where, the message may say whom."""

    def formatException(self, ei: Any) -> str:
        _type, value, tb = ei
        frames = "".join(traceback.format_list(traceback.extract_tb(tb)))
        return f"Traceback (most recent call last):\n{frames}{describe(value)} (message withheld)"


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is logged (a test, or a GUI, may swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(*, verbose: bool = False) -> None:
    """The root handler of every program of the product (hub, clerk app, kiosk, board, city server)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, RedactingFormatter) for h in root.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for chatty in ("alembic", "httpx", "httpcore"):  # httpx logs every request of a LAN client at INFO
        logging.getLogger(chatty).setLevel(logging.WARNING)
