"""A bad line and a broken city: the hub's queue drains by itself, nothing lost and nothing twice.

Real PostgreSQL, real HTTP on loopback, the real scheduler; a proxy (`faulty_line.FaultyLine`) between
the hub and the city answers 500 and 413, times out, cuts requests and answers, and goes down and up.
Once the clerks stop writing, the test only waits: no new local write is needed for the queue to drain.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import select as hub_select

from counter_app.local.office import LocalOffice
from counter_app.store.models import Outbox
from sync.client import SyncClient, SyncError
from sync.scheduler import SyncScheduler
from sync.server.models import ChangeRow
from tests.conftest import AGENCY, make_form
from tests.sync.both_sides import assert_same_on_both_sides, city_acts
from tests.sync.conftest import City
from tests.sync.faulty_line import FAULTS, FaultyLine

TIMEOUT_S = 1.0  # the hub's HTTP timeout here; the line holds "hang" and "slow_answer" longer


def wait_for(condition: Callable[[], bool], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def city(pg_city: City) -> City:
    return pg_city


@pytest.fixture
def line(city: City) -> Iterator[FaultyLine]:
    line = FaultyLine(city.url, seed=11, hold_s=TIMEOUT_S * 1.5)
    line.start()
    yield line
    line.stop()


def hub_over(line: FaultyLine, city: City, office: LocalOffice) -> SyncScheduler:
    token = city.token(AGENCY)
    http = httpx.Client(base_url=line.url, timeout=TIMEOUT_S, headers={"Authorization": f"Bearer {token}"})
    return SyncScheduler(office, SyncClient(office.store, http), busy_every=timedelta(seconds=0.2),
                         idle_every=timedelta(seconds=0.3), backoff=(0.05, 0.1, 0.2, 0.4, 0.8))


def clerks_work(office: LocalOffice, city: City, rng: random.Random, dossiers: int, pause: float = 0.05) -> None:
    for i in range(dossiers):
        code = office.receive(make_form(name=f"Người Dân {i}"), actor=rng.choice(["canbo1", "canbo2"])).code
        if rng.random() < 0.5:
            office.start_processing(code, actor="canbo1")
        if rng.random() < 0.4:
            city_acts(city.engine, rng)
        time.sleep(pause)


def caught_up(office: LocalOffice, engine) -> bool:
    with Session(engine) as s:
        last = s.scalar(select(func.max(ChangeRow.seq))) or 0
    with office.store.read() as s:
        from counter_app.city import changes as city_changes

        cursor = city_changes.peek(s).cursor
    return office.sync_status().pending == 0 and cursor == last


def test_500_413_timeouts_and_cuts_for_a_share_of_requests(city, line, office):
    line.faults = {"500": 0.07, "500_after": 0.07, "413": 0.05, "hang": 0.04, "slow_answer": 0.04,
                   "cut_request": 0.06, "cut_answer": 0.06}
    line.script = list(FAULTS)  # the first pushes meet every fault once, whatever the dice say
    scheduler = hub_over(line, city, office)
    scheduler.start()
    try:
        clerks_work(office, city, random.Random(1), dossiers=40)
        for _ in range(3):  # the city keeps working after the counters have stopped
            city_acts(city.engine, random.Random(2))
        wait_for(lambda: caught_up(office, city.engine))  # nothing written here: the queue drains by itself
    finally:
        scheduler.stop()
    ops, _ = assert_same_on_both_sides(office, city.engine)
    assert all(line.pushes[fault] >= 1 for fault in FAULTS), line.pushes
    assert ops >= 40 and line.pushes["pass"] >= 1
    print(f"{ops} ops; the line: {dict(line.counts)}; pushes: {dict(line.pushes)}")


def test_the_line_cut_both_ways_and_flapping(city, line, office):
    line.faults = {"cut_request": 0.15, "cut_answer": 0.15}
    line.script = ["cut_request", "cut_answer", "cut_answer"]  # the pushes meet both cuts for sure
    stop = threading.Event()

    def flap() -> None:
        rng = random.Random(5)
        while not stop.is_set():
            line.down = not line.down
            time.sleep(rng.uniform(0.05, 0.4))
        line.down = False

    flapper = threading.Thread(target=flap, daemon=True)
    scheduler = hub_over(line, city, office)
    scheduler.start()
    flapper.start()
    try:
        clerks_work(office, city, random.Random(3), dossiers=30, pause=0.1)
        stop.set()
        flapper.join()
        wait_for(lambda: caught_up(office, city.engine))
    finally:
        stop.set()
        scheduler.stop()
    assert_same_on_both_sides(office, city.engine)
    assert line.counts["down"] >= 3 and line.pushes["cut_request"] and line.pushes["cut_answer"], line.counts


def test_a_line_that_takes_only_small_requests_gets_smaller_batches_and_one_op_too_large_is_set_aside(
        city, line, office):
    from sync.protocol import OpIn, PushRequest

    codes = [office.receive(make_form(name=f"Người Dân {i}"), actor="canbo1").code for i in range(30)]
    big = codes[10]
    office.withdraw(big, reason="Công dân rút hồ sơ", actor="canbo1")  # a later op of the big one's dossier
    with office.store.write() as s:  # a scanner wrote whole pages of text into the op (it is hashed as is)
        from counter_app.rules.canonical import sha256

        op = s.exec(hub_select(Outbox).where(Outbox.kind == "receive").order_by(Outbox.id).offset(10)).first()
        pages = ", ".join(['"' + "trang " * 500 + '"'] * 13)  # each within a field's length, 39 KB in all
        op.payload = op.payload.replace('"Người Dân 10"', '"Người Dân 10", "scanned": [' + pages + "]")
        op.sha256 = sha256(op.payload)
        big_op = op.op_id
    with office.store.read() as s:
        sizes = [len(PushRequest(ops=[OpIn(op_id=o.op_id, dossier_code="x", kind=o.kind, payload=o.payload,
                                           sha256=o.sha256)]).model_dump_json()) for o in s.exec(hub_select(Outbox))]
    line.max_body = sorted(sizes)[-2] * 4  # four ordinary ops fit; the big one alone does not
    client = hub_over(line, city, office).client
    for _ in range(10):  # nothing written meanwhile: it drains round after round by itself
        try:
            client.round()
            break
        except SyncError:
            pass
    status = office.sync_status()
    assert [(r.op_id, r.dossier_code) for r in status.rejected] == [(big_op, big)]
    assert "quá lớn" in status.rejected[0].reason_vi and status.pending == 1  # the withdrawal waits behind it
    assert line.counts["too_large"] >= 5 and line.pushes["pass"] >= 30 // 4  # in batches of four at most
    line.max_body = None  # the technician raises the proxy's limit; a supervisor sends it again
    office.resend_op(big_op, actor="truongbp")
    client.round()
    assert office.sync_status().pending == 0 and not office.sync_status().rejected
    assert_same_on_both_sides(office, city.engine)
