"""`counter-app backup …` and `counter-app restore FILE`: the office's backups, made, listed and put back.

Part of the composition root: it builds the backup plan from the settings (folders, and the key from
the credential store) for the commands, the hub and the one-PC app.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from counter_app import office_setup
from counter_app.backups import sealed
from counter_app.backups.restore import restore
from counter_app.backups.schedule import OVERDUE_WORKING_DAYS, BackupScheduler, overdue
from counter_app.backups.service import (
    BackupFailed,
    BackupPlan,
    backup_file,
    last_attempt,
    list_backups,
    make_backup,
)
from counter_app.errors import OfficeError
from counter_app.local.office import LocalOffice
from counter_app.rules.clock import now
from counter_app.rules.display import fmt_datetime
from counter_app.rules.workcal import WorkCalendar
from counter_app.secrets_store import set_secret
from counter_app.settings import Settings
from counter_app.store import Store
from counter_app.store.models import OfficeRow

log = logging.getLogger(__name__)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser("backup", help="make a checked, encrypted backup now (or: status, key)")
    backup.add_argument("--to", type=Path, action="append", help="folder to write to (default: backup_folders)")
    acts = backup.add_subparsers(dest="backup_command", metavar="ACTION")
    acts.add_parser("status", help="the backups there are, the newest good one, and the last attempt")
    acts.add_parser("key", help="make the office's backup key, keep it on this PC and print it once")
    put = sub.add_parser("restore", help="put a backup back in place of the store (nothing may be running on it)")
    put.add_argument("file", type=Path)
    put.add_argument("--key-file", type=Path, help="a file holding the backup key (default: this PC's stored key)")
    put.add_argument("--offline", action="store_true",
                     help="do not fetch back from the city now; the next sync round does it first")


def plan(settings: Settings, folders: list[Path] | None = None, *, strict: bool = True) -> BackupPlan:
    """The office's backup plan; a malformed stored key is an error for the backup commands (`strict`) and,
    for the programs that back up by themselves, a logged error and no backups rather than no office."""
    try:
        key = sealed.key_from_text(settings.backup_key) if settings.backup_key else None
    except sealed.BackupUnreadable:
        if strict:
            raise
        log.error("the stored backup key is malformed: no backups until it is set again (`counter-app backup key`)")
        key = None
    return BackupPlan(folders=tuple(folders or settings.backup_folders), key=key,
                      state_file=settings.db_path.with_name("backup-state.json"))


def start_scheduler(settings: Settings, office: LocalOffice) -> BackupScheduler | None:
    """Closing-time backups for the hub or the one-PC app; None (and a warning) while no key is set."""
    office.backup_plan = office_plan = plan(settings, strict=False)
    if office_plan.key is None:
        log.warning("no backup key on this PC: the office is not backed up (`counter-app backup key`)")
        return None
    scheduler = BackupScheduler(office.store, office_plan)
    scheduler.start()
    return scheduler


def before_upgrade(settings: Settings) -> Callable[[Path], None] | None:
    """A sealed backup in the backup folders before the store is migrated (None while no key is set)."""
    office_plan = plan(settings, strict=False)
    if office_plan.key is None:
        return None
    return lambda path: backup_file(path, office_plan, kind="before-migration", at=now(), chain=False)


def run_backup(settings: Settings, args: argparse.Namespace, open_store: Callable[[Settings], Store]) -> int:
    if args.backup_command == "key":
        return _new_key(settings)
    if args.backup_command == "status":
        return _status(settings)
    store: Store = open_store(settings)
    report = make_backup(store, plan(settings, args.to), kind="manual", at=now())
    assert report.made is not None
    print(f"backup made in {report.seconds:.1f} s: {report.made.events} events, {report.made.dossiers} dossiers, "
          f"{report.made.size / 1e6:.1f} MB")
    for path in report.written:
        print(f"  written {path}")
    for why in report.skipped:
        print(f"  skipped {why}")
    for path in report.removed:
        print(f"  rotated out {path.name}")
    return 0


def _new_key(settings: Settings) -> int:
    if settings.backup_key:
        print("this PC already has a backup key; backups made with it need it to be restored.", file=sys.stderr)
        print("Máy này đã có khóa sao lưu. Tạo khóa mới chỉ khi khóa cũ bị lộ (bản cũ vẫn cần khóa cũ).",
              file=sys.stderr)
        if not sys.stdin.isatty() or input("make a new one anyway? [y/N] ").strip().lower() != "y":
            return 1
    key = sealed.new_key()
    where = set_secret("backup_key", sealed.key_text(key).replace("-", ""), settings.secrets_file)
    print(f"backup key kept in {where}. Write it down and keep it away from this PC: a backup cannot be")
    print("restored without it, and anyone holding both can read the citizens' data in it.")
    print(sealed.key_text(key))
    return 0


def _status(settings: Settings) -> int:
    backups = list_backups(settings.backup_folders)
    attempt = last_attempt(plan(settings, strict=False))
    for folder in settings.backup_folders:
        print(f"folder {folder}{'' if folder.is_dir() else ' (not present)'}")
    for b in backups:
        print(f"  {fmt_datetime(b.made_at)}  {b.kind:16} {b.events:>9} events {b.dossiers:>8} dossiers "
              f"{b.size / 1e6:8.1f} MB  {b.path}")
    if attempt and not attempt.get("ok"):
        print(f"last attempt FAILED at {attempt.get('at')}: {attempt.get('error')}")
    if not backups:
        print("no backup yet")
        return 1
    print(f"newest good backup: {fmt_datetime(backups[0].made_at)} ({backups[0].path})")
    if overdue(now(), _calendar(settings), backups[0].made_at):
        print(f"OVERDUE: more than {OVERDUE_WORKING_DAYS} working days without a good backup")
        print(f"Đã quá {OVERDUE_WORKING_DAYS} ngày làm việc chưa có bản sao lưu tốt.")
    return 0


def _calendar(settings: Settings) -> WorkCalendar:
    """The office's working days; the national calendar when the store cannot be read."""
    try:
        store = Store.open(settings.db_path, upgrade=False)
    except OfficeError:
        return WorkCalendar()
    try:
        with store.read() as s:
            return office_setup.load_calendar(s) if s.get(OfficeRow, 1) is not None else WorkCalendar()
    finally:
        store.close()


def run_restore(settings: Settings, args: argparse.Namespace) -> int:
    if args.key_file:
        text = args.key_file.read_text(encoding="utf-8")
    elif settings.backup_key:
        text = settings.backup_key
    elif sys.stdin.isatty():
        text = getpass.getpass("backup key: ")
    else:
        raise BackupFailed("no backup key", "Cần khóa sao lưu để khôi phục (--key-file, hoặc khóa đã lưu trên máy).")
    report = restore(args.file, sealed.key_from_text(text), settings.db_path, at=now())
    print(f"restored the backup of {fmt_datetime(report.backup.made_at)}: {report.facts.events} events, "
          f"{report.facts.dossiers} dossiers, event chain intact")
    if report.kept_aside:
        print(f"the store it replaced is kept as {report.kept_aside}")
    return _recover_after_restore(settings, offline=args.offline)


def _recover_after_restore(settings: Settings, *, offline: bool) -> int:
    """Mark the restored store for recovery and, with the city reachable, recover now (else the next sync does)."""
    from counter_app.cli import sync as cli_sync
    from counter_app.dossiers import recovery

    store = Store.open(settings.db_path, before_upgrade=before_upgrade(settings))
    try:
        with store.write() as s:
            recovery.mark_due(s)
        if not (settings.city_url and settings.city_token):
            print("no city configured (city_url, city_token): nothing to fetch back")
            return 0
        if offline:
            print("what came after the backup will be fetched back from the city by the next sync "
                  "(or `counter-app sync recover`)")
            return 0
        from sync.client import SyncError

        try:
            cli_sync.print_recovery(cli_sync.client_for(settings, store).recover())
        except SyncError as exc:
            log.warning("recovery after the restore did not finish: %s", exc)
            print(f"Chưa lấy lại được dữ liệu từ thành phố: {exc.message_vi}", file=sys.stderr)
            print("the next sync round tries again before it sends anything (or `counter-app sync recover`)",
                  file=sys.stderr)
            return 3
    finally:
        store.close()
    return 0
