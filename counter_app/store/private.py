"""Files of citizens' data are the owner's alone: the store, its WAL and journal, backups, print previews.

On POSIX a folder made here is 0700 and a file 0600 (SQLite gives its -wal and -shm files the mode of
the database file). On Windows the data lives in the user's profile folder, which only that user and
the administrators can read, so nothing is changed there.
"""

from __future__ import annotations

import os
from pathlib import Path

POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if POSIX:
        path.chmod(0o700)
    return path


SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")  # the files SQLite keeps beside a database


def with_companions(path: Path) -> list[Path]:
    """`path` and the names of the files SQLite may keep beside it."""
    return [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)]


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, and make it (and SQLite's companions of it) readable by the owner only."""
    if POSIX:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        for companion in with_companions(path):
            if companion.exists():
                companion.chmod(0o600)
    return path
