"""The hub killed with SIGKILL at every risky point, 50 times, on the same SQLite file, against PostgreSQL.

At the end one clean round runs; then the (op id, hash) pairs on both sides must be the same set, every
op acknowledged once, the store intact, and every city decision applied exactly once.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from counter_app.local.office import LocalOffice
from counter_app.store import Store
from sync.client import SyncClient
from tests.conftest import AGENCY
from tests.sync.both_sides import assert_same_on_both_sides, city_acts

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 50
STEPS = ("LOCAL", "SENDING", "ACKING", "APPLYING")
# How long after the marker the kill comes: SENDING waits until the request is on the wire.
DELAY = {"SENDING": 0.06}


def _kill_at(db: str, url: str, token: str, seed: int, step: str) -> str:
    """Start the hub worker, SIGKILL it right after it reaches `step` (or after a while); return what it did."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.sync.hub_worker", db, url, token, str(seed)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    reached = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            seen.append(line.strip())
            if line.strip() == step:
                time.sleep(DELAY.get(step, 0))
                proc.send_signal(signal.SIGKILL)
                reached.set()
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    stuck = not reached.wait(timeout=20)
    if stuck:
        proc.send_signal(signal.SIGUSR1)
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    reader.join(timeout=5)
    errors = proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL, errors[-2000:]
    return f"timeout waiting for {step} after {seen[-3:]}:\n{errors[-3000:]}" if stuck else step


def test_fifty_kills_lose_nothing_and_apply_nothing_twice(pg_city, ready_store):
    engine = pg_city.engine
    token = pg_city.token(AGENCY)
    db = str(ready_store.path)
    ready_store.close()
    rng = random.Random(7)
    hits = []
    for i in range(ROUNDS):
        hits.append(_kill_at(db, pg_city.url, token, seed=i, step=STEPS[i % len(STEPS)]))
        city_acts(engine, rng)  # after every kill: there is something to pull

    store = Store.open(db, backup_before_upgrade=False)
    office = LocalOffice(store)
    client = SyncClient(store, pg_city.client(token))
    client.round()
    assert client.round().pushed == 0
    ops, changes = assert_same_on_both_sides(office, engine)
    store.close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    timeouts = [h for h in hits if h.startswith("timeout")]
    assert not timeouts, "\n".join(timeouts)
    assert {h for h in hits} == set(STEPS) and ops > ROUNDS
    print(f"{ROUNDS} kills at {', '.join(STEPS)}; {ops} ops on both sides; {changes} city changes")
