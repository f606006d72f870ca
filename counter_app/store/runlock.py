"""Locks on the store's side files: who has it open (`<store>.lock`), and whose turn it is to write (`WriterQueue`).

Every process that opens the store holds a shared lock on `<store>.lock`.

A restore (which replaces the file) takes the lock exclusively and without waiting, so it is refused
while the hub, the clerk app, the kiosk or the board still runs on that store. On POSIX this is
`flock`; the lock goes with the process, however it ends. On Windows there is no shared `flock`:
there the restore is refused by the system itself, which does not let an open store be moved aside.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from counter_app.store.private import private_file

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def hold_shared(db: Path) -> IO[bytes] | None:
    """Hold a shared lock for as long as the returned file stays open (None where unsupported)."""
    if fcntl is None:
        return None
    f = private_file(lock_path(db)).open("rb")
    fcntl.flock(f.fileno(), fcntl.LOCK_SH)
    return f


def try_exclusive(db: Path) -> IO[bytes] | None:
    """The lock alone, or None if another process has the store open. Close the file to let go."""
    if fcntl is None or not db.parent.exists():
        return open(os.devnull, "rb")  # the caller closes it, like a real lock
    f = private_file(lock_path(db)).open("rb")
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        return None
    return f


class WriterQueue:
    """Writers of every process on one store wait their turn here, in the kernel, before SQLite's BEGIN IMMEDIATE.

    SQLite's own busy handler sleeps and retries in steps of up to 100 ms, so on a one-PC office (the clerk
    app, the kiosk and the board as programs of their own on one file) a writer could nap for a second
    while the file was free most of that time. A blocked `flock` (`LockFileEx` on Windows) wakes the moment
    the holder lets go. The lock is on `<store>.writer`, kept open for the store's life; the busy handler
    stays as the net for any writer that does not queue here (the sqlite3 shell, an older program).
    """

    def __init__(self, db: Path) -> None:
        self._file: IO[bytes] | None = None
        self._lock, self._unlock = _exclusive_lock()
        if self._lock is not None:
            self._file = private_file(db.with_name(db.name + ".writer")).open("a+b")

    def acquire(self) -> None:
        if self._file is not None and self._lock is not None:
            self._lock(self._file)

    def release(self) -> None:
        if self._file is not None and self._unlock is not None:
            self._unlock(self._file)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _exclusive_lock() -> tuple[Callable[[IO[bytes]], None] | None, Callable[[IO[bytes]], None] | None]:
    """(lock, unlock) of a whole file, blocking; (None, None) where neither flock nor pywin32 is there."""
    if fcntl is not None:
        return (lambda f: fcntl.flock(f.fileno(), fcntl.LOCK_EX)), (lambda f: fcntl.flock(f.fileno(), fcntl.LOCK_UN))
    try:  # Windows: pywin32 is a dependency there
        import msvcrt

        import pywintypes
        import win32con
        import win32file
    except ImportError:
        log.warning("no file locking here: writers of other processes wait in SQLite's busy handler")
        return None, None

    def handle(f: IO[bytes]) -> int:
        return msvcrt.get_osfhandle(f.fileno())

    def lock(f: IO[bytes]) -> None:
        win32file.LockFileEx(handle(f), win32con.LOCKFILE_EXCLUSIVE_LOCK, 0, 0xFFFF0000, pywintypes.OVERLAPPED())

    def unlock(f: IO[bytes]) -> None:
        win32file.UnlockFileEx(handle(f), 0, 0xFFFF0000, pywintypes.OVERLAPPED())

    return lock, unlock
