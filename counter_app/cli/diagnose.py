"""`counter-app diagnose`: one archive for support, with nothing personal in it.

It holds versions, the settings (secrets shown only as set or not), the store's checks and counts, the
sync, print and backup state, and the end of every log file. Citizens' data never enters it: counts
and states only, dossier codes and op ids where a row must be named, and the log files, which are
written redacted in the first place. A damaged store still gets an archive: that is when support
needs it most.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import platform
import sqlite3
import sys
import zipfile
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

from counter_app.backups.service import free_bytes, last_attempt, list_backups
from counter_app.cli.logfiles import log_folder
from counter_app.errors import OfficeError
from counter_app.rules.clock import now
from counter_app.secrets_store import NAMES
from counter_app.settings import Settings
from counter_app.store import Store
from counter_app.store.private import private_file

LOG_TAIL_BYTES = 1024 * 1024
PACKAGES = ("pyside6", "sqlalchemy", "sqlmodel", "alembic", "fastapi", "uvicorn", "httpx", "reportlab",
            "python-escpos", "pyserial", "cryptography", "keyring", "platformdirs", "holidays")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("diagnose", help="write one archive for support (versions, checks, state, logs)")
    parser.add_argument("--out", type=Path, help="the archive to write (default: counter-app-diagnose-<time>.zip)")


def _versions() -> dict[str, Any]:
    found: dict[str, str] = {}
    for name in ("counter-app", *PACKAGES):
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return {"python": sys.version, "platform": platform.platform(), "machine": platform.machine(),
            "packages": found}


def _settings(settings: Settings) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if f.name in NAMES:
            shown[f.name] = "set" if value else "not set"
        else:
            shown[f.name] = [str(v) for v in value] if isinstance(value, tuple) else str(value)
    return shown


def _store_checks(path: Path) -> dict[str, Any]:
    """SQLite's own checks and row counts, read with plain SQL (works on a store the app refuses)."""
    facts: dict[str, Any] = {"path": str(path), "exists": path.exists()}
    if not path.exists():
        return facts
    facts["bytes"] = path.stat().st_size
    facts["free_bytes_on_disk"] = free_bytes(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            facts["integrity_check"] = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
            facts["schema"] = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            facts["counts"] = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                               for table in ("dossier", "event", "ticket", "print_job", "outbox")}
            facts["outbox_states"] = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        facts["unreadable"] = f"{type(exc).__name__}: {getattr(exc, 'sqlite_errorname', '')} {exc}"
    return facts


def _office_state(settings: Settings) -> dict[str, Any]:
    from counter_app.audit import verify_chain
    from counter_app.local.office import LocalOffice

    if not settings.db_path.exists():
        return {"not opened": "no store"}
    try:
        store = Store.open(settings.db_path, upgrade=False)  # look, never change: no migration here
    except OfficeError as exc:
        return {"not opened": str(exc)}
    try:
        office = LocalOffice(store)
        with store.read() as s:
            chain = verify_chain(s)
        status = office.sync_status()
        jobs = office.print_jobs(active_only=False, limit=50)
        return {
            "event_chain": {"ok": chain.ok, "checked": chain.checked, "broken_seq": chain.broken_seq,
                            "reason": chain.reason},
            "sync": {"configured": bool(settings.city_url), "last_success_at": str(status.last_success_at),
                     "last_attempt_at": str(status.last_attempt_at), "failures": status.failures,
                     "pending": status.pending, "clock_skew_s": status.clock_skew_s,
                     "rejected": [{"op_id": r.op_id, "dossier": r.dossier_code, "kind": r.kind, "reason": r.reason}
                                  for r in status.rejected]},
            "printers": [{"name": p.name, "kind": p.kind, "enabled": p.enabled, "state": p.state_vi}
                         for p in office.printers()],
            "print_jobs": [{"id": j.id, "kind": j.kind, "dossier": j.request.code, "printer": j.printer,
                            "state": j.state, "attempts": j.attempts, "error": j.last_error_vi} for j in jobs],
        }
    finally:
        store.close()


def _backups(settings: Settings) -> dict[str, Any]:
    from counter_app.cli.backup import plan

    return {"folders": {str(f): f.is_dir() for f in settings.backup_folders},
            "key": "set" if settings.backup_key else "not set",
            "last_attempt": last_attempt(plan(settings, strict=False)),
            "backups": [{"file": str(b.path), "made_at": b.made_at.isoformat(), "kind": b.kind, "bytes": b.size,
                         "events": b.events, "dossiers": b.dossiers} for b in list_backups(settings.backup_folders)]}


def _part(parts: dict[str, Any], name: str, make: Callable[[], Any]) -> None:
    try:
        parts[name] = make()
    except Exception as exc:  # one part failing must not cost the rest of the archive
        parts[name] = {"failed": f"{type(exc).__name__}: {exc}"}


def write_archive(settings: Settings, out: Path) -> Path:
    parts: dict[str, Any] = {"made_at": now().isoformat()}
    _part(parts, "versions", _versions)
    _part(parts, "settings", lambda: _settings(settings))
    _part(parts, "store", lambda: _store_checks(settings.db_path))
    _part(parts, "office", lambda: _office_state(settings))
    _part(parts, "backups", lambda: _backups(settings))
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("state.json", json.dumps(parts, ensure_ascii=False, indent=2, default=str))
        folder = log_folder()
        for log in sorted(folder.glob("*.log*")) if folder.is_dir() else []:
            with log.open("rb") as f:
                f.seek(max(0, log.stat().st_size - LOG_TAIL_BYTES))
                archive.writestr(f"logs/{log.name}", f.read())
    private_file(out).write_bytes(buffer.getvalue())
    return out


def run(settings: Settings, args: argparse.Namespace) -> int:
    out = args.out or Path(f"counter-app-diagnose-{now():%Y%m%d-%H%M%S}.zip")
    write_archive(settings, out)
    print(f"diagnostics written to {out} ({out.stat().st_size // 1024} KB): versions, settings without secrets, "
          "store checks, sync, print and backup state, the last logs; nothing personal")
    return 0
