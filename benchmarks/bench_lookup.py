"""The city's public status lookup at the city's scale (issue 20, item 5: p95 < 50 ms at 200 requests a
second on 2 workers, with 126 points and 2 million dossiers in PostgreSQL).

The city is bench_sync's at scale (10 million ops of 126 points, 2.5 million dossiers; built once into
its kept cluster). Each of the 126 points gets its lookup key; 5,000 dossiers sampled across the points are
looked up by their receipt's QR (code and check), each request from its own client address (as behind
the city's load balancer, which `--forwarded-allow-ips` trusts), at a steady 200 a second for 30 s:
`counter-app city-server --workers 2`. Every answer must be the dossier's page.
Run: .venv/bin/python -m benchmarks.bench_lookup [RATE]
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time

import httpx
import psycopg
from sqlalchemy.orm import Session

from benchmarks._common import figures, machine
from benchmarks.bench_sync import ROOT, scale_city
from counter_app.rules.clock import now
from counter_app.rules.lookup_check import lookup_check
from sync.server import lookup
from sync.server.db import make_engine, migrate
from tests.sync.conftest import free_port

RATE = int(sys.argv[1]) if len(sys.argv) > 1 else 200  # requests a second
SECONDS = 30
SAMPLE = 5000
WORKERS = 2


def _serve(db_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "counter_app.cli.main", "city-server", "--db-url", db_url,
                             "--port", str(port), "--workers", str(WORKERS)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the city server did not start")


def _targets(db_url: str) -> list[str]:
    """Lookup links of dossiers sampled across the points, each point given its key."""
    engine = make_engine(db_url)
    migrate(engine)
    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as conn:
        rows = conn.execute("SELECT code, agency_code FROM city_dossier TABLESAMPLE SYSTEM (1) LIMIT %s",
                            (SAMPLE,)).fetchall()
        agencies = [r[0] for r in conn.execute("SELECT DISTINCT agency_code FROM city_dossier").fetchall()]
    keys = {}
    with Session(engine) as s, s.begin():
        for agency in agencies:
            keys[agency] = lookup.key_for(s, agency, now())
    engine.dispose()
    print(f"  {len(agencies)} points, {len(rows):,} dossiers sampled")
    return [f"/tra-cuu/{code}?k={lookup_check(keys[agency], code)}" for code, agency in rows]


def _load(url: str, targets: list[str]) -> tuple[list[float], int]:
    """An open loop: request i leaves at i / RATE seconds whatever the answers before it did."""
    total = RATE * SECONDS
    spent: list[float] = [0.0] * total
    wrong = [0]
    start = time.perf_counter() + 0.5
    rng = random.Random(7)
    plan = [(i, targets[rng.randrange(len(targets))], f"10.{rng.randrange(256)}.{rng.randrange(256)}.{i % 250 + 1}")
            for i in range(total)]

    def worker(part: int, parts: int) -> None:
        with httpx.Client(base_url=url, timeout=10) as http:
            for i, path, address in plan[part::parts]:
                delay = start + i / RATE - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                t0 = time.perf_counter()
                answer = http.get(path, headers={"X-Forwarded-For": address})
                spent[i] = (time.perf_counter() - t0) * 1000
                if answer.status_code != 200 or "Tình trạng" not in answer.text:
                    wrong[0] += 1

    threads = [threading.Thread(target=worker, args=(n, 40)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return spent, wrong[0]


def main() -> None:
    pg, db_url = scale_city()
    proc = None
    try:
        targets = _targets(db_url)
        with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as conn:
            dossiers = conn.execute("SELECT count(*) FROM city_dossier").fetchone()[0]
        proc, url = _serve(db_url)
        for path in targets[:50]:  # a warm-up, as a server that has run a while
            httpx.get(url + path, headers={"X-Forwarded-For": "192.0.2.1"}, timeout=10)
        spent, wrong = _load(url, targets)
        print(figures(f"public lookup by QR, {RATE} requests/s for {SECONDS} s on {WORKERS} workers over "
                      f"{dossiers:,} dossiers (goal p95 < 50 ms)", spent))
        print(f"  answers that were not the dossier's page: {wrong} [{machine()}]")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as conn:  # as it was built
            conn.execute("DELETE FROM lookup_attempt")
            conn.execute("DELETE FROM lookup_key")
        pg.stop()


if __name__ == "__main__":
    main()
