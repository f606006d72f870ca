"""Calling is atomic: counters pressing "next" at the same instant never get the same ticket."""

from __future__ import annotations

import threading
from datetime import datetime

from counter_app.local.office import LocalOffice
from counter_app.rules.clock import TZ
from counter_app.store import Store
from counter_app.store.models import Counter
from tests.processes import run_together

AT = datetime(2026, 11, 23, 9, 30, tzinfo=TZ)
LANES = ["A", "B", "C", "D", "E", "G"]


def _prepare(office: LocalOffice, counters: int, tickets: int) -> list[str]:
    with office.store.write() as s:
        for n in range(4, counters + 1):
            s.add(Counter(number=n, name=f"Quầy số {n}", lanes=LANES))
    return [office.issue_ticket(lane=LANES[i % len(LANES)], priority="elderly" if i % 7 == 0 else "").label
            for i in range(tickets)]


def _serve_all(office: LocalOffice, counter_no: int) -> list[str]:
    served = []
    while (ticket := office.call_next(counter_no, actor=f"canbo{counter_no}")) is not None:
        office.start_serving(counter_no, actor=f"canbo{counter_no}")
        office.finish_ticket(counter_no, actor=f"canbo{counter_no}")
        served.append(ticket.label)
    return served


def test_counters_in_threads_never_share_or_skip_a_ticket(office):
    issued = _prepare(office, counters=8, tickets=120)
    start = threading.Barrier(8)
    results: dict[int, list[str]] = {}

    def run(n: int) -> None:
        start.wait()
        results[n] = _serve_all(office, n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    served = [label for labels in results.values() for label in labels]
    assert len(results) == 8
    assert sorted(served) == sorted(issued) and len(set(served)) == len(served)
    assert sum(1 for labels in results.values() if labels) > 1  # the work really was shared
    assert office.verify_log().ok


def _serve_in_process(path: str, counter_no: int) -> list[str]:
    return _serve_all(LocalOffice(Store.open(path), clock=lambda: AT), counter_no)


def test_counters_in_separate_processes_never_share_or_skip_a_ticket(office):
    issued = _prepare(office, counters=4, tickets=60)
    results = run_together(_serve_in_process, [(str(office.store.path), n) for n in range(1, 5)])
    served = [label for labels in results for label in labels]
    assert sorted(served) == sorted(issued) and len(set(served)) == len(served)
    assert len(office.calls_since(0, limit=1000)) == len(issued)
    assert office.verify_log().ok
