"""Carry work results and office events from other threads to the GUI thread, without touching widgets there.

Office calls run on worker threads and office events arrive on whichever thread made the change
(or on the LAN client's event stream). Emitting a screen's own signal from those threads, or
letting a worker drop the last reference to a screen's objects, races the GUI thread deleting
that screen: PySide then tears Qt objects down on the wrong thread and the process can die
with a segmentation fault. So the other threads only ever hold an integer key and plain data:
they put (key, payload) on one queue and wake one application-lifetime object, and the GUI
thread looks the key up in tables only it changes. A key whose owner is gone is dropped.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]

_keys = itertools.count(1)
_handlers: dict[int, Handler] = {}  # changed on the GUI thread only
_inbox: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
_wake_lock = threading.Lock()
_wake_pending = False
_gui_ident: int | None = None


class _Waker(QObject):
    """Lives as long as the application, so other threads may emit its signal at any time."""

    wake = Signal()

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.wake.connect(self.drain)

    @Slot()
    def drain(self) -> None:
        global _wake_pending
        with _wake_lock:
            _wake_pending = False
        while True:
            try:
                key, payload = _inbox.get_nowait()
            except queue.Empty:
                return
            _call(key, payload)


_waker: _Waker | None = None


def _call(key: int, payload: Any) -> None:
    handler = _handlers.get(key)
    if handler is None:
        return  # its owner has gone: nothing to show the answer on
    try:
        handler(payload)
    except RuntimeError as exc:  # a widget deleted without closing its subscriptions
        log.warning("dropped a delivery to a closed screen: %s", exc)
        _handlers.pop(key, None)


def install() -> None:
    """Set up delivery; call on the GUI thread once the QApplication exists (done by `register`)."""
    global _waker, _gui_ident
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("the Qt application must exist before office calls are run in the background")
    if _waker is None or not shiboken6.isValid(_waker):
        _waker = _Waker(app)
        _gui_ident = threading.get_ident()


def register(handler: Handler) -> int:
    """A key that other threads may `post` to; `handler` then runs on the GUI thread. GUI thread only."""
    install()
    key = next(_keys)
    _handlers[key] = handler
    return key


def unregister(key: int) -> None:
    """Deliveries to `key` still on their way are dropped. GUI thread only."""
    _handlers.pop(key, None)


def post(key: int, payload: Any) -> None:
    """From any thread: run the handler of `key` with `payload` on the GUI thread (at once if already on it)."""
    global _wake_pending
    if threading.get_ident() == _gui_ident:
        _call(key, payload)
        return
    _inbox.put((key, payload))
    with _wake_lock:
        if _wake_pending:
            return
        _wake_pending = True
    waker = _waker
    if waker is not None:
        waker.wake.emit()
