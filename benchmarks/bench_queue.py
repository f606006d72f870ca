"""The queue under load: "call next" with 2,000 tickets waiting across 6 lanes, and a kiosk press.

Goals (issue 3, then issue 23 on an office's 300th day): call next p95 under 8 ms; `queue_status` (what
every board reloads on every event) p95 under 10 ms; issuing a ticket p95 under 15 ms; kiosk press to
ticket bytes ready under 150 ms. Each is measured on a fresh store and on one with a year of history
(250 working days × 600 tickets served, with their calls), side by side.
The kiosk figure is the ticket issued through `Office` plus its 58 mm ESC/POS raster bytes.
Run: .venv/bin/python benchmarks/bench_queue.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as day_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import figures, fresh_office
from sqlalchemy import insert
from sqlmodel import select

from counter_app.local.office import LocalOffice
from counter_app.queue import service as queue_service
from counter_app.rules.clock import TZ
from counter_app.store.models import Counter, Lane, Ticket, TicketCall
from printers import escpos_output, slips, thermal_render

LANES = ["A", "B", "C", "D", "E", "G"]
WAITING = 2000
COUNTERS = 10


HISTORY_DAYS = 250
PER_DAY = 600


def add_history(store, start: datetime, days: int = HISTORY_DAYS, per_day: int = PER_DAY) -> int:
    """A year of served tickets and their calls before `start`, written as the queue would have left them."""
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
        made += len(tickets)
    return made


def run(n: int, *, history: bool) -> None:
    rng = random.Random(3)
    start = datetime(2026, 11, 23, 7, 30, tzinfo=TZ)
    clock = [start]
    with tempfile.TemporaryDirectory() as tmp:
        store = fresh_office(Path(tmp) / "office.sqlite3")
        past = add_history(store, start) if history else 0
        with store.write() as s:
            for number in range(4, COUNTERS + 1):
                s.add(Counter(number=number, name=f"Quầy số {number}", lanes=rng.sample(LANES, 3)))
        with store.write() as s:
            for i in range(WAITING):
                queue_service.issue(s, start + timedelta(seconds=i), lane=LANES[i % 6],
                                    priority="elderly" if rng.random() < 0.1 else "")
        office = LocalOffice(store, clock=lambda: clock[0])
        for number in range(1, COUNTERS + 1):
            office.set_counter_open(number, True, actor="bench")
        clock[0] = start + timedelta(hours=1)

        info = office.info()
        calls, kiosk, status, issue = [], [], [], []
        for i in range(n):
            clock[0] += timedelta(seconds=5)
            counter = 1 + i % COUNTERS
            t0 = time.perf_counter()
            ticket = office.call_next(counter, actor="bench")
            calls.append((time.perf_counter() - t0) * 1000)
            if ticket is not None:
                office.start_serving(counter, actor="bench")
                office.finish_ticket(counter, actor="bench")
            t0 = time.perf_counter()  # a kiosk press keeps the queue at about 2,000
            issued = office.issue_ticket(lane=rng.choice(LANES), priority="")
            t1 = time.perf_counter()
            blocks = slips.ticket_blocks(issued, info, f"https://example.invalid/{issued.label}")
            data = escpos_output.raster_bytes(thermal_render.render(blocks, 384))
            kiosk.append((time.perf_counter() - t0) * 1000)
            issue.append((t1 - t0) * 1000)
            assert data
            t0 = time.perf_counter()  # what each board reloads after that event
            office.queue_status()
            status.append((time.perf_counter() - t0) * 1000)
        waiting = sum(lane.waiting for lane in office.queue_status().lanes)
        store.close()
    store_kind = f"a year of history ({past:,} tickets and calls before today)" if history else "a fresh store"
    print(f"queue on {store_kind}: {WAITING:,} tickets waiting at start across {len(LANES)} lanes, "
          f"{COUNTERS} counters; {waiting:,} waiting at the end")
    print(figures("  call next (choose, mark called, event, call row, commit)", calls))
    print(figures("  queue_status (every board, on every event)", status))
    print(figures("  issue a ticket (number, people ahead, estimate)", issue))
    print(figures("  kiosk press to ticket bytes (issue, people ahead, estimate, layout)", kiosk))


def main(n: int = 400) -> None:
    run(n, history=False)
    run(n, history=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
