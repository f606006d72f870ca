"""Killing the hub mid-day and starting it again: nothing lost, and the clients reconnect by themselves."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from counter_app.errors import HubUnreachable
from counter_app.events import HubConnection, OfficeEvent, QueueChanged
from tests.conftest import STAFF_PASSWORD, make_form
from tests.hub.conftest import Hub


def _wait(predicate, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_killed_hub_loses_nothing_and_its_clients_carry_on(hub: Hub):
    kiosk, counter, board = hub.client("kiosk"), hub.client("quay-1"), hub.client("bang-1")
    counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    heard: list[OfficeEvent] = []
    board.subscribe(heard.append)
    counter.subscribe(lambda _e: None)
    for lane in "AABBC":
        kiosk.issue_ticket(lane=lane)
    called = counter.call_next(1, actor="canbo1")
    assert called is not None
    counter.start_serving(1, actor="canbo1")
    codes = [counter.receive(make_form(), actor="canbo1").code for _ in range(3)]
    before_tickets = [(t.label, t.state, t.counter_no) for t in board.tickets_of_day()]
    before_dossiers = {code: counter.dossier(code).status for code in codes}

    hub.kill()
    assert _wait(lambda: any(isinstance(e, HubConnection) and not e.online for e in heard), 5)
    with pytest.raises(HubUnreachable):
        board.queue_status()

    hub.start()  # same store file, same port
    assert _wait(lambda: any(isinstance(e, HubConnection) and e.online for e in heard))
    assert any(isinstance(e, QueueChanged) and e.step == "resync" for e in heard)  # the screens reload
    assert [(t.label, t.state, t.counter_no) for t in board.tickets_of_day()] == before_tickets
    assert {code: counter.dossier(code).status for code in codes} == before_dossiers
    assert counter.counter_queue(1).current.label == called.label  # still in service at counter 1
    # The clerk's session survived the restart: the counter carries on where it stopped.
    counter.finish_ticket(1, actor="canbo1")
    later = kiosk.issue_ticket(lane="A")
    assert _wait(lambda: QueueChanged(later.label, "waiting", "issue", None) in heard, 5)
    assert counter.receive(make_form(), actor="canbo1").code > max(codes)


def test_a_write_waiting_for_a_restarting_hub_is_carried_out_once(hub: Hub):
    kiosk = hub.client("kiosk", retry_for_s=30)
    kiosk.issue_ticket(lane="A")
    hub.kill()
    result: list[object] = []
    sender = threading.Thread(target=lambda: result.append(kiosk.issue_ticket(lane="B")))
    sender.start()
    time.sleep(1.0)  # the kiosk keeps trying the same request (same idempotency key) meanwhile
    hub.start()
    sender.join(timeout=40)
    assert result and result[0].label == "B001"
    assert [t.label for t in hub.client("bang-1").tickets_of_day()] == ["A001", "B001"]


def test_an_answer_lost_on_the_way_is_given_again_after_a_restart(hub: Hub):
    headers = {"Authorization": f"Bearer {hub.tokens['kiosk']}", "Idempotency-Key": "lost-answer-1"}
    first = httpx.post(f"{hub.url}/api/ops/issue_ticket", json={"lane": "C"}, headers=headers)
    time.sleep(1.0)  # answers are written to the store in batches every 0.5 s
    hub.kill()
    hub.start()
    again = httpx.post(f"{hub.url}/api/ops/issue_ticket", json={"lane": "C"}, headers=headers)
    assert again.status_code == 200 and again.json() == first.json()
    assert [t.label for t in hub.client("bang-1").tickets_of_day()] == ["C001"]
