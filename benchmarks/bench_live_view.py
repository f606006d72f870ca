"""The city's live view at the city's scale (issue 20, item 5: the all-points page builds in < 300 ms with
126 points and 2 million dossiers in PostgreSQL, from counts kept as pushes arrive, not a scan per request).

The city is bench_sync's at scale (126 points, 2.5 million dossiers over two years; built once into its
kept cluster). Each point's hub has sent a snapshot (a few are silent). Measured:
- the migration that made the counts from the dossiers already there (once, on the first run);
- the page's figures built in-process (`points.all_points`), 50 times;
- `GET /dieu-hanh` (the whole page, signed in) and `GET /dieu-hanh/bang` (what the refresh asks for every
  5 s) on `counter-app city-server --workers 2`, 100 requests one after another, idle and then while a hub
  pushes 20,000 ops (each push now also moves the counts);
- that push's own rate, to hold against bench_sync's figure for the push without the counts.
Run: .venv/bin/python -m benchmarks.bench_live_view
"""

from __future__ import annotations

import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks._common import figures, machine
from benchmarks.bench_lookup import _serve
from benchmarks.bench_sync import STORY_4, build_hub, forget_office, scale_city
from counter_app.rules.clock import now
from sync.client import SyncClient
from sync.protocol import PointSnapshot
from sync.server import crud, operators, points
from sync.server.db import make_engine, migrate

PASSWORD = "bench-live-view-2026"
AGENCY = "000.00.73.H26"


def _prepare(db_url: str) -> str:
    """Migrate (timed: the counts are made then), name each point, give each a snapshot; a hub token."""
    engine = make_engine(db_url)
    t0 = time.perf_counter()
    migrate(engine)
    took = time.perf_counter() - t0
    if took > 2:
        print(f"  migrated (the live view's counts made from the dossiers already there): {took:.0f} s")
    at = now()
    with Session(engine) as s, s.begin():
        agencies = [a for (a,) in s.execute(text("SELECT DISTINCT agency_code FROM point_tally ORDER BY 1"))]
        s.execute(text("DELETE FROM credential WHERE label LIKE 'bench live %'"))
        s.execute(text("DELETE FROM operator_session"))
        s.execute(text("DELETE FROM operator WHERE login = 'bench'"))
        for n, agency in enumerate(agencies):
            crud.create_credential(s, agency_code=agency, role="hub", label=f"bench live Phường {n + 1}", at=at)
            silent = n % 40 == 0  # a few points not heard from since last week
            points.hear(s, agency, PointSnapshot(taken_at=at, waiting=n % 17, longest_wait_s=60 * (n % 30),
                                                 counters_open=1 + n % 6, ops_waiting=n % 3, ops_refused=0),
                        at - timedelta(days=6) if silent else at)
        token = crud.create_credential(s, agency_code=AGENCY, role="hub", label="bench live hub", at=at)
        operators.add(s, login="bench", full_name="Người đo", role="city", password=PASSWORD, at=at)
        cells = s.scalar(text("SELECT count(*) FROM point_tally"))
        dossiers = s.scalar(text("SELECT count(*) FROM city_dossier"))
    print(f"  {len(agencies)} points, {dossiers:,} dossiers, {cells:,} cells of counts")
    with Session(engine) as s:
        spent = []
        for _ in range(50):
            t0 = time.perf_counter()
            found = points.all_points(s, now())
            spent.append((time.perf_counter() - t0) * 1000)
    print(figures(f"all points' figures in-process ({len(found)} points)", spent))
    engine.dispose()
    return token


def _signed_in(url: str) -> httpx.Client:
    http = httpx.Client(base_url=url, timeout=30)
    assert http.post("/dieu-hanh/dang-nhap", data={"ten": "bench", "mat_khau": PASSWORD}).status_code == 303
    return http


def _requests(http: httpx.Client, path: str, n: int = 100) -> list[float]:
    spent = []
    for _ in range(n):
        t0 = time.perf_counter()
        answer = http.get(path)
        spent.append((time.perf_counter() - t0) * 1000)
        assert answer.status_code == 200 and "data-agency" in answer.text, answer.status_code
    return spent


def main() -> None:
    pg, db_url = scale_city()
    proc = None
    try:
        token = _prepare(db_url)
        proc, url = _serve(db_url)
        operator = _signed_in(url)
        _requests(operator, "/dieu-hanh", 10)  # a warm-up, as a server that has run a while
        print(figures("GET /dieu-hanh, the whole page, idle (goal < 300 ms)", _requests(operator, "/dieu-hanh")))
        print(figures("GET /dieu-hanh/bang, the 5-second refresh, idle", _requests(operator, "/dieu-hanh/bang")))
        with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
            hub = build_hub(Path(tmp) / "push.sqlite3", [(STORY_4, 5000)], first_day=date(2026, 10, 1), days=20)
            client = SyncClient(hub, httpx.Client(base_url=url, timeout=120,
                                                  headers={"Authorization": f"Bearer {token}"}))
            pushed: dict[str, float] = {}

            def push() -> None:
                t0 = time.perf_counter()
                report = client.push()
                pushed["s"], pushed["acked"] = time.perf_counter() - t0, report.acked

            pusher = threading.Thread(target=push)
            pusher.start()
            during = []
            while pusher.is_alive():
                during += _requests(operator, "/dieu-hanh", 5)
            pusher.join()
            hub.close()
        print(figures("GET /dieu-hanh while a hub pushes 20,000 ops", during))
        print(f"  the push: {pushed['acked']:,.0f} ops in {pushed['s']:.1f} s, {pushed['acked'] / pushed['s']:,.0f} "
              f"ops/s (counts moved in the same transactions) [{machine()}]")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as conn:  # as it was built
            for table in ("operator_session", "operator", "point_link", "lookup_attempt"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM credential WHERE label LIKE 'bench live %'")
        forget_office(db_url, AGENCY)
        pg.stop()


if __name__ == "__main__":
    main()
