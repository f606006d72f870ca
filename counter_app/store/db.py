"""Opening the office's SQLite file: pragmas, migrations, read and write sessions."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from platformdirs import user_data_path
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from counter_app.errors import ConfigError, StorageFull, StoreDamaged
from counter_app.rules.clock import now
from counter_app.store.check import BackgroundCheck, damaged, quick_check
from counter_app.store.private import private_dir, private_file
from counter_app.store.runlock import WriterQueue, hold_shared

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 15_000
# SQLite's primary result codes (the low byte of an extended code) that say the disk or the file is at fault.
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 10, 11, 13, 26


def storage_fault(exc: BaseException) -> StorageFull | StoreDamaged | None:
    """The office error a SQLite failure means, when it is the disk's or the file's fault (else None)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(orig, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary == SQLITE_FULL or (primary == SQLITE_IOERR and "full" in str(orig).lower()):
        return StorageFull(f"store write failed: {getattr(orig, 'sqlite_errorname', code)} (disk full)")
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return damaged(f"store unreadable: {getattr(orig, 'sqlite_errorname', code)}")
    return None


def default_db_path() -> Path:
    """Where a one-PC office keeps its store when no setting says otherwise."""
    return user_data_path("counter-app", appauthor=False) / "office.sqlite3"


def _make_engine(path: Path, *, immediate: bool) -> Engine:
    """An engine whose transactions are real SQLite transactions.

    pysqlite's own transaction handling is switched off (isolation_level=None) so that we
    emit BEGIN ourselves: writers take the write lock at BEGIN (IMMEDIATE), which makes
    read-then-write sequences such as "next dossier number" safe across threads and
    processes, and a busy writer waits (busy timeout) instead of failing half-way.
    """
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=8,
        pool_use_lifo=True,  # the same few connections serve, with warm page caches; the rest idle out
        hide_parameters=True,  # a refused row's values are citizens' data: never in an error's text
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        # JSON columns keep Vietnamese as UTF-8: readable in the file and half the size of \u escapes.
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    begin_sql = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql(begin_sql)

    return engine


def _alembic_config(path: Path) -> Config:
    from alembic.config import Config  # only to migrate: a store already current opens without alembic

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    return cfg


def online_copy(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file at `source` while others read and write it (SQLite's online
    backup, in one step), as a single file: reading the copy later leaves no -wal or -shm behind."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def head_revision() -> str:
    """The newest schema this version of the program writes: the highest-numbered migration, read from
    the file names so that opening a current store does not load alembic (a test holds that alembic's
    own head agrees)."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


class Store:
    """The office store. Open it with `Store.open(path)`; it migrates the file to the newest schema."""

    def __init__(self, path: Path, write_engine: Engine, read_engine: Engine) -> None:
        self.path = path
        self._write = write_engine
        self._read = read_engine
        self._writer = threading.RLock()
        self._queue = WriterQueue(path)  # writers of other processes (the kiosk, the board, other windows)
        self._depth = 0  # nested writes of the thread holding `_writer` (the queue is taken once)
        self._watch: sqlite3.Connection | None = None  # see `data_version`
        self._peeks = threading.local()  # see `peek`: a connection per thread that asks
        self._peek_conns: list[sqlite3.Connection] = []
        self._watch_lock = threading.Lock()
        self._before_commit: list[Callable[[Session], None]] = []
        self._run_lock: IO[bytes] | None = None  # see `runlock`: held while this store is open
        self._check: BackgroundCheck | None = None  # `open(check="later")`: writes wait for it

    @classmethod
    def open(cls, path: Path | str, *, backup_before_upgrade: bool = True, check: bool | Literal["later"] = True,
             upgrade: bool = True, before_upgrade: Callable[[Path], None] | None = None,
             on_damaged: Callable[[StoreDamaged], StoreDamaged] | None = None) -> Store:
        """Open (or create) the store at `path`; `check` runs SQLite's `quick_check` first (`StoreDamaged`),
        or with "later" on a thread (see `counter_app.store.check`): writes wait for it, a damaged file
        refuses them with the error `on_damaged` makes. A store that needs migrating is checked first.
        Without `upgrade` a store behind the newest schema is refused (`ConfigError`) instead of migrated."""
        path = Path(path)
        if not path.parent.exists():
            private_dir(path.parent)
        run_lock = hold_shared(path)  # a restore waits for every process that has the store open
        store: Store | None = None
        try:
            existing = path.exists() and path.stat().st_size > 0
            if check is True and existing:
                quick_check(path)
            private_file(path)  # before SQLite makes it with the process's umask (0644: anyone on the PC could read)
            write_engine = _make_engine(path, immediate=True)
            read_engine = _make_engine(path, immediate=False)
            store = cls(path, write_engine, read_engine)
            store._run_lock = run_lock
            if check == "later" and existing:
                if upgrade and store._revision_or_fault() != store.head_revision():
                    quick_check(path)  # a migration rewrites tables: never on a file not known to be sound
                else:
                    store._check = BackgroundCheck(path, on_damaged).start()
            if upgrade:
                store.migrate(backup_before_upgrade=backup_before_upgrade, before_upgrade=before_upgrade)
            elif store.schema_revision() != store.head_revision():
                raise ConfigError(f"store at {store.schema_revision()}, not {store.head_revision()}",
                                  "Kho dữ liệu thuộc phiên bản cũ hơn phần mềm; cần mở bằng phần mềm để nâng cấp.")
        except BaseException:
            if store is not None:
                if store._check is not None:
                    store._check.cancel()
                store._queue.close()
            if run_lock is not None:
                run_lock.close()
            raise
        return store

    def schema_revision(self) -> str | None:
        with self._read.connect() as conn:
            try:
                return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            except OperationalError:  # a new file: no schema yet
                return None

    def _revision_or_fault(self) -> str | None:
        try:
            return self.schema_revision()
        except DBAPIError as exc:  # a file too damaged to read its schema, before any check said so
            fault = storage_fault(exc)
            if fault is not None:
                raise fault from None
            raise

    def head_revision(self) -> str:
        return head_revision()

    def migrate(self, *, backup_before_upgrade: bool = True,
                before_upgrade: Callable[[Path], None] | None = None) -> None:
        """Bring the file to the newest schema; an older file is copied aside first (and given to
        `before_upgrade`, which the command uses for a sealed backup in the office's backup folders)."""
        head = head_revision()
        current = self.schema_revision()
        if current == head:
            return
        from alembic import command

        cfg = _alembic_config(self.path)
        if current is not None and backup_before_upgrade:
            self._backup(f"before-{head}-from-{current}")
        if current is not None and before_upgrade is not None:
            try:
                before_upgrade(self.path)
            except Exception as exc:  # the plain copy above is enough to go on; the failure is in the log
                log.warning("no sealed backup before the upgrade: %s", exc)
        log.info("migrating %s from %s to %s", self.path, current, head)
        with self._write.connect() as conn:
            # SQLite's own recipe for rebuilding tables: foreign keys off outside the transaction,
            # checked by hand before commit, back on before the connection returns to the pool.
            raw = conn.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration to {head} left broken foreign keys: {broken[:5]}")
            finally:
                raw.execute("PRAGMA foreign_keys=ON")

    def _backup(self, label: str) -> Path:
        target = private_file(self.path.with_name(f"{self.path.stem}.{now():%Y%m%d-%H%M%S}.{label}.bak"))
        online_copy(self.path, target)
        log.info("backed up %s to %s before upgrading", self.path, target)
        return target

    def add_before_commit(self, hook: Callable[[Session], None]) -> None:
        """Run `hook(session)` inside every write transaction just before it commits (once per hook).

        The hub files a request's idempotency key this way, in the same commit as the change; the store
        itself knows nothing of the hub.
        """
        if hook not in self._before_commit:
            self._before_commit.append(hook)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one IMMEDIATE transaction, committed on success, rolled back on any error.

        Callables a service puts in `session.info["after_commit"]` run once the commit succeeded.
        Writers of this process queue on a lock first, then those of every process on the store's
        `WriterQueue`: SQLite's own busy handler sleeps in steps of up to 100 ms, which made ten counters
        pressing "next" together, or a kiosk beside busy clerk windows, wait for each other's naps.
        """
        if self._check is not None:
            self._check.passed()  # waits while it runs; raises StoreDamaged for ever once it found damage
        with self._writer, self._queued(), Session(self._write, expire_on_commit=False) as session:
            try:
                yield session
                for hook in self._before_commit:
                    hook(session)
                session.commit()
            except BaseException as exc:
                session.rollback()
                fault = storage_fault(exc)
                if fault is not None:
                    log.error("%s", fault)
                    raise fault from None
                raise
        for callback in session.info.pop("after_commit", []):
            callback()

    @contextmanager
    def _queued(self) -> Iterator[None]:
        """This process's turn among the store's writers (taken by the outermost write of the thread)."""
        if self._depth == 0:
            self._queue.acquire()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._queue.release()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; in WAL mode it never waits for a writer.

        Closing (not rolling back) keeps the loaded rows usable after the block.
        """
        with Session(self._read, expire_on_commit=False) as session:
            try:
                yield session
            except DBAPIError as exc:
                fault = storage_fault(exc)
                if fault is not None:
                    log.error("%s", fault)
                    raise fault from None
                raise

    def peek(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The first row of one plain query, on this thread's own read-only connection, outside any session.

        A single SELECT is a read transaction of its own in SQLite. The hub checks a machine, a session and
        an idempotency key on every request; a session around each of those cost ten times the query, and
        a connection from the pool twice it.
        """
        conn = getattr(self._peeks, "conn", None)
        try:
            if conn is None:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False,
                                       timeout=BUSY_TIMEOUT_MS / 1000)
                with self._watch_lock:
                    self._peek_conns.append(conn)
                self._peeks.conn = conn
            return conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            fault = storage_fault(exc)
            if fault is not None:
                log.error("%s", fault)
                raise fault from None
            raise

    def data_version(self) -> int:
        """A number that changes whenever any connection, of this process or another, commits to the store
        (SQLite's `data_version`, read on a connection of its own that never writes). What many screens ask
        after every change can be worked out once per change."""
        with self._watch_lock:
            if self._watch is None:
                self._watch = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    def checkpoint(self) -> None:
        """Fold the WAL into the main file and empty it (at a clean stop: the file alone is then complete)."""
        with self._writer, self._queued():
            raw = self._write.raw_connection()  # outside any transaction, which a checkpoint needs
            try:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    def close(self) -> None:
        if self._check is not None:
            self._check.cancel()
        self._write.dispose()
        self._read.dispose()
        self._queue.close()
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
            for conn in self._peek_conns:
                conn.close()
            self._peek_conns.clear()
        if self._run_lock is not None:
            self._run_lock.close()
            self._run_lock = None
