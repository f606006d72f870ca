"""Run office calls off the GUI thread and deliver the result (or the error) back on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QDialog

from counter_app.events import OfficeEvent
from counter_app.office import Office

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the screen, which shows it in Vietnamese
            log.warning("background office call failed: %s", exc)
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class Runner(QObject):
    """Owns the relays so their signals reach slots on the GUI thread (queued connections)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one reader at a time keeps results in order
        self._relays: set[_Relay] = set()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> None:
        relay = _Relay()
        self._relays.add(relay)
        relay.done.connect(on_done)
        relay.failed.connect(on_error)
        relay.done.connect(lambda _=None, r=relay: self._relays.discard(r))
        relay.failed.connect(lambda _=None, r=relay: self._relays.discard(r))
        self._pool.start(_Job(fn, relay))

    def wait(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)


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
        self.runner.run(self.load, self._done, self._failed)

    def _done(self, result: Any) -> None:
        self.busy = False
        self.on_done(result)
        if self._again:
            self._start()

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.on_error(exc)
        if self._again:
            self._start()


class _Changed(QObject):
    changed = Signal()


def refresh_while_open(dialog: QDialog, office: Office, kind: type[OfficeEvent], refresh: Callable[[], None]) -> None:
    """Call `refresh` on the GUI thread whenever `office` announces a `kind` event, until `dialog` closes.

    Events arrive on whichever thread made the change; the signal carries them over to the GUI thread.
    """
    bridge = _Changed(dialog)
    bridge.changed.connect(refresh)
    unsubscribe = office.subscribe(lambda event: bridge.changed.emit() if isinstance(event, kind) else None)
    dialog.finished.connect(lambda _code: unsubscribe())
