"""SQLite's `quick_check` of the office's file, at once or on a thread while the first window shows.

On the office's 300th day the file is near 2 GB and the check reads all of it: 2-6 s on the clerk's PC,
longer from a spinning disk. A window that only reads (sign-in's name and password boxes) can show
meanwhile; every write waits for the check and is refused if it failed, so nothing is added to a
damaged file.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from counter_app.errors import StoreDamaged

log = logging.getLogger(__name__)


def damaged(log_message: str, newest_backup: str = "") -> StoreDamaged:
    where = f" Bản sao lưu tốt gần nhất: {newest_backup}." if newest_backup else ""
    return StoreDamaged(log_message, "Kho dữ liệu của văn phòng bị hỏng nên phần mềm dừng lại để không ghi thêm vào "
                                     f"tệp hỏng.{where} Quản trị khôi phục bằng lệnh “counter-app restore TỆP” "
                                     "(xem “counter-app backup status”).")


def _run(conn: sqlite3.Connection, path: Path) -> None:
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise damaged(f"store {path.name} unreadable: {getattr(exc, 'sqlite_errorname', exc)}") from None
    if found != ["ok"]:
        raise damaged(f"store {path.name} fails quick_check: {found[:3]}")


def _connect(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        raise damaged(f"store {path.name} unreadable: {getattr(exc, 'sqlite_errorname', exc)}") from None


def quick_check(path: Path) -> None:
    """SQLite's `quick_check` of the file at `path`; raises `StoreDamaged` naming what it found."""
    conn = _connect(path)
    try:
        _run(conn, path)
    finally:
        conn.close()


class BackgroundCheck:
    """`quick_check` on a thread of its own; `passed()` waits for it and raises what it found.

    `on_damaged` turns the finding into the error the clerk sees (the command line names the newest
    good backup in it). Closing the store stops a check still running: SQLite interrupts its read.
    """

    def __init__(self, path: Path, on_damaged: Callable[[StoreDamaged], StoreDamaged] | None = None) -> None:
        self.path = path
        self._on_damaged = on_damaged or (lambda exc: exc)
        self._done = threading.Event()
        self._error: StoreDamaged | None = None
        self._cancelled = False
        self._conn: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._check, name="store-check", daemon=True)

    def start(self) -> BackgroundCheck:
        self._thread.start()
        return self

    def _check(self) -> None:
        try:
            self._conn = _connect(self.path)
            if self._cancelled:
                raise damaged(f"store {self.path.name} closed before its check began")
            _run(self._conn, self.path)
            log.info("store %s passed quick_check", self.path.name)
        except StoreDamaged as exc:
            if self._cancelled:  # interrupted by `cancel`: not a finding, but no write gets through either
                self._error = damaged(f"store {self.path.name} closed before its check finished")
            else:
                log.error("%s", exc)
                self._error = self._on_damaged(exc)
        except Exception as exc:  # never leave the writers waiting on a check that died
            log.exception("quick_check of %s did not finish", self.path.name)
            self._error = damaged(f"store {self.path.name} could not be checked: {type(exc).__name__}")
        finally:
            if self._conn is not None:
                self._conn.close()
            self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    def passed(self, timeout: float | None = None) -> bool:
        """Wait up to `timeout` (for ever with None); True once it passed, False if still running.

        Raises `StoreDamaged` when the check found damage, every time it is asked.
        """
        if not self._done.wait(timeout):
            return False
        if self._error is not None:
            raise self._error
        return True

    def cancel(self) -> None:
        """Stop a check still running (the store closes)."""
        self._cancelled = True
        conn = self._conn
        if conn is not None and not self._done.is_set():
            with contextlib.suppress(sqlite3.ProgrammingError):  # it finished and closed in between
                conn.interrupt()
        self._thread.join(timeout=5)
