"""Shared helpers of the benchmarks: a fresh office, the office on its 300th day, and percentile figures.

Issue 23: every benchmark runs on a fresh store and on one with a year of history, side by side. The
year-old store is bench_search's 500,000 dossiers (their documents, fees and full event log; the outbox
as a nightly-synced hub keeps it) with 250 working days of 600 served tickets and their calls, built
once into benchmarks/.cache/ and copied for each run, which writes into its copy.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path

from sqlalchemy import func, insert
from sqlmodel import select

from counter_app import audit, office_setup
from counter_app.dossiers import catalog
from counter_app.rules.clock import TZ
from counter_app.store import Store
from counter_app.store.models import Dossier, Event, Lane, Ticket, TicketCall

CACHE = Path(__file__).resolve().parent / ".cache"
YEAR_DOSSIERS = 500_000
TODAY = datetime(2026, 11, 23, 7, 30, tzinfo=TZ)  # the benchmarks' Monday: the history ends before it
LANES = ["A", "B", "C", "D", "E", "G"]
COUNTERS = 10


def fresh_office(path: Path) -> Store:
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    store = Store.open(path)
    with store.write() as s:
        office_setup.setup_office(s, ward_code=73, agency_code="000.00.73.H26", actor="admin")
        catalog.import_catalog(s, catalog.bundled_catalog(), actor="admin")
    return store


HISTORY_DAYS = 250
PER_DAY = 600


def add_history(store: Store, start: datetime, days: int = HISTORY_DAYS, per_day: int = PER_DAY, *,
                events: bool = True) -> int:
    """A year of served tickets, their calls and their events before `start`, as the queue would have left them."""
    with store.write() as s:
        lanes = {lane.prefix: lane.id for lane in s.exec(select(Lane)).all()}
    rng = random.Random(7)
    day, made = start.date(), 0
    for _ in range(days):
        day -= timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        opening = datetime.combine(day, day_time(7, 30), TZ)
        tickets, calls = [], []
        numbers: dict[str, int] = {}
        for i in range(per_day):
            prefix = LANES[i % len(LANES)]
            numbers[prefix] = numbers.get(prefix, 0) + 1
            issued = opening + timedelta(seconds=45 * i)
            called = issued + timedelta(minutes=rng.randint(2, 30))
            done = called + timedelta(minutes=rng.randint(3, 12))
            counter = 1 + i % COUNTERS
            tickets.append({"day": day, "label": f"{prefix}{numbers[prefix]:03d}", "number": numbers[prefix],
                            "lane_id": lanes[prefix], "priority": "elderly" if i % 10 == 0 else "",
                            "procedure_key": "", "source": "kiosk", "state": "done", "counter_no": counter,
                            "target_counter": None, "recalls": 0, "transfers": 0, "issued_at": issued,
                            "arrival_at": issued, "first_called_at": called, "called_at": called,
                            "serving_at": called + timedelta(minutes=1), "done_at": done, "dossier_codes": [],
                            "closed_reason": ""})
        with store.write() as s:
            ids = s.execute(insert(Ticket.__table__).returning(Ticket.__table__.c.id), tickets).scalars().all()
            for ticket_id, t in zip(ids, tickets, strict=True):
                calls.append({"ticket_id": ticket_id, "label": t["label"], "counter_no": t["counter_no"],
                              "at": t["called_at"], "recall": False, "priority": bool(t["priority"])})
            s.execute(insert(TicketCall.__table__), calls)
            if events:  # each ticket's steps in the event log, as the queue writes them
                seq = audit.last_link(s)[0] if audit.last_link(s) else 0
                rows = []
                for t in tickets:
                    subject = f"ticket:{day.isoformat()}:{t['label']}"
                    for kind, at, actor in (("issue", t["issued_at"], "kiosk"), ("call", t["called_at"], "canbo1"),
                                            ("serve", t["serving_at"], "canbo1"), ("finish", t["done_at"], "canbo1")):
                        seq += 1
                        rows.append({"seq": seq, "at": at, "actor": actor, "subject": subject, "dossier_id": None,
                                     "kind": f"ticket.{kind}", "from_status": None, "to_status": None,
                                     "details": {"state": kind, "counter": t["counter_no"]},
                                     "prev_hash": bytes(32), "hash": bytes(32)})  # not chained: see year_store_file
                s.execute(insert(Event.__table__), rows)
        made += len(tickets)
    return made


def year_store_file(dossiers: int = YEAR_DOSSIERS) -> Path:
    """The cached office on its 300th day (see the module's note); built on first use, in a few minutes.

    Its event log is as long as an office's, but not chained (the dossiers are copies of one, their events'
    hashes copied with them): bench_backup computes the chain again before it checks it."""
    path = CACHE / f"year-{dossiers}.sqlite3"
    if path.exists():
        return path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_search  # its store is the dossiers' part

    source = CACHE / f"search-{dossiers}.sqlite3"
    CACHE.mkdir(exist_ok=True)
    if not source.exists():
        bench_search.build(source, dossiers)
    building = path.with_name(path.name + ".building")
    shutil.copyfile(source, building)
    store = Store.open(building, backup_before_upgrade=False)
    made = add_history(store, TODAY)
    store.checkpoint()
    store.close()
    os.replace(building, path)
    for side in path.parent.glob(building.name + ".*"):
        side.unlink()
    print(f"  built the year-old store: {dossiers:,} dossiers, {made:,} past tickets", flush=True)
    return path


def year_office(path: Path) -> Store:
    """A copy of the year-old office at `path`, for one run to write into."""
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    shutil.copyfile(year_store_file(), path)
    return Store.open(path, backup_before_upgrade=False)


def office_at(path: Path, *, year: bool) -> Store:
    return year_office(path) if year else fresh_office(path)


def history_note(store: Store) -> str:
    """What the store holds of the past, for a figure's heading."""
    with store.read() as s:
        dossiers = s.exec(select(func.count()).select_from(Dossier)).one()
        tickets = s.exec(select(func.count()).select_from(Ticket)).one()
    return f"{dossiers:,} dossiers and {tickets:,} tickets" if dossiers or tickets else "a fresh store"


def machine() -> str:
    """The machine's load, and whether the kernel pages out memory left idle (DAMON `pageout`, as some VMs do).

    Under proactive reclaim a store idle for a second is read back from disk: the first query after a
    pause then costs tens of milliseconds more, which an office PC does not see.
    """
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    reclaim = ""
    damon = Path("/sys/kernel/mm/damon/admin/kdamonds")
    try:
        if any((d / "state").read_text().strip() == "on" and "pageout" in {
                a.read_text().strip() for a in d.glob("contexts/*/schemes/*/action")} for d in damon.glob("[0-9]*")):
            reclaim = "; idle memory paged out (DAMON)"
    except OSError:
        pass
    return f"load {load:.2f}, {os.cpu_count()} cores{reclaim}"


def figures(name: str, samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"{name}: n={len(ordered)} median={statistics.median(ordered):.2f} ms "
            f"p95={p95:.2f} ms max={ordered[-1]:.2f} ms [{machine()}]")
