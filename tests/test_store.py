import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from counter_app.local.office import LocalOffice
from counter_app.rules.clock import TZ
from counter_app.store import Store
from counter_app.store.db import _alembic_config
from counter_app.store.types import AwareDateTime


def test_pragmas_are_in_force(store):
    with store.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_models_and_migrations_agree(store):
    engine = create_engine(f"sqlite:///{store.path}")
    with engine.connect() as conn:
        not_fts = {"include_name": lambda name, *_: not str(name).startswith("dossier_search")}
        ctx = MigrationContext.configure(conn, opts=not_fts)
        diffs = compare_metadata(ctx, SQLModel.metadata)
    assert diffs == []


def test_aware_datetimes_round_trip_and_naive_is_refused():
    col = AwareDateTime()
    stored = col.process_bind_param(datetime(2026, 11, 23, 2, 0, tzinfo=__import__("datetime").timezone.utc), None)
    assert stored == "2026-11-23T09:00:00.000000+07:00"
    assert col.process_result_value(stored, None) == datetime(2026, 11, 23, 9, tzinfo=TZ)
    with pytest.raises(ValueError):
        col.process_bind_param(datetime(2026, 11, 23, 9), None)


def test_a_database_made_by_the_first_migration_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    cfg = _alembic_config(path)
    command.upgrade(cfg, "0001")
    # The office as release 0001 would have written it, with one dossier.
    con = sqlite3.connect(path)
    con.executescript((Path(__file__).parent / "data" / "office_0001.sql").read_text(encoding="utf-8"))
    con.commit()
    con.close()

    store = Store.open(path)
    assert store.schema_revision() == store.head_revision() == "0019"
    backups = list(tmp_path.glob("old.*.bak"))
    assert len(backups) == 1
    office = LocalOffice(store)
    found = office.search("tran thi huong")
    assert [d.code for d in found] == ["000.00.73.H26-250601-0001"]
    assert office.dossier("000.00.73.H26-250601-0001").received_at == datetime(2025, 6, 1, 9, 15, tzinfo=TZ)
    assert office.verify_log().ok  # the hex hashes of 0001 became blobs and still chain
    store.close()
    con = sqlite3.connect(path)
    assert {(type(h), len(h)) for (h,) in con.execute("SELECT hash FROM event")} == {(bytes, 32)}
    con.close()

    command.downgrade(_alembic_config(path), "0002")
    con = sqlite3.connect(path)
    hashes = [h for (h,) in con.execute("SELECT hash FROM event")]
    con.close()
    assert hashes and all(isinstance(h, str) and len(h) == 64 for h in hashes)


def test_reopening_at_head_makes_no_backup(tmp_path):
    path = tmp_path / "o.sqlite3"
    Store.open(path).close()
    Store.open(path).close()
    assert list(tmp_path.glob("*.bak")) == []


def test_the_store_its_wal_and_its_backups_are_the_owners_alone(tmp_path):
    folder = tmp_path / "new" / "office"
    store = Store.open(folder / "office.sqlite3")
    try:
        with store.write() as s:
            s.connection().exec_driver_sql("CREATE TABLE IF NOT EXISTS t (x)")
        backup = store._backup("test")
        made = [folder / "office.sqlite3", folder / "office.sqlite3-wal", backup]
        assert all(p.exists() for p in made)
        assert {oct(p.stat().st_mode & 0o777) for p in made} == {"0o600"}
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
    finally:
        store.close()


def test_the_head_read_from_file_names_is_alembics_own(tmp_path):
    from alembic.script import ScriptDirectory

    from counter_app.store.db import head_revision

    assert head_revision() == ScriptDirectory.from_config(_alembic_config(tmp_path / "x")).get_current_head()


def test_a_current_store_opens_without_loading_alembic(tmp_path):
    """Alembic is a tenth of the clerk app's start; only a store behind the newest schema needs it."""
    Store.open(tmp_path / "office.sqlite3").close()  # made and migrated
    code = ("import sys; from counter_app.store import Store; "
            f"Store.open({str(tmp_path / 'office.sqlite3')!r}).close(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_writers_on_one_file_take_turns_instead_of_meeting_sqlite_busy(tmp_path, monkeypatch):
    """The one-PC office's programs each open the store: a writer waits for the other's commit in the
    store's writer queue, never in SQLite's busy handler (here given no patience at all)."""
    from counter_app.store import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 0)
    path = tmp_path / "office.sqlite3"
    first, second = Store.open(path), Store.open(path)  # as two programs would
    holding, done = threading.Event(), []

    def hold() -> None:
        with first.write() as s:
            s.connection()  # BEGIN IMMEDIATE: the file's write lock is taken
            holding.set()
            time.sleep(0.3)
            s.execute(text("CREATE TABLE first_wrote (x)"))
        done.append("first")

    writer = threading.Thread(target=hold)
    writer.start()
    holding.wait(5)
    with second.write() as s:  # without the queue: "database is locked" at once
        s.execute(text("CREATE TABLE second_wrote (x)"))
    done.append("second")
    writer.join()
    assert done == ["first", "second"]
    first.close()
    second.close()
