"""Backups made while the office works, checked, rotated and put back; the store refused when damaged."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from counter_app.audit import verify_chain
from counter_app.backups import sealed
from counter_app.backups.restore import restore
from counter_app.backups.schedule import BackupScheduler, due, overdue
from counter_app.backups.service import BackupFailed, BackupPlan, list_backups, make_backup
from counter_app.errors import StoreDamaged
from counter_app.local.office import LocalOffice
from counter_app.office_setup import load_calendar
from counter_app.rules.clock import TZ
from counter_app.store import Store
from tests.conftest import make_form


@pytest.fixture
def plan(tmp_path: Path) -> BackupPlan:
    (tmp_path / "second-disk").mkdir()  # present; the USB stick is not, until a test plugs it in
    return BackupPlan(folders=(tmp_path / "second-disk" / "backups", tmp_path / "usb" / "counter-app"),
                      key=sealed.new_key(), state_file=tmp_path / "backup-state.json")


def _count(store: Store, sql: str) -> int:
    with store.read() as s:
        return s.connection().exec_driver_sql(sql).scalar()


def test_a_backup_made_while_counters_write_is_consistent_and_restores(office, plan, clock, tmp_path):
    for _ in range(30):
        office.receive(make_form(), actor="canbo1")
    stop = threading.Event()
    written: list[str] = []

    def counter() -> None:
        while not stop.is_set():
            written.append(office.receive(make_form(), actor="canbo2").code)

    threads = [threading.Thread(target=counter) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        report = make_backup(office.store, plan, kind="manual", at=clock())
    finally:
        stop.set()
        for t in threads:
            t.join()
    made = report.made
    assert made is not None and len(report.written) == 1 and report.skipped  # the USB stick is not there
    assert 30 <= made.dossiers <= 30 + len(written) and made.events >= made.dossiers

    office.store.close()
    restored = tmp_path / "restored" / "office.sqlite3"
    result = restore(made.path, plan.key, restored, at=clock())
    assert result.kept_aside is None and result.facts.dossiers == made.dossiers
    again = Store.open(restored)
    try:
        assert _count(again, "SELECT count(*) FROM dossier") == made.dossiers
        with again.read() as s:
            chain = verify_chain(s)
        assert chain.ok and chain.checked == made.events
    finally:
        again.close()


def test_without_a_key_nothing_is_written_and_the_status_bar_says_why(office, plan, clock, tmp_path):
    keyless = BackupPlan(folders=plan.folders, key=None, state_file=plan.state_file)
    with pytest.raises(BackupFailed) as err:
        make_backup(office.store, keyless, kind="manual", at=clock())
    assert "counter-app backup key" in err.value.message_vi
    assert not list_backups(plan.folders)
    office.backup_plan = keyless
    health = office.store_health()
    assert not health.backups_set_up and health.last_backup_at is None and "khóa sao lưu" in health.last_error_vi


def test_no_folder_present_is_a_failure_not_a_silent_skip(office, plan, clock, tmp_path):
    absent = BackupPlan(folders=(tmp_path / "no-such-disk" / "x" / "backups",), key=plan.key,
                        state_file=plan.state_file)
    with pytest.raises(BackupFailed) as err:
        make_backup(office.store, absent, kind="manual", at=clock())
    assert "USB" in err.value.message_vi


def test_every_present_folder_gets_a_copy_and_old_ones_rotate_out(office, plan, clock, tmp_path):
    (tmp_path / "usb").mkdir()  # the stick is plugged in
    office.receive(make_form(), actor="canbo1")
    for day in range(40):
        report = make_backup(office.store, plan, kind="closing", at=clock() + timedelta(days=day, hours=8))
        assert len(report.written) == 2
    for folder in plan.folders:
        kept = list_backups([folder])
        assert 7 <= len(kept) <= 7 + 4 + 12 and kept[0].made_at == clock() + timedelta(days=39, hours=8)
        assert not list(folder.glob("*.part")) and not list(folder.parent.glob("*.tmp"))
    assert not list(office.store.path.parent.glob("*.tmp*"))  # no plain copy left beside the store


def test_restore_waits_for_every_program_on_the_store_and_keeps_the_old_file(office, plan, clock, db_path):
    office.receive(make_form(name="Phạm Văn Bình"), actor="canbo1")
    made = make_backup(office.store, plan, kind="manual", at=clock()).made
    office.receive(make_form(name="Lê Thị Sau"), actor="canbo1")  # after the backup
    with pytest.raises(BackupFailed) as err:
        restore(made.path, plan.key, db_path, at=clock())
    assert "vẫn đang chạy" in err.value.message_vi
    office.store.close()
    with pytest.raises(sealed.BackupUnreadable):
        restore(made.path, sealed.new_key(), db_path, at=clock())
    result = restore(made.path, plan.key, db_path, at=clock())
    back = LocalOffice(Store.open(db_path), clock=clock)
    try:
        assert [d.applicant_name for d in back.recent()] == ["Phạm Văn Bình"]
    finally:
        back.store.close()
    old = Store.open(result.kept_aside)  # the replaced store, WAL and all, still opens as it was
    try:
        assert _count(old, "SELECT count(*) FROM dossier") == 2
    finally:
        old.close()


def test_a_damaged_store_is_refused_at_start(ready_store, db_path):
    ready_store.checkpoint()
    ready_store.close()
    size = db_path.stat().st_size
    with db_path.open("r+b") as f:  # a run of garbage in the middle of the file, as a failing disk leaves
        f.seek(size // 2)
        f.write(b"\xde\xad" * 2048)
    with pytest.raises(StoreDamaged) as err:
        Store.open(db_path)
    assert "counter-app restore" in err.value.message_vi


def test_closing_time_backup_is_due_once_per_working_day(office, plan, clock):
    with office.store.read() as s:
        calendar = load_calendar(s)
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=TZ)
    closing = calendar.closing(monday.date())
    assert not due(monday, calendar, None)  # open: not yet
    assert due(closing, calendar, None) and due(closing + timedelta(hours=5), calendar, closing - timedelta(days=1))
    assert not due(closing + timedelta(hours=1), calendar, closing + timedelta(minutes=5))
    assert not due(datetime(2026, 11, 29, 18, tzinfo=TZ), calendar, None)  # Sunday
    friday = datetime(2026, 12, 4, 17, 30, tzinfo=TZ)
    assert not overdue(datetime(2026, 12, 8, 18, tzinfo=TZ), calendar, friday)  # Mon, Tue: two working days
    assert overdue(datetime(2026, 12, 9, 18, tzinfo=TZ), calendar, friday)  # Wednesday: three
    assert not overdue(datetime(2026, 11, 25, 18, tzinfo=TZ), calendar, datetime(2026, 11, 20, 17, 30, tzinfo=TZ))
    # (24/11, the Day of Vietnamese Culture, is a day off: Monday and Wednesday make two)

    clock.at = closing + timedelta(minutes=1)
    scheduler = BackupScheduler(office.store, plan, clock=clock)
    assert scheduler.check() and not scheduler.check()
    office.backup_plan = plan
    health = office.store_health()
    assert health.last_backup_at == clock.at and not health.backup_overdue and not health.last_error_vi
    clock.at += timedelta(days=4)  # Friday evening: Wednesday, Thursday, Friday (Tuesday 24/11 is a day off)
    assert office.store_health().backup_overdue


def test_an_upgrade_is_preceded_by_a_sealed_backup_in_the_backup_folders(plan, tmp_path):
    from alembic import command

    from counter_app.backups.service import backup_file
    from counter_app.store.db import _alembic_config

    old = tmp_path / "old" / "office.sqlite3"
    old.parent.mkdir()
    command.upgrade(_alembic_config(old), "0001")
    conn = sqlite3.connect(old)  # the office as release 0001 wrote it
    conn.executescript((Path(__file__).parents[1] / "data" / "office_0001.sql").read_text(encoding="utf-8"))
    conn.commit()
    conn.close()
    seen: list[str] = []

    def before(path: Path) -> None:
        seen.append(str(path))
        backup_file(path, plan, kind="before-migration", at=datetime(2026, 11, 30, 7, tzinfo=TZ), chain=False)

    Store.open(old, before_upgrade=before).close()
    (made,) = list_backups(plan.folders)
    assert seen == [str(old)] and made.kind == "before-migration" and made.schema == "0001" and made.dossiers == 1
    restored = tmp_path / "back" / "office.sqlite3"
    restore(made.path, plan.key, restored, at=datetime(2026, 11, 30, 8, tzinfo=TZ))
    again = Store.open(restored)  # the old file comes back, and upgrades again as it did
    try:
        assert again.schema_revision() == again.head_revision()
    finally:
        again.close()
