"""A period's report over the office's 500,000 dossiers (issue 21: a month's report in under 2 s).

The year-old store (_common) received all its dossiers on one afternoon; this benchmark's copy spreads
them over the 365 days before the benchmarks' Monday, as an office receives them (about 1,400 a day),
and leaves one in 33 of the last 40 days' still in progress, so the report has carried-over, settled
and in-progress dossiers to count. Built once into benchmarks/.cache/report-N.sqlite3.

Timed: the month before the benchmarks' Monday, the quarter, the whole year (each 5 times, the first
one cold), and the month's Excel workbook and PDF. Run: .venv/bin/python -m benchmarks.bench_report
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks._common import CACHE, TODAY, YEAR_DOSSIERS, figures, machine, year_store_file
from counter_app.local.office import LocalOffice
from counter_app.reports import export
from counter_app.rules.clock import TZ
from counter_app.store import Store
from printers.forms.period_report import period_report as report_pdf

SPREAD_DAYS = 365
OPEN_EVERY = 33  # of the last 40 days' dossiers, this one in so many is still in progress


def _shifted(at: str, dossier_id: int) -> str:
    """`at` moved back by the dossier's day of the year (its minutes kept), as AwareDateTime stores it."""
    when = datetime.fromisoformat(at) - timedelta(days=7 + dossier_id % SPREAD_DAYS)
    return when.isoformat(timespec="microseconds")


def report_store(n: int = YEAR_DOSSIERS) -> Path:
    path = CACHE / f"report-{n}.sqlite3"
    if path.exists():
        return path
    building = path.with_name(path.name + ".building")
    shutil.copyfile(year_store_file(n), building)
    conn = sqlite3.connect(building)
    conn.create_function("shifted", 2, _shifted, deterministic=True)
    with conn:
        conn.execute("UPDATE event SET at = shifted(at, dossier_id) WHERE dossier_id IS NOT NULL")
        conn.execute("UPDATE dossier SET received_at = shifted(received_at, id), due_at = shifted(due_at, id), "
                     "original_due_at = shifted(original_due_at, id), returned_at = shifted(returned_at, id), "
                     "updated_at = shifted(updated_at, id)")
        recent = f"id % {SPREAD_DAYS} < 33 AND id % {OPEN_EVERY} = 0"  # received in the last 40 days
        conn.execute(f"UPDATE dossier SET status = 4, returned_at = NULL WHERE {recent}")
        undone = (f"SELECT seq FROM event WHERE dossier_id IN (SELECT id FROM dossier WHERE {recent}) "
                  "AND kind IN ('dossier.result_ready', 'dossier.return_result')")
        conn.execute(f"DELETE FROM outbox WHERE event_seq IN ({undone})")  # synced long ago: pruned anyway
        conn.execute(f"DELETE FROM event WHERE seq IN ({undone})")
    conn.execute("VACUUM")
    conn.close()
    os.replace(building, path)
    return path


def _timed(fn, runs: int = 5) -> list[float]:
    spent = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        spent.append((time.perf_counter() - t0) * 1000)
    return spent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else YEAR_DOSSIERS
    source = report_store(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "office.sqlite3"
        shutil.copyfile(source, path)
        store = Store.open(path, backup_before_upgrade=False)
        at = TODAY
        office = LocalOffice(store, clock=lambda: at)
        month_end = (TODAY - timedelta(days=1)).date()
        periods = {"the month before the benchmarks' Monday": (month_end - timedelta(days=29), month_end),
                   "the quarter": (month_end - timedelta(days=89), month_end),
                   "the year": (month_end - timedelta(days=364), month_end)}
        print(f"period report over {n:,} dossiers received over {SPREAD_DAYS} days [{machine()}]")
        for name, (first, last) in periods.items():
            spent = _timed(lambda first=first, last=last: office.period_report(first, last))
            report = office.period_report(first, last)
            print(figures(f"  {name} ({first:%d/%m}-{last:%d/%m/%Y}; {report.total.received:,} received, "
                          f"{report.total.carried_over:,} carried over, {report.total.in_progress_overdue:,} "
                          f"overdue; goal for a month < 2000 ms; first run {spent[0]:.0f} ms)", spent))
        first, last = periods["the month before the benchmarks' Monday"]
        report = office.period_report(first, last)
        info = office.info()
        print(figures("  the month's Excel workbook", _timed(lambda: export.to_xlsx(report, info.name))))
        print(figures("  the month's PDF (A4 landscape, signed)", _timed(
            lambda: report_pdf(info, report, printed_on=date.today(), made_by="Trần Văn Bình"))))
        store.close()
    print(f"  [{machine()}]; at {datetime.now(TZ):%H:%M}")


if __name__ == "__main__":
    main()
