"""Sync with the city on loopback, PostgreSQL with fsync on, the city server in its own process.

Goals (issue 6):
- 20,000 ops pushed from one hub: under 20 s; and how much faster than one op per request.
- 10,000 changes pulled and applied: under 5 s.
- 30 days offline at a busy point (9,000 dossiers, 40,000 ops) caught up within 2 minutes.
- (issue 18) a store restored from a backup made before 10,000 ops were pushed: restore plus recovery of
  those ops from the city, timed apart.
- (issue 23) against a city that already holds 10 million ops of 126 other points (and their 2.5 million
  dossiers): 20,000 ops pushed in under 10 s; 90 days offline (about 120,000 ops) caught up in under 60 s.
  That city is built once (about 15 GB, a PostgreSQL cluster kept in SCALE_CLUSTER) and reused; each run
  removes what it added. `--scale-only` runs this part alone.

The hub stores are built by copying what the real services write for one dossier (dossier, documents,
fees, events, outbox ops with real payloads), each copy with its own code, op ids and hashes, so the
city checks and stores every op as it would from a real hub. Every run checks the city's side after.
Run: .venv/bin/python -m benchmarks.bench_sync
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session
from sqlmodel import select as hub_select

from benchmarks._common import fresh_office, machine
from counter_app.audit import verify_chain
from counter_app.backups import sealed
from counter_app.backups.restore import restore
from counter_app.backups.service import BackupPlan, make_backup
from counter_app.city import outbox
from counter_app.dossiers import recovery
from counter_app.local.office import LocalOffice
from counter_app.rules.clock import now
from counter_app.store import Store
from counter_app.store.models import Dossier
from counter_app.views.dossiers import IntakeForm
from sync.client import SyncClient
from sync.server import crud
from sync.server.db import make_engine, migrate
from sync.server.main import DB_URL_ENV
from sync.server.models import ChangeRow, ReceivedOp
from tests.conftest import make_form
from tests.pg import Postgres
from tests.sync.conftest import free_port

AGENCY = "000.00.73.H26"
ROOT = Path(__file__).resolve().parents[1]
TABLES = ("dossier", "dossier_document", "dossier_fee", "event", "outbox")

# What a dossier goes through at the counter, one op per step (the receive op carries the whole intake).
STORY_4 = ("start_processing", "result_ready", "return_result")
STORY_5 = ("start_processing", "request_fees", "fees_paid", "result_ready")


def _template(office: LocalOffice, steps: tuple[str, ...]) -> int:
    d = office.receive(IntakeForm(**{**make_form("ct.ban-sao").model_dump(), "submission_id": str(uuid.uuid4())}),
                       actor="canbo1")
    do = {"start_processing": lambda c: office.start_processing(c, actor="canbo1"),
          "result_ready": lambda c: office.result_ready(c, actor="canbo1"),
          "return_result": lambda c: office.return_result(c, to_whom=d.applicant_name, id_checked=True,
                                                          actor="canbo1"),
          "request_fees": lambda c: office.request_fees(c, reason="Lệ phí trước bạ", actor="canbo1"),
          "fees_paid": lambda c: office.fees_paid(c, receipt_no="BL-0001", actor="canbo1")}
    for step in steps:
        do[step](d.code)
    with office.store.read() as s:
        return s.exec(hub_select(Dossier.id).where(Dossier.code == d.code)).one()


def build_hub(path: Path, plan: list[tuple[tuple[str, ...], int]], *, first_day: date, days: int,
              state: str = "pending") -> Store:
    """A hub store holding, for each (story, count) of `plan`, `count` copies of a dossier that went
    through `story`, spread over `days` days; their ops in `state`."""
    store = fresh_office(path)
    office = LocalOffice(store)
    templates = [(_template(office, steps), count) for steps, count in plan]
    store.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    cols = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in TABLES}

    def rows(table: str, where: str, *args: object) -> list[dict]:
        return [dict(zip(cols[table], r, strict=True)) for r in con.execute(f"SELECT * FROM {table} {where}", args)]

    seq = con.execute("SELECT max(seq) FROM event").fetchone()[0]
    next_id = con.execute("SELECT max(id) FROM dossier").fetchone()[0] + 1
    total = sum(count for _, count in plan)
    batch: dict[str, list[dict]] = {t: [] for t in TABLES}
    made, per_day = 0, dict[date, int]()
    for template_id, count in templates:
        (dossier,) = rows("dossier", "WHERE id = ?", template_id)
        docs, fees = rows("dossier_document", "WHERE dossier_id = ?", template_id), rows(
            "dossier_fee", "WHERE dossier_id = ?", template_id)
        events = rows("event", "WHERE dossier_id = ? ORDER BY seq", template_id)
        ops = {op["event_seq"]: op for op in rows("outbox", "WHERE dossier_id = ?", template_id)}
        for _ in range(count):
            i, made = next_id, made + 1
            next_id += 1
            day = first_day + timedelta(days=made * days // (total + 1))
            per_day[day] = per_day.get(day, 0) + 1
            code = f"{AGENCY}-{day:%y%m%d}-{per_day[day]:04d}"
            batch["dossier"].append(dict(dossier, id=i, code=code, submission_id=str(uuid.uuid4()), register_row=i))
            batch["dossier_document"] += [dict(d, id=None, dossier_id=i) for d in docs]
            batch["dossier_fee"] += [dict(f, id=None, dossier_id=i) for f in fees]
            for e in events:
                seq += 1
                batch["event"].append(dict(e, seq=seq, dossier_id=i, subject=f"dossier:{code}"))
                op = ops.get(e["seq"])
                if op is not None:
                    op_id = str(uuid.uuid4())
                    payload = op["payload"].replace(op["op_id"], op_id).replace(dossier["code"], code)
                    batch["outbox"].append(dict(op, id=None, op_id=op_id, dossier_id=i, event_seq=seq,
                                                payload=payload, sha256=hashlib.sha256(payload.encode()).hexdigest(),
                                                state=state, acked_at=op["created_at"] if state == "acked" else None))
    for table in TABLES:
        names = cols[table]
        con.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                        [tuple(r[c] for c in names) for r in batch[table]])
    con.executemany("DELETE FROM outbox WHERE dossier_id = ?", [(t,) for t, _ in templates])
    con.commit()
    con.close()
    return Store.open(path, backup_before_upgrade=False)


class CityProcess:
    """The city server as production runs it: uvicorn in its own process, over PostgreSQL."""

    def __init__(self, db_url: str) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        env = {**os.environ, DB_URL_ENV: db_url}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "sync.server.main:build", "--host", "127.0.0.1",
             "--port", self.url.rsplit(":", 1)[1], "--log-level", "warning"], cwd=ROOT, env=env)
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the city server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@contextmanager
def city_on(pg_url: str, name: str) -> Iterator[tuple[Engine, Callable[..., SyncClient]]]:
    """A fresh city database served by its own process; yields its engine and a hub client factory."""
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_url.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as s, s.begin():
        token = crud.create_credential(s, agency_code=AGENCY, role="hub", label="bench", at=now())
    city = CityProcess(url)

    def client(hub: Store, **kwargs: object) -> SyncClient:
        return SyncClient(hub, httpx.Client(base_url=city.url, timeout=60,
                                            headers={"Authorization": f"Bearer {token}"}), **kwargs)

    try:
        yield engine, client
    finally:
        city.stop()
        engine.dispose()


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def city_ops(engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (s.scalar(select(func.count()).select_from(ReceivedOp)),
                s.scalar(select(func.count()).select_from(ReceivedOp).where(ReceivedOp.result == "ok")))


def bench_push(pg_url: str, tmp: Path) -> None:
    with city_on(pg_url, "city_push") as (engine, client):
        hub = build_hub(tmp / "push.sqlite3", [(STORY_4, 5000)], first_day=date(2026, 10, 1), days=20)
        seconds, report = timed(client(hub).push)
        assert report.acked == 20_000 and city_ops(engine) == (20_000, 20_000), (report, city_ops(engine))
        batched = seconds / 20_000
        print(f"push 20,000 ops (batches of 100): {seconds:.1f} s, {20_000 / seconds:,.0f} ops/s (goal: under 20 s)")
        hub.close()
        single = build_hub(tmp / "single.sqlite3", [(STORY_4, 250)], first_day=date(2026, 6, 1), days=20)
        seconds, report = timed(client(single, max_ops=1).push)
        assert report.acked == 1000 and city_ops(engine)[1] == 21_000
        print(f"push 1,000 ops one per request: {seconds:.1f} s, {1000 / seconds:,.0f} ops/s; batches of 100 are "
              f"{seconds / 1000 / batched:.1f}x faster")
        single.close()


def bench_pull(pg_url: str, tmp: Path) -> None:
    with city_on(pg_url, "city_pull") as (engine, client):
        hub = build_hub(tmp / "pull.sqlite3", [((), 10_000)], first_day=date(2026, 9, 1), days=60, state="acked")
        with hub.read() as s:
            codes = s.exec(hub_select(Dossier.code).where(Dossier.status == 2)).all()
        assert len(codes) >= 10_000
        at = now()
        with Session(engine) as s, s.begin():
            s.execute(insert(ChangeRow), [
                {"agency_code": AGENCY, "kind": "dossier.status", "dossier_code": code, "at": at,
                 "body": {"action": "start_processing", "status": 4, "reason": "", "results": [],
                          "actor": "Sở Tư pháp"}} for code in codes[:10_000]])
        seconds, report = timed(client(hub).pull)
        with hub.read() as s:
            moved = s.exec(hub_select(func.count()).select_from(Dossier).where(Dossier.status == 4)).one()
        assert report.pulled == 10_000 and moved == 10_000, (report, moved)
        print(f"pull and apply 10,000 changes: {seconds:.1f} s, {10_000 / seconds:,.0f} changes/s (goal: under 5 s)")
        hub.close()


def bench_offline(pg_url: str, tmp: Path) -> None:
    with city_on(pg_url, "city_offline") as (engine, client):
        hub = build_hub(tmp / "offline.sqlite3", [(STORY_4, 5000), (STORY_5, 4000)], first_day=date(2026, 10, 20),
                        days=30)
        with hub.read() as s:
            assert outbox.pending_count(s) == 40_000
        seconds, report = timed(client(hub).round)
        assert report.acked == 40_000 and city_ops(engine) == (40_000, 40_000)
        size = (tmp / "offline.sqlite3").stat().st_size
        print(f"30 days offline (9,000 dossiers, 40,000 ops, hub store {size / 2**20:.0f} MiB) caught up in one round: "
              f"{seconds:.1f} s (goal: under 120 s)")
        hub.close()


def bench_recovery(pg_url: str, tmp: Path) -> None:
    with city_on(pg_url, "city_recovery") as (_engine, client):
        path = tmp / "recovery.sqlite3"
        plan = BackupPlan(folders=(tmp / "backups",), key=sealed.new_key(), state_file=tmp / "backup-state.json")
        before = fresh_office(tmp / "before.sqlite3")  # last night: the office as it was before the 10,000 ops
        made = make_backup(before, plan, kind="daily", at=now()).made
        before.close()
        hub = build_hub(path, [(STORY_4, 2500)], first_day=date(2026, 11, 2), days=20)
        assert client(hub).push().acked == 10_000
        hub.close()
        for part in path.parent.glob(path.name + "*"):
            part.unlink()  # the disk died
        seconds_restore, _ = timed(lambda: restore(made.path, plan.key, path, at=now()))
        store = Store.open(path)
        with store.write() as s:
            recovery.mark_due(s)
        seconds, report = timed(client(store).recover)
        with store.read() as s:
            back = s.exec(hub_select(func.count()).select_from(Dossier).where(Dossier.status == 10)).one()
            chain = verify_chain(s)
        assert report.replayed == 10_000 and back == 2500 and chain.ok, (report, back, chain)
        print(f"restore a backup, then recover 10,000 ops (2,500 dossiers) from the city: restore "
              f"{seconds_restore:.1f} s, recovery {seconds:.1f} s, {10_000 / seconds:,.0f} ops/s [{machine()}]")
        store.close()


# Under /var/tmp, not the repository: the postgres user must reach it, and it outlives a reboot.
SCALE_CLUSTER = Path("/var/tmp/counter-bench-city-10m")
SCALE_OPS = 10_000_000
SCALE_POINTS = 126
FILL_CHUNK = 500_000


def fill_city(url: str) -> None:
    """10 million ops of 126 other points over two years, as the city would hold them: each op's row with a
    real payload of its kind, a dossier row per four ops, and each point's chain anchors. Filled at the schema
    the rows are written for (0005), then migrated: the live view's counts are made as for a city upgraded."""
    engine = make_engine(url)
    migrate(engine, "0005")
    with tempfile.TemporaryDirectory() as tmp:  # real payloads, one op of each kind
        hub = build_hub(Path(tmp) / "t.sqlite3", [(STORY_4, 1)], first_day=date(2026, 1, 5), days=1)
        with hub.read() as s:
            payloads = [row[0] for row in s.connection().exec_driver_sql(
                "SELECT payload FROM outbox ORDER BY event_seq").all()]
        hub.close()
    assert len(payloads) == 4
    points = f"'000.00.' || lpad((i %% {SCALE_POINTS})::text, 3, '0') || '.H99'"  # %% is psycopg's %
    day = "to_char(date '2024-12-02' + (i / 13700), 'YYMMDD')"  # two years
    code = f"{points} || '-' || {day} || '-' || lpad((i / {4 * SCALE_POINTS})::text, 6, '0')"  # 4 ops a dossier
    kind = f"1 + (i / {SCALE_POINTS}) %% 4"
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        for start in range(0, SCALE_OPS, FILL_CHUNK):
            t0 = time.perf_counter()
            conn.execute(f"""
                INSERT INTO received_op (agency_code, op_id, dossier_code, kind, sha256, payload, result, reason,
                                         reason_vi, received_at)
                SELECT {points}, md5('op' || i), {code},
                       (ARRAY['receive', 'start_processing', 'result_ready', 'return_result'])[{kind}],
                       md5('sha' || i), (ARRAY[%s, %s, %s, %s])[{kind}], 'ok', '', '',
                       timestamptz '2024-12-02 08:00+07' + i * interval '6.3 seconds'
                FROM generate_series(%s, %s) AS i""", (*payloads, start, start + FILL_CHUNK - 1))
            conn.execute(f"""
                INSERT INTO city_dossier (code, agency_code, status, intake, received_at, due_at, returned_at,
                                          results, hub_event_seq, updated_at)
                SELECT {code}, {points}, 10, %s::json, timestamptz '2024-12-02 08:00+07' + i * interval '6.3 seconds',
                       NULL, NULL, '{{}}'::json, i, now()
                FROM generate_series(%s, %s) AS i WHERE (i / {SCALE_POINTS}) %% 4 = 0""",
                         (payloads[0], start, start + FILL_CHUNK - 1))
            print(f"  city: {start + FILL_CHUNK:,} ops in ({time.perf_counter() - t0:.0f} s for the last "
                  f"{FILL_CHUNK:,})", flush=True)
        conn.execute(f"""INSERT INTO chain_anchor (agency_code, seq, hash, received_at)
                         SELECT {points}, i, md5('h' || i) || md5('g' || i), now()
                         FROM generate_series(1, {SCALE_OPS // 40}) AS i""", ())
    migrate(engine)
    engine.dispose()
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CREATE TABLE bench_filled (ops bigint)")
        conn.execute("INSERT INTO bench_filled VALUES (%s)", (SCALE_OPS,))


def forget_office(url: str, agency: str) -> None:
    """Take away what a benchmark's office pushed, leaving the city at scale as it was built for the next run."""
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        for table in ("received_op", "city_dossier", "chain_anchor", "change", "credential", "point_tally",
                      "point_link"):
            conn.execute(f"DELETE FROM {table} WHERE agency_code = %s", (agency,))


def scale_city() -> tuple[Postgres, str]:
    """The city at scale in its kept cluster, started (and built the first time); stop it when done."""
    pg = Postgres(fsync=True, keep=SCALE_CLUSTER)
    url = pg.start()
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        filled = conn.execute("SELECT to_regclass('bench_filled') IS NOT NULL").fetchone()[0]
    if not filled:
        print(f"building the city at scale in {SCALE_CLUSTER} (once)")
        fill_city(url)
    return pg, url


def bench_scale() -> None:
    pg, url = scale_city()
    try:
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
            ops = conn.execute("SELECT count(*) FROM received_op").fetchone()[0]
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            buffers = conn.execute("SHOW shared_buffers").fetchone()[0]
        print(f"city at scale: {ops:,} ops already held, database {size / 2**30:.1f} GiB, "
              f"shared_buffers {buffers} (PostgreSQL's default), fsync on")
        engine = make_engine(url)
        with Session(engine) as s, s.begin():
            token = crud.create_credential(s, agency_code=AGENCY, role="hub", label="bench", at=now())
        city = CityProcess(url)

        def client(hub: Store) -> SyncClient:
            return SyncClient(hub, httpx.Client(base_url=city.url, timeout=120,
                                                headers={"Authorization": f"Bearer {token}"}))

        try:
            with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
                hub = build_hub(Path(tmp) / "push.sqlite3", [(STORY_4, 5000)], first_day=date(2026, 10, 1), days=20)
                seconds, report = timed(client(hub).push)
                assert report.acked == 20_000, report
                print(f"  push 20,000 ops (batches of 100): {seconds:.1f} s, {20_000 / seconds:,.0f} ops/s "
                      f"(goal: under 10 s) [{machine()}]")
                hub.close()
                hub = build_hub(Path(tmp) / "offline.sqlite3", [(STORY_4, 30_000)], first_day=date(2026, 5, 4),
                                days=90)
                with hub.read() as s:
                    pending = outbox.pending_count(s)
                seconds, report = timed(client(hub).round)
                assert report.acked == pending, (report, pending)
                print(f"  90 days offline ({pending:,} ops of 30,000 dossiers) caught up in one round: "
                      f"{seconds:.1f} s, {pending / seconds:,.0f} ops/s (goal: under 60 s) [{machine()}]")
                hub.close()
        finally:
            city.stop()
            forget_office(url, AGENCY)
            engine.dispose()
    finally:
        pg.stop()


def main() -> None:
    if "--scale-only" in sys.argv:
        bench_scale()
        return
    pg = Postgres(fsync=True)
    pg_url = pg.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
            bench_push(pg_url, Path(tmp))
            bench_pull(pg_url, Path(tmp))
            bench_offline(pg_url, Path(tmp))
            bench_recovery(pg_url, Path(tmp))
    finally:
        pg.stop()
    bench_scale()


if __name__ == "__main__":
    main()
