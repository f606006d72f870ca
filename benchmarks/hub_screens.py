"""What the counters' queue panels and the boards ask of the hub, for `bench_hub`, in a process of their own.

Each screen follows the hub's event stream and reloads as `ui.common.worker.Reloader` does: on a queue event,
at most one reload in flight and one more if events came meanwhile, and a poll only after a quiet
interval (the panel's and the board's own `POLL_MS`). Running them in their own process keeps their
work from queueing on the GIL of the process that measures the calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as ProcessEvent
from typing import Any

from counter_app.events import OfficeEvent, QueueChanged
from counter_app.lan.office import LanOffice
from ui.desk.queue_panel import OTHER_COUNTERS_OWN_STEPS
from ui.desk.queue_panel import POLL_MS as PANEL_POLL_MS
from ui.hall.board import POLL_MS as BOARD_POLL_MS


class Screen(threading.Thread):
    def __init__(self, office: LanOffice, load: Callable[[], Any], poll_ms: int, stop: threading.Event,
                 counter_no: int | None = None) -> None:
        super().__init__(daemon=True)
        self.load, self.poll_s, self.stop, self.counter_no = load, poll_ms / 1000, stop, counter_no
        self.reloads = self.failures = 0
        self._dirty = threading.Event()
        office.subscribe(self._on_event)

    def _on_event(self, event: OfficeEvent) -> None:
        if not isinstance(event, QueueChanged):
            return
        if self.counter_no is None or event.counter_no == self.counter_no or event.step not in OTHER_COUNTERS_OWN_STEPS:
            self._dirty.set()  # as QueuePanel._on_event decides

    def run(self) -> None:
        while not self.stop.is_set():
            self._dirty.wait(self.poll_s)  # an event, or a quiet interval
            self._dirty.clear()
            try:
                self.load()
                self.reloads += 1
            except Exception:  # the hub busy past the client's retries: counted, as a screen shows it
                self.failures += 1


def _board_load(office: LanOffice) -> Callable[[], Any]:
    last = [0]

    def load() -> Any:
        calls = office.calls_since(last[0])
        if calls:
            last[0] = calls[-1].id
        return calls, office.queue_status()

    return load


def run_screens(url: str, tokens: dict[str, str], counters: int, boards: list[str], stop: ProcessEvent,
                ready: ProcessEvent, out: Queue, fingerprint: str = "") -> None:
    """A queue panel for counters 1..N and the named boards, until `stop`; puts (reloads, failures) on `out`."""
    halt = threading.Event()
    offices, screens = [], []
    for no in range(1, counters + 1):
        office = LanOffice(url, tokens[f"quay-{no}"], fingerprint=fingerprint)
        screens.append(Screen(office, lambda o=office, n=no: o.counter_queue(n), PANEL_POLL_MS, halt, no))
        offices.append(office)
    for name in boards:
        office = LanOffice(url, tokens[name], fingerprint=fingerprint)
        screens.append(Screen(office, _board_load(office), BOARD_POLL_MS, halt))
        offices.append(office)
    for screen in screens:
        screen.start()
    ready.set()
    stop.wait()
    halt.set()
    for screen in screens:
        screen.join(timeout=10)
    for office in offices:
        office.close()
    out.put((sum(s.reloads for s in screens), sum(s.failures for s in screens)))
