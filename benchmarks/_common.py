"""Shared helpers of the benchmarks: a fresh office and percentile figures."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from counter_app import office_setup
from counter_app.dossiers import catalog
from counter_app.store import Store


def fresh_office(path: Path) -> Store:
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    store = Store.open(path)
    with store.write() as s:
        office_setup.setup_office(s, ward_code=73, agency_code="000.00.73.H26", actor="admin")
        catalog.import_catalog(s, catalog.bundled_catalog(), actor="admin")
    return store


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
