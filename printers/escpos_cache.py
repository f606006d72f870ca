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


def write_cache(folder: Path, *, force: bool = False) -> None:
    """Write escpos's capabilities cache ourselves, whole or not at all (a new file renamed into place).

    escpos writes it in place when it is missing: a second process starting at that moment (the kiosk beside
    the clerk app on a fresh PC, a second test worker) read half a file and failed its import (EOFError).
    """
    import importlib.resources
    import pickle
    import platform

    import yaml

    target = folder / f"{platform.python_version()}.capabilities.pickle"
    with importlib.resources.as_file(importlib.resources.files("escpos") / "capabilities.json") as source:
        if not force and target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            return
        capabilities = yaml.safe_load(source.read_text(encoding="utf-8"))  # as escpos reads it
    part = folder / f".{target.name}.{os.getpid()}.part"
    with open(part, "wb") as out:
        pickle.dump(capabilities, out, protocol=2)
    os.replace(part, target)


def import_escpos() -> None:
    """Import `escpos.capabilities` (and so the package) with its cache in `cache_dir()`; idempotent."""
    import pickle
    import sys

    if "escpos.capabilities" in sys.modules:
        return
    folder = cache_dir()
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(folder)
    write_cache(folder)
    real = tempfile.mkdtemp
    tempfile.mkdtemp = lambda *args, **kwargs: str(folder)  # what the module binds at import, once
    try:
        try:
            import escpos.capabilities
        except (EOFError, pickle.UnpicklingError):  # a cache left half written by an older version: write it anew
            write_cache(folder, force=True)
            import escpos.capabilities  # noqa: F401
    finally:
        tempfile.mkdtemp = real
