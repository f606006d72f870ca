"""A backup of a 500,000-dossier store while counters work, and its restore.

Goals (issue 18): the clerk must not notice a backup (p95 call next during it < 30 ms); print the
backup's size and seconds, and the restore's.

The store is the year-old one (_common: bench_search's 500,000 dossiers, copied from one real dossier, and
a year of tickets), with its event chain computed again so that the backup's check of the whole chain
passes, as it must on a real store.
Cached in benchmarks/.cache/. Run: .venv/bin/python benchmarks/bench_backup.py [--rebuild] [N]
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, figures, machine, year_store_file
from sqlmodel import Session, col, create_engine, select

from counter_app.audit import GENESIS, event_hash
from counter_app.backups import sealed
from counter_app.backups.restore import restore
from counter_app.backups.service import BackupPlan, backup_in_child
from counter_app.local.office import LocalOffice
from counter_app.store import Store
from counter_app.store.models import Event


def rechain(path: Path, batch: int = 20_000) -> None:
    """Give every event the hash it would have had (the copied rows kept the template's)."""
    engine = create_engine(f"sqlite:///{path}")
    prev, after = GENESIS, 0
    with Session(engine, expire_on_commit=False) as session:
        while True:
            events = session.exec(select(Event).where(Event.seq > after).order_by(col(Event.seq)).limit(batch)).all()
            if not events:
                break
            for event in events:
                event.prev_hash = prev
                event.hash = prev = event_hash(event)
            session.commit()  # the changed rows, in one executemany
            after = events[-1].seq
            session.expunge_all()
    engine.dispose()


def counters_working(office: LocalOffice, stop: threading.Event, samples: list[float]) -> None:
    """A ticket, its call, service and finish every 50 ms or so: ten counters at a busy moment, and more."""
    while not stop.is_set():
        office.issue_ticket(lane="A")
        started = time.perf_counter()
        office.call_next(1, actor="canbo")
        samples.append((time.perf_counter() - started) * 1000)
        office.start_serving(1, actor="canbo")
        office.finish_ticket(1, actor="canbo")
        stop.wait(0.05)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 500_000
    path = CACHE / f"backup-{n}.sqlite3"
    CACHE.mkdir(exist_ok=True)
    if "--rebuild" in sys.argv or not path.exists():
        t0 = time.perf_counter()
        shutil.copyfile(year_store_file(n), path)
        rechain(path)
        print(f"built {n:,} dossiers with their chain in {time.perf_counter() - t0:.0f} s")
    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    try:
        store_path = work / "office.sqlite3"
        shutil.copy(path, store_path)
        store = Store.open(store_path)
        office = LocalOffice(store)
        plan = BackupPlan(folders=(work / "backups",), key=sealed.new_key(), state_file=work / "state.json")
        size = store_path.stat().st_size

        quiet: list[float] = []
        stop = threading.Event()
        worker = threading.Thread(target=counters_working, args=(office, stop, quiet))
        worker.start()
        time.sleep(10)
        stop.set()
        worker.join()

        during: list[float] = []
        stop = threading.Event()
        worker = threading.Thread(target=counters_working, args=(office, stop, during))
        worker.start()
        report = backup_in_child(store.path, plan, kind="manual", at=office._now())  # as the hub runs it
        stop.set()
        worker.join()
        made = report.made
        assert made is not None
        print(f"store {size / 1e9:.2f} GB, {made.dossiers:,} dossiers, {made.events:,} events [{machine()}]")
        print(f"backup: {report.seconds:.1f} s in all, the store read for {report.copy_seconds:.1f} s of it; "
              f"{made.size / 1e9:.2f} GB sealed ({made.size / size:.0%} of the store)")
        print(figures("call next, counters working, no backup", quiet))
        print(figures("call next while the backup ran", during))
        print(f"  (calls during the backup: {len(during)}, median before {statistics.median(quiet):.2f} ms)")

        store.close()
        started = time.perf_counter()
        restored = restore(made.path, plan.key, work / "restored" / "office.sqlite3", at=office._now())
        print(f"restore: {time.perf_counter() - started:.1f} s (unseal, integrity_check and the whole chain) "
              f"for {restored.facts.dossiers:,} dossiers [{machine()}]")
        con = sqlite3.connect(work / "restored" / "office.sqlite3")
        try:
            assert con.execute("SELECT count(*) FROM dossier").fetchone()[0] == made.dossiers
        finally:
            con.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
