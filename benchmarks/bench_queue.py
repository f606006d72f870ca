"""The queue under load: "call next" with 2,000 tickets waiting across 6 lanes, and a kiosk press.

Goals (issue 3, then issue 23 on an office's 300th day): call next p95 under 8 ms; `queue_status` (what
every board reloads on every event) p95 under 10 ms; issuing a ticket p95 under 15 ms; kiosk press to
ticket bytes ready under 150 ms. Each is measured on a fresh store and on the year-old one (_common:
500,000 dossiers and their event log, 250 working days × 600 tickets served with their calls), side by side.
The kiosk figure is the ticket issued through `Office` plus its 58 mm ESC/POS raster bytes.
Run: .venv/bin/python benchmarks/bench_queue.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import COUNTERS, LANES, figures, history_note, office_at

from counter_app.local.office import LocalOffice
from counter_app.queue import service as queue_service
from counter_app.rules.clock import TZ
from counter_app.store.models import Counter
from printers import escpos_output, slips, thermal_render

WAITING = 2000


def run(n: int, *, history: bool) -> None:
    rng = random.Random(3)
    start = datetime(2026, 11, 23, 7, 30, tzinfo=TZ)
    clock = [start]
    with tempfile.TemporaryDirectory() as tmp:
        store = office_at(Path(tmp) / "office.sqlite3", year=history)
        past = history_note(store)
        with store.write() as s:
            for number in range(4, COUNTERS + 1):
                s.add(Counter(number=number, name=f"Quầy số {number}", lanes=rng.sample(LANES, 3)))
        with store.write() as s:  # the day's first step closes what earlier days left open, once
            queue_service.close_stale(s, start)
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
    print(f"queue on {past}: {WAITING:,} tickets waiting at start across {len(LANES)} lanes, "
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
