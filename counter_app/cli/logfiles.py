"""Log files an administrator can hand over: one rotating file per program in the platform's log folder.

Linux `~/.local/state/counter-app/log/`, Windows `%LOCALAPPDATA%\\counter-app\\Logs\\` (or the folder
named by `COUNTER_APP_LOG_DIR`). Each program (`gui`, `serve`, `kiosk`, `board`, the other commands)
writes its own file, so two processes never rotate the same one; lines go through the same redaction
as the console, and the files are the owner's alone.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_path

from counter_app.rules.redact import RedactingFormatter
from counter_app.store.private import private_dir, private_file

MAX_BYTES = 5 * 1024 * 1024
KEEP = 5  # older files kept beside the current one: 30 MB per program at most
PROGRAMS = {"gui", "serve", "kiosk", "board", "city-server"}


def log_folder() -> Path:
    override = os.environ.get("COUNTER_APP_LOG_DIR")
    return Path(override) if override else user_log_path("counter-app", appauthor=False)


def log_file(command: str) -> Path:
    return log_folder() / f"{command if command in PROGRAMS else 'commands'}.log"


def add_file_log(command: str) -> Path | None:
    """Also log to this program's rotating file; None (and a console warning) if the folder cannot be made."""
    path = log_file(command)
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        return path  # `main` run again in the same process (tests)
    try:
        private_dir(path.parent)
        handler = RotatingFileHandler(private_file(path), maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8")
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file in %s: %s", path.parent, exc.strerror)
        return None
    handler.setFormatter(RedactingFormatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path
