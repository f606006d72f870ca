"""Backups of the office store: made while the office works, checked, sealed, rotated, and restored.

A backup is made in three steps: SQLite's online backup copies the store into a private file beside
it (one read transaction: in WAL mode writers go on meanwhile), the copy is checked
(`integrity_check` and the whole event chain), then it is sealed with the office's backup key
(`counter_app.backups.sealed`) into each configured folder that is present, and the folders are
rotated. The files themselves are the record: their headers say when and what, so the status and the
start-up message can list them even when the store cannot be opened.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlmodel import Session

from counter_app.audit import verify_chain
from counter_app.backups import sealed
from counter_app.backups.sealed import BackupUnreadable
from counter_app.errors import OfficeError
from counter_app.rules.clock import aware
from counter_app.rules.retention import to_keep
from counter_app.store import Store
from counter_app.store.db import online_copy
from counter_app.store.private import private_dir, private_file, with_companions

log = logging.getLogger(__name__)

SUFFIX = ".cabk"
KINDS = ("closing", "manual", "before-migration", "before-restore")


class BackupFailed(OfficeError):
    """No backup could be made or checked."""


@dataclass(frozen=True)
class BackupPlan:
    """Where this office's backups go and the key that seals them (None: no key set yet)."""

    folders: tuple[Path, ...]
    key: bytes | None
    state_file: Path  # the last attempt's outcome, beside the store

    def require_key(self) -> bytes:
        if self.key is None:
            raise BackupFailed("no backup key set",
                               "Chưa có khóa sao lưu: quản trị tạo khóa bằng lệnh “counter-app backup key” và "
                               "cất giữ khóa đó ở nơi an toàn.")
        return self.key


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: datetime
    kind: str
    office: str
    events: int
    chain_head: str
    dossiers: int
    schema: str
    size: int

    @classmethod
    def of(cls, path: Path) -> BackupFile:
        h = sealed.read_header(path)
        return cls(path=path, made_at=aware(datetime.fromisoformat(h["made_at"])), kind=h.get("kind", ""),
                   office=h.get("office", ""), events=int(h.get("events", 0)), chain_head=h.get("chain_head", ""),
                   dossiers=int(h.get("dossiers", 0)), schema=h.get("schema", ""), size=path.stat().st_size)


@dataclass(frozen=True)
class BackupReport:
    made: BackupFile | None  # the first copy written
    written: tuple[Path, ...]
    skipped: tuple[str, ...]  # folders not present or not writable, with why (English)
    removed: tuple[Path, ...]  # older backups rotated out
    seconds: float
    copy_seconds: float  # how long the store was being read


@dataclass(frozen=True)
class CopyFacts:
    events: int
    chain_head: str
    dossiers: int
    schema: str
    office: str


def present(folder: Path) -> bool:
    """A folder is used when it exists, or its parent does (a USB stick's mount point, a second disk)."""
    return folder.is_dir() or folder.parent.is_dir()


def list_backups(folders: tuple[Path, ...] | list[Path]) -> list[BackupFile]:
    """Every readable backup in `folders`, newest first (unreadable files are logged and left out)."""
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.glob(f"*{SUFFIX}"):
            try:
                found.append(BackupFile.of(path))
            except (OSError, BackupUnreadable, KeyError, ValueError) as exc:
                log.warning("not a usable backup: %s (%s)", path, exc)
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def check_copy(path: Path, *, chain: bool = True) -> CopyFacts:
    """`integrity_check` and the whole event chain of the SQLite file at `path`; raises if either fails.

    `chain=False` for a store of an older schema (before a migration), which this version's models
    may not read.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise BackupFailed(f"integrity_check of {path.name}: {problems[:3]}",
                               "Bản sao của kho dữ liệu không toàn vẹn (integrity_check); chưa sao lưu được.")
        last = conn.execute("SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1").fetchone()
        dossiers = conn.execute("SELECT count(*) FROM dossier").fetchone()[0]
        schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        office = conn.execute("SELECT agency_code FROM office WHERE id = 1").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(f"cannot read {path.name}: {exc}",
                           "Không đọc được bản sao của kho dữ liệu; chưa sao lưu được.") from None
    finally:
        conn.close()
    if chain:
        _check_chain(path)
    head = "" if last is None else last[1] if isinstance(last[1], str) else bytes(last[1]).hex()  # str: schema 0001
    return CopyFacts(events=last[0] if last else 0, chain_head=head,
                     dossiers=dossiers, schema=schema[0] if schema else "", office=office[0] if office else "")


def _check_chain(path: Path) -> None:
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", hide_parameters=True)
    try:
        with Session(engine) as session:
            chain = verify_chain(session)
    finally:
        engine.dispose()
    if not chain.ok:
        raise BackupFailed(f"event chain of {path.name} broken at {chain.broken_seq}: {chain.reason}",
                           f"Nhật ký sự kiện trong kho dữ liệu bị hỏng từ sự kiện số {chain.broken_seq}; "
                           "chưa sao lưu được. Hãy báo bộ phận kỹ thuật.")


@contextlib.contextmanager
def _plain_copy(beside: Path) -> Iterator[Path]:
    """A private scratch file beside the store (same disk, same protection), removed afterwards."""
    path = beside.with_name(f"{beside.name}.backup-{os.getpid()}.tmp")
    path.unlink(missing_ok=True)
    private_file(path)
    try:
        yield path
    finally:
        remove_with_companions(path)


def remove_with_companions(path: Path) -> None:
    for companion in with_companions(path):
        companion.unlink(missing_ok=True)


def make_backup(store: Store, plan: BackupPlan, *, kind: str, at: datetime) -> BackupReport:
    """Copy, check, seal into every present folder, rotate; records the outcome in the plan's state file."""
    return backup_file(store.path, plan, kind=kind, at=at)


def backup_file(store_path: Path, plan: BackupPlan, *, kind: str, at: datetime, chain: bool = True) -> BackupReport:
    """`make_backup` of the store file at `store_path` (before a migration: `chain=False`, see `check_copy`)."""
    started = time.monotonic()
    try:
        report = _make(store_path, plan, kind=kind, at=at, started=started, chain=chain)
    except OfficeError as exc:
        _record(plan, at=at, ok=False, error=str(exc), error_vi=exc.message_vi)
        log.error("backup failed: %s", exc)
        raise
    except OSError as exc:
        _record(plan, at=at, ok=False, error=f"{type(exc).__name__}: {exc.strerror}",
                error_vi="Không ghi được bản sao lưu (ổ đĩa đầy hoặc không ghi được).")
        log.error("backup failed: %s: %s", type(exc).__name__, exc.strerror)
        raise BackupFailed(f"backup failed: {exc.strerror}",
                           "Không sao lưu được: ổ đĩa đầy hoặc thư mục sao lưu không ghi được.") from None
    _record(plan, at=at, ok=True, error="", error_vi="", folders=[str(p.parent) for p in report.written])
    return report


def backup_in_child(store_path: Path, plan: BackupPlan, *, kind: str, at: datetime) -> BackupReport:
    """`backup_file` in a process of its own, as the hub and the one-PC app run their closing-time backup.

    Checking two million events' hashes is a minute of Python: in the hub's process it would hold the
    interpreter lock the counters' calls need (bench_backup measured p95 call next 37 ms during a
    backup in-process). A spawned child has its own; the outcome comes back as plain data.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        outcome = pool.submit(_child_backup, store_path, plan, kind, at).result()
    if isinstance(outcome, BackupReport):
        return outcome
    log_message, message_vi = outcome
    raise BackupFailed(log_message, message_vi)


def _child_backup(store_path: Path, plan: BackupPlan, kind: str, at: datetime) -> BackupReport | tuple[str, str]:
    try:
        return backup_file(store_path, plan, kind=kind, at=at)
    except OfficeError as exc:  # office errors do not pickle (two arguments): send their texts
        return str(exc), exc.message_vi


def _make(store_path: Path, plan: BackupPlan, *, kind: str, at: datetime, started: float,
          chain: bool) -> BackupReport:
    key = plan.require_key()
    targets, skipped = [], []
    for folder in plan.folders:
        if present(folder):
            targets.append(folder)
        else:
            skipped.append(f"{folder}: not present")
    if not targets:
        raise BackupFailed("no backup folder present: " + "; ".join(skipped),
                           "Không có thư mục sao lưu nào dùng được (ổ đĩa thứ hai hoặc USB chưa cắm?).")
    with _plain_copy(store_path) as plain:
        copy_started = time.monotonic()
        online_copy(store_path, plain)
        copy_seconds = time.monotonic() - copy_started
        facts = check_copy(plain, chain=chain)
        header = {"made_at": at.isoformat(), "kind": kind, "office": facts.office, "events": facts.events,
                  "chain_head": facts.chain_head, "dossiers": facts.dossiers, "schema": facts.schema}
        name = f"office-{facts.office.replace('.', '')}-{at:%Y%m%d-%H%M%S}-{kind}{SUFFIX}"
        written: list[Path] = []
        for folder in targets:
            try:
                written.append(_seal_into(plain, private_dir(folder) / name, key, header))
            except OSError as exc:
                skipped.append(f"{folder}: {type(exc).__name__}: {exc.strerror}")
                log.warning("backup not written to %s: %s", folder, exc.strerror)
    if not written:
        raise BackupFailed("no backup written: " + "; ".join(skipped),
                           "Không ghi được bản sao lưu vào thư mục nào (ổ đĩa đầy hoặc không ghi được).")
    removed = [p for folder in {p.parent for p in written} for p in rotate(folder)]
    made = BackupFile.of(written[0])
    seconds = time.monotonic() - started
    log.info("backup %s made in %.1f s (store read for %.1f s): %d events, %d dossiers, %d bytes, to %d folders",
             name, seconds, copy_seconds, facts.events, facts.dossiers, made.size, len(written))
    return BackupReport(made=made, written=tuple(written), skipped=tuple(skipped), removed=tuple(removed),
                        seconds=seconds, copy_seconds=copy_seconds)


def _seal_into(plain: Path, target: Path, key: bytes, header: dict[str, Any]) -> Path:
    """Seal to a temporary name, flush to disk, then rename: a half-written backup never has the real name."""
    partial = target.with_name(target.name + ".part")
    try:
        with plain.open("rb") as src, private_file(partial).open("wb") as dst:
            sealed.seal(src, dst, key, header)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def rotate(folder: Path) -> list[Path]:
    """Remove the backups in `folder` that the 7 daily, 4 weekly, 12 monthly rotation does not keep."""
    backups = list_backups([folder])
    keep = to_keep([b.made_at for b in backups])
    removed = []
    for i, backup in enumerate(backups):
        if i not in keep:
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    if removed:
        log.info("rotated out %d old backups in %s", len(removed), folder)
    return removed


def _record(plan: BackupPlan, **outcome: Any) -> None:
    state = {**outcome, "at": outcome["at"].isoformat()}
    try:
        private_dir(plan.state_file.parent)
        private_file(plan.state_file).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        log.warning("cannot record the backup outcome in %s: %s", plan.state_file, exc.strerror)


def last_attempt(plan: BackupPlan) -> dict[str, Any]:
    try:
        return json.loads(plan.state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def free_bytes(path: Path) -> int:
    """Free space on the disk holding `path` (its nearest existing folder)."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free
