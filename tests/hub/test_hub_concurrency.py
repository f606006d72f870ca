"""Many counters at once over the API: no ticket called twice or skipped, dossier codes without gaps."""

from __future__ import annotations

import threading

from counter_app.lan.office import LanOffice
from tests.conftest import STAFF_PASSWORD, make_form
from tests.hub.conftest import Hub, serve_every_lane
from tests.processes import run_together

COUNTERS = 10
ROUNDS = 100  # 10 counters pressing "next" at the same moment, 100 times: 1,000 calls
LANES = ["A", "B", "C", "D", "E", "G"]


def _counter_pc(hub: Hub, n: int) -> LanOffice:
    office = hub.client(f"quay-{n}")
    office.sign_in(f"canbo{n}", STAFF_PASSWORD, counter_no=n)
    return office


def test_ten_counters_calling_next_together_never_share_or_skip_a_ticket(hub: Hub):
    kiosk = hub.client("kiosk")
    serve_every_lane(hub.db_path, COUNTERS, LANES)
    issued = [kiosk.issue_ticket(lane=LANES[i % len(LANES)], priority="elderly" if i % 9 == 0 else "").label
              for i in range(COUNTERS * ROUNDS)]
    offices = {n: _counter_pc(hub, n) for n in range(1, COUNTERS + 1)}
    together = threading.Barrier(COUNTERS)
    called: dict[int, list[str]] = {n: [] for n in offices}
    errors: list[BaseException] = []

    def counter(n: int) -> None:
        office, actor = offices[n], f"canbo{n}"
        try:
            for _ in range(ROUNDS):
                together.wait(timeout=60)
                ticket = office.call_next(n, actor=actor)
                assert ticket is not None
                called[n].append(ticket.label)
                office.start_serving(n, actor=actor)
                office.finish_ticket(n, actor=actor)
        except BaseException as exc:
            errors.append(exc)
            together.abort()

    threads = [threading.Thread(target=counter, args=(n,)) for n in offices]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert errors == []
    labels = [label for labels in called.values() for label in labels]
    assert len(labels) == len(set(labels)) == COUNTERS * ROUNDS  # none twice
    assert sorted(labels) == sorted(issued)  # none skipped
    day = hub.client("bang-1").tickets_of_day()
    assert {t.state for t in day} == {"done"}
    assert all(t.counter_no == n for n, labels in called.items() for t in day if t.label in labels)


def _receive_many(url: str, token: str, n: int, count: int) -> list[str]:
    """One counter PC in its own process: sign in and receive `count` dossiers as fast as it can."""
    office = LanOffice(url, token)
    office.sign_in(f"canbo{n}", STAFF_PASSWORD, counter_no=n)
    codes = [office.receive(make_form(), actor=f"canbo{n}").code for _ in range(count)]
    office.close()
    return codes


def test_clerks_receiving_at_the_same_instant_get_consecutive_codes(hub: Hub):
    per_process = 15
    results = run_together(_receive_many, [(hub.url, hub.tokens[f"quay-{n}"], n, per_process) for n in (1, 2, 3)])
    codes = sorted(code for codes in results for code in codes)
    assert len(set(codes)) == 3 * per_process
    numbers = [int(code.rsplit("-", 1)[1]) for code in codes]
    prefixes = {code.rsplit("-", 1)[0] for code in codes}
    assert len(prefixes) == 1  # one office, one day
    assert numbers == list(range(numbers[0], numbers[0] + 3 * per_process))  # no gap, no duplicate
