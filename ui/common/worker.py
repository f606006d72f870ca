"""Run office calls off the GUI thread and deliver the result (or the error) back on it."""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog

from counter_app.events import OfficeEvent
from counter_app.office import Office
from ui.common import gui_thread

log = logging.getLogger(__name__)


class _Job:
    """One office call: the worker thread sets `outcome`; the GUI thread owns the job and its callbacks."""

    __slots__ = ("fn", "on_done", "on_error", "outcome")

    def __init__(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[Exception], None]) -> None:
        self.fn, self.on_done, self.on_error = fn, on_done, on_error
        self.outcome: tuple[bool, Any] = (False, None)

    def perform(self) -> None:
        try:
            self.outcome = (True, self.fn())
        except Exception as exc:  # delivered to the screen, which shows it in Vietnamese
            log.warning("background office call failed: %s", exc)
            self.outcome = (False, exc)


class _SerialThread:
    """Runs jobs one after another on a thread started when work comes and ended when there is none.

    Plain Python on purpose: the thread must hold no reference to a Qt object.
    """

    def __init__(self, key: int) -> None:
        self.key = key
        self._jobs: deque[tuple[int, _Job]] = deque()
        self._idle = threading.Condition()
        self._running = False

    def submit(self, number: int, job: _Job) -> None:
        with self._idle:
            self._jobs.append((number, job))
            if not self._running:
                self._running = True
                threading.Thread(target=self._work, name="office-call", daemon=True).start()

    def _work(self) -> None:
        while True:
            with self._idle:
                if not self._jobs:
                    self._running = False
                    self._idle.notify_all()
                    return
                number, job = self._jobs.popleft()
            job.perform()
            del job  # the GUI thread drops the last reference, and with it the screen's callbacks
            gui_thread.post(self.key, number)

    def wait(self, seconds: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: not self._running, seconds)


class Runner(QObject):
    """Runs a screen's office calls one at a time on a thread of its own and answers on the GUI thread.

    One call at a time keeps answers in the order asked. The thread holds a job only while it runs
    it and hands back just a number (see `ui.common.gui_thread`): the job, its callbacks and the screen
    they reach stay with the GUI thread. Answers for a screen already deleted are dropped.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._jobs: dict[int, _Job] = {}
        self._numbers = itertools.count(1)
        key = gui_thread.register(self._deliver)
        self._thread = _SerialThread(key)
        self.destroyed.connect(lambda _obj=None: gui_thread.unregister(key))

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> None:
        number = next(self._numbers)
        job = self._jobs[number] = _Job(fn, on_done, on_error)
        self._thread.submit(number, job)

    def _deliver(self, number: int) -> None:
        job = self._jobs.pop(number, None)
        if job is None or not shiboken6.isValid(self):
            return
        ok, value = job.outcome
        (job.on_done if ok else job.on_error)(value)

    def wait(self, msecs: int = 5000) -> bool:
        """Until every call asked so far has run; their answers arrive with the next event processing."""
        return self._thread.wait(msecs / 1000)


class Reloader(QObject):
    """One screen's reload, run on its Runner: at most one in flight, and one more if asked meanwhile.

    Office events come in bursts (a call, its serve and finish; ten counters at once) and every
    panel and board reloads on each. Reloads asked while one runs fold into a single next one, and
    the safety-net poll (for changes made by another process on the same store, which raise no
    event here) runs only when nothing has reloaded for `poll_ms`. `load` runs on the Runner's
    thread and reads the screen's state when it starts, not when it was asked for.
    """

    def __init__(self, runner: Runner, load: Callable[[], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[Exception], None], *, poll_ms: int) -> None:
        super().__init__(runner)
        self.runner, self.load, self.on_done, self.on_error = runner, load, on_done, on_error
        self.busy = False
        self._again = False
        self._timer = QTimer(self, interval=poll_ms, timeout=self._poll)

    def request(self) -> None:
        if self.busy:
            self._again = True
        else:
            self._start()

    def start_polling(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._again = False

    def _poll(self) -> None:
        if not self.busy:
            self._start()

    def _start(self) -> None:
        self.busy, self._again = True, False
        if self._timer.isActive():
            self._timer.start()  # the next poll is a full interval after this reload
        self.runner.run(self.load, lambda result: self._finished(self.on_done, result),
                        lambda exc: self._finished(self.on_error, exc))

    def _finished(self, show: Callable[[Any], None], answer: Any) -> None:
        self.busy = False
        show(answer)
        if self._again:
            self._start()


def follow_events(owner: QObject, office: Office, handler: Callable[[OfficeEvent], None]) -> Callable[[], None]:
    """Call `handler` on the GUI thread with each event `office` announces, until the returned stop is
    called or `owner` is destroyed.

    Events arrive on whichever thread made the change; the office only ever holds the delivery key.
    """
    key = gui_thread.register(handler)
    unsubscribe = office.subscribe(lambda event: gui_thread.post(key, event))

    def stop() -> None:
        unsubscribe()
        gui_thread.unregister(key)

    owner.destroyed.connect(lambda _obj=None: stop())
    return stop


def refresh_while_open(dialog: QDialog, office: Office, kind: type[OfficeEvent], refresh: Callable[[], None]) -> None:
    """Call `refresh` on the GUI thread whenever `office` announces a `kind` event, until `dialog` closes."""
    stop = follow_events(dialog, office, lambda event: refresh() if isinstance(event, kind) else None)
    dialog.finished.connect(lambda _code: stop())
