"""Shared helpers of the benchmarks: a fresh office and percentile figures."""

from __future__ import annotations

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


def figures(name: str, samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"{name}: n={len(ordered)} median={statistics.median(ordered):.2f} ms "
            f"p95={p95:.2f} ms max={ordered[-1]:.2f} ms")
