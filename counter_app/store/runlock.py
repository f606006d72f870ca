"""Who has the store open: every process that opens it holds a shared lock on `<store>.lock`.

A restore (which replaces the file) takes the lock exclusively and without waiting, so it is refused
while the hub, the clerk app, the kiosk or the board still runs on that store. On POSIX this is
`flock`; the lock goes with the process, however it ends. On Windows there is no shared `flock`:
there the restore is refused by the system itself, which does not let an open store be moved aside.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from counter_app.store.private import private_file

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


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
