"""Import python-escpos without leaving a folder in the temporary directory each time.

`escpos.capabilities` runs `environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR", mkdtemp())` at import: the
default is evaluated even when the variable is set, so every process made a new empty folder in /tmp
and, without the variable, rebuilt its capabilities cache there (issue 23 found 60 such folders after a
test run). The import is done once here with `mkdtemp` answering the office's own cache folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from platformdirs import user_cache_dir


def cache_dir() -> Path:
    folder = Path(os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR") or Path(user_cache_dir("counter-app")) / "escpos")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def import_escpos() -> None:
    """Import `escpos.capabilities` (and so the package) with its cache in `cache_dir()`; idempotent."""
    import sys

    if "escpos.capabilities" in sys.modules:
        return
    folder = str(cache_dir())
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = folder
    real = tempfile.mkdtemp
    tempfile.mkdtemp = lambda *args, **kwargs: folder  # what the module binds at import, once
    try:
        import escpos.capabilities  # noqa: F401
    finally:
        tempfile.mkdtemp = real
