"""The sync scheduler: start-up round, back-off while the city is down, drain when it returns, sync now."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx

from counter_app.events import SyncChanged
from sync.client import SyncClient
from sync.scheduler import SyncScheduler
from tests.conftest import AGENCY, make_form
from tests.sync.conftest import City, free_port, serve


def _wait(condition, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_queue_drains_when_the_city_comes_back_without_a_new_local_write(city_engine, ready_store):
    from counter_app.local.office import LocalOffice

    office = LocalOffice(ready_store)  # real time: the scheduler waits for real
    code = office.receive(make_form(), actor="canbo1").code
    port = free_port()
    token = City("", city_engine, None).token(AGENCY)
    client = SyncClient(office.store, httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=2,
                                                   headers={"Authorization": f"Bearer {token}"}))
    events: list[SyncChanged] = []
    office.subscribe(lambda e: events.append(e) if isinstance(e, SyncChanged) else None)
    scheduler = SyncScheduler(office, client, busy_every=timedelta(seconds=0.3), backoff=(0.2, 0.4, 0.8))
    scheduler.start()
    try:
        _wait(lambda: office.sync_status().failures >= 3)  # down: start-up round, then backing off
        status = office.sync_status()
        assert status.pending == 1 and status.last_error_vi == "Không kết nối được máy chủ thành phố."
        assert status.configured and status.next_try_at is not None
        assert events and not events[-1].ok
        server, thread, _url = serve(city_engine, port)  # the line is back
        try:
            _wait(lambda: office.sync_status().pending == 0)
            _wait(lambda: office.sync_status().failures == 0)
            _wait(lambda: events[-1].ok)  # announced just after the round's commit, on the scheduler's thread
            _wait(lambda: scheduler.last_anchor_report is not None)  # once a day, after a good round
            assert scheduler.last_anchor_report.ok and scheduler.last_anchor_report.checked == 1
            assert office.sync_status().last_success_at is not None and events[-1].ok
            rounds = scheduler.rounds
            office.request_sync()  # "sync now"
            _wait(lambda: scheduler.rounds > rounds)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    finally:
        scheduler.stop()
    assert office.dossier(code).status == 2


def test_when_the_next_round_is_planned(office, clock):
    from datetime import datetime

    from counter_app.city import changes as city_changes
    from counter_app.rules.clock import TZ

    scheduler = SyncScheduler(office, client=None, clock=clock)  # planning only reads the store
    at = clock()
    assert scheduler._next(ok=True) == at + timedelta(minutes=15)  # nothing waits: asks for news
    office.receive(make_form(), actor="canbo1")
    assert scheduler._next(ok=True) == at + timedelta(minutes=3)  # ops wait
    clock.set(2026, 11, 24, 1, 58)
    assert scheduler._next(ok=True) == datetime(2026, 11, 24, 2, 0, tzinfo=TZ)  # the nightly round comes first
    with office.store.write() as s:
        city_changes.state(s).failures = 3
    assert scheduler._next(ok=False) == clock() + timedelta(seconds=2)  # backing off
    with office.store.write() as s:
        city_changes.state(s).failures = 40
    assert scheduler._next(ok=False) == clock() + timedelta(hours=1)  # capped at an hour
    clock.set(1970, 1, 1, 8, 0)  # a PC that woke up in 1970 still waits an hour, not 56 years
    assert scheduler._next(ok=False) == clock() + timedelta(hours=1)
