"""Run office calls off the GUI thread and deliver the result (or the error) back on it."""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import types
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


class QtObjectInCall(TypeError):
    """A background call reaches a Qt object: bind the values it needs before asking (see `Runner.run`)."""


def _qt_objects_reached(fn: object, depth: int = 0) -> list[str]:
    """Qt objects `fn` would touch from the worker thread: through its closure, its bound self, its
    defaults or a `functools.partial`'s arguments (two levels deep, which is where lambdas hide them)."""
    if isinstance(fn, shiboken6.Shiboken.Object):
        return [type(fn).__name__]
    if depth > 2:
        return []
    inner: list[object] = []
    if isinstance(fn, functools.partial):
        inner = [fn.func, *fn.args, *fn.keywords.values()]
    elif isinstance(fn, types.MethodType | types.BuiltinMethodType):
        inner = [fn.__self__, getattr(fn, "__func__", None)]
    elif isinstance(fn, types.FunctionType):
        inner = [cell.cell_contents for cell in fn.__closure__ or () if _filled(cell)]
        inner += list(fn.__defaults__ or ()) + list((fn.__kwdefaults__ or {}).values())
    found: list[str] = []
    for item in inner:
        if isinstance(item, shiboken6.Shiboken.Object | functools.partial | types.MethodType | types.BuiltinMethodType
                      | types.FunctionType):
            found += _qt_objects_reached(item, depth + 1)
    return found


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (an empty cell raises)
    except ValueError:
        return False
    return True


class _Call:
    """What the worker thread holds: a call of plain data and its outcome. The callbacks that reach the
    screen stay with the Runner on the GUI thread, so the worker never holds the last reference to them."""

    __slots__ = ("fn", "outcome")

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.outcome: tuple[bool, Any] = (False, None)

    def perform(self) -> None:
        try:
            self.outcome = (True, self.fn())
        except Exception as exc:  # delivered to the screen, which shows it in Vietnamese
            log.warning("background office call failed: %s", exc)
            self.outcome = (False, exc.with_traceback(None))
        self.fn = None  # type: ignore[assignment]


class _SerialThread:
    """Runs calls one after another on a thread started when work comes and ended when there is none.

    Plain Python on purpose: the thread must hold no reference to a Qt object.
    """

    def __init__(self, key: int) -> None:
        self.key = key
        self._calls: deque[tuple[int, _Call]] = deque()
        self._idle = threading.Condition()
        self._running = False

    def submit(self, number: int, call: _Call) -> None:
        with self._idle:
            self._calls.append((number, call))
            if not self._running:
                self._running = True
                threading.Thread(target=self._work, name="office-call", daemon=True).start()

    def _work(self) -> None:
        while True:
            with self._idle:
                if not self._calls:
                    self._running = False
                    self._idle.notify_all()
                    return
                number, call = self._calls.popleft()
            call.perform()
            gui_thread.post(self.key, (number, call.outcome))
            del call

    def wait(self, seconds: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: not self._running, seconds)


class Runner(QObject):
    """Runs a screen's office calls one at a time on a thread of its own and answers on the GUI thread.

    One call at a time keeps answers in the order asked. The thread gets only the call, which must
    hold plain data (the office and values read from the screen when asking; `run` refuses a call
    that reaches a Qt object), and hands back a number and the outcome (see `ui.common.gui_thread`):
    the callbacks and the screen they reach stay with the GUI thread. Answers for a screen already
    deleted are dropped.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._waiting: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None]]] = {}
        self._numbers = itertools.count(1)
        key = gui_thread.register(self._deliver)
        self._thread = _SerialThread(key)
        self.destroyed.connect(lambda _obj=None: gui_thread.unregister(key))

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> None:
        """Run `fn` on the worker thread, then `on_done(result)` or `on_error(exc)` on the GUI thread.

        Read what `fn` needs from the screen first (`office, n = self.office, self.counter_no`, then
        `lambda: office.counter_queue(n)`): a call that reaches a widget would touch it from the worker
        thread, or drop the last reference to it there, and that can kill the process.
        """
        reached = _qt_objects_reached(fn)
        if reached:
            raise QtObjectInCall(f"a background call reaches Qt objects ({', '.join(reached)}); "
                                 "bind plain values before asking")
        number = next(self._numbers)
        self._waiting[number] = (on_done, on_error)
        self._thread.submit(number, _Call(fn))

    def _deliver(self, answer: tuple[int, tuple[bool, Any]]) -> None:
        number, (ok, value) = answer
        callbacks = self._waiting.pop(number, None)
        if callbacks is None or not shiboken6.isValid(self):
            return
        on_done, on_error = callbacks
        (on_done if ok else on_error)(value)

    def wait(self, msecs: int = 5000) -> bool:
        """Until every call asked so far has run; their answers arrive with the next event processing."""
        return self._thread.wait(msecs / 1000)


class Reloader(QObject):
    """One screen's reload, run on its Runner: at most one in flight, and one more if asked meanwhile.

    Office events come in bursts (a call, its serve and finish; ten counters at once) and every
    panel and board reloads on each. Reloads asked while one runs fold into a single next one, and
    the safety-net poll (for changes made by another process on the same store, which raise no
    event here) runs only when nothing has reloaded for `poll_ms`. `prepare` runs on the GUI thread
    when a reload starts (so it reads the screen's state then, not when the reload was asked for)
    and returns the plain call the Runner's thread makes.
    """

    def __init__(self, runner: Runner, prepare: Callable[[], Callable[[], Any]], on_done: Callable[[Any], None],
                 on_error: Callable[[Exception], None], *, poll_ms: int) -> None:
        super().__init__(runner)
        self.runner, self.prepare, self.on_done, self.on_error = runner, prepare, on_done, on_error
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
        self.runner.run(self.prepare(), lambda result: self._finished(self.on_done, result),
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
