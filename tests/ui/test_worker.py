"""Background office calls and office events reach screens on the GUI thread, and never a deleted one."""

from __future__ import annotations

import functools
import gc
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QThread
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from counter_app.events import EventBus, QueueChanged
from ui.common.worker import QtObjectInCall, Runner, follow_events

EVENT = QueueChanged(label="A001", state="waiting", step="issue")


class _Screen(QWidget):
    def __init__(self, bus: EventBus) -> None:
        super().__init__()
        self.label = QLabel(self)
        self.runner = Runner(self)
        self.answers: list[object] = []
        self.events = 0
        self.threads: set[QThread] = set()
        self.stop_events = follow_events(self, bus, self._on_event)

    def _on_event(self, _event: object) -> None:
        self.events += 1
        self.threads.add(QThread.currentThread())
        self.label.setText(str(self.events))

    def answer(self, value: object) -> None:
        self.threads.add(QThread.currentThread())
        self.answers.append(value)
        self.label.setText(str(value))


def test_answers_come_in_order_on_the_gui_thread_and_errors_too(qtbot):
    screen = _Screen(EventBus())
    qtbot.addWidget(screen)
    worker_threads: set[int] = set()

    def call(i: int) -> int:
        worker_threads.add(threading.get_ident())
        if i == 3:
            raise ValueError("hub said no")
        return i

    for i in range(6):
        screen.runner.run(lambda i=i: call(i), screen.answer, lambda exc: screen.answer(str(exc)))
    assert screen.runner.wait()
    qtbot.waitUntil(lambda: len(screen.answers) == 6, timeout=5000)
    assert screen.answers == [0, 1, 2, "hub said no", 4, 5]
    assert screen.threads == {QApplication.instance().thread()}
    assert threading.get_ident() not in worker_threads


def test_events_from_other_threads_arrive_on_the_gui_thread_until_stopped(qtbot):
    bus = EventBus()
    screen = _Screen(bus)
    qtbot.addWidget(screen)
    senders = [threading.Thread(target=lambda: [bus.publish(EVENT) for _ in range(50)]) for _ in range(4)]
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    qtbot.waitUntil(lambda: screen.events == 200, timeout=5000)
    assert screen.threads == {QApplication.instance().thread()}
    screen.stop_events()
    bus.publish(EVENT)
    late = threading.Thread(target=bus.publish, args=(EVENT,))
    late.start()
    late.join()
    qtbot.wait(100)
    assert screen.events == 200


def test_screens_deleted_while_their_calls_and_events_are_on_the_way(qtbot):
    """Screens come and go while workers answer and events fly; late answers are dropped, nothing crashes."""
    bus = EventBus()
    stop = threading.Event()

    def publish() -> None:
        while not stop.is_set():
            bus.publish(EVENT)
            time.sleep(0.0005)

    publisher = threading.Thread(target=publish)
    publisher.start()
    answered = []
    try:
        for _ in range(60):
            screen = _Screen(bus)
            for i in range(20):
                screen.runner.run(lambda i=i: (time.sleep(0.0002), i)[1], answered.append, answered.append)
            QApplication.processEvents()
            screen.deleteLater()  # mid-flight: most answers are still to come
            QApplication.processEvents()
            del screen
            gc.collect()
        qtbot.wait(300)
    finally:
        stop.set()
        publisher.join()
    assert all(isinstance(a, int) for a in answered)
    assert len(answered) < 60 * 20  # answers to deleted screens were dropped, not delivered
    live = _Screen(bus)
    qtbot.addWidget(live)
    live.runner.run(lambda: "still working", live.answer, live.answer)
    qtbot.waitUntil(lambda: live.answers == ["still working"], timeout=5000)


def test_a_call_that_reaches_a_widget_is_refused_before_it_runs(qtbot):
    """Worker threads get plain data only: a call that would read a widget there is a programming error."""
    screen = _Screen(EventBus())
    qtbot.addWidget(screen)
    ran: list[str] = []
    refused = [
        lambda: ran.append(screen.label.text()),  # reads a widget on the worker thread
        functools.partial(ran.append, screen.label),  # hands one to it
        screen.label.text,  # a widget's own method
        lambda: (lambda: ran.append(str(screen)))(),  # hidden one level down
    ]
    for call in refused:
        with pytest.raises(QtObjectInCall):
            screen.runner.run(call, screen.answer, screen.answer)
    text = screen.label.text()
    screen.runner.run(functools.partial(ran.append, text), screen.answer, screen.answer)
    qtbot.waitUntil(lambda: screen.answers == [None], timeout=5000)
    assert ran == [text]


def test_the_screens_callbacks_are_let_go_on_the_gui_thread_even_when_it_closes_mid_call(qtbot):
    """The worker holds the call and its outcome, never the callbacks: a screen closed while its call runs
    is let go by the GUI thread, so no widget wrapper is ever freed on a worker thread."""
    started, release = threading.Event(), threading.Event()
    dropped_on: list[int] = []

    class Witness:  # stands for the screen the callbacks reach
        def __del__(self) -> None:
            dropped_on.append(threading.get_ident())

    def call() -> int:
        started.set()
        release.wait(5)
        return 1

    screen = _Screen(EventBus())
    witness = Witness()
    screen.runner.run(call, lambda _v, w=witness: None, lambda _e, w=witness: None)
    runner = weakref.ref(screen.runner)
    del witness
    assert started.wait(5)
    screen.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del screen
    gc.collect()
    assert runner() is None  # the screen and its runner are gone; its call is still running
    release.set()
    qtbot.wait(200)
    gc.collect()
    assert dropped_on == [threading.get_ident()]


def _gc_probe(mode: str) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, str(Path(__file__).with_name("gc_probe.py")), mode], env=env,
                          capture_output=True, text=True, timeout=60, cwd=root)


def test_garbage_holding_qt_objects_is_freed_on_the_gui_thread():
    """Python collects on whichever thread allocates: without the GUI-thread collector a worker frees Qt objects
    whose timers then fire into freed memory (CI's segmentation faults); with it, the GUI thread frees them."""
    bare = _gc_probe("none")
    assert bare.returncode == -signal.SIGSEGV or bare.stdout.strip() == "freed on worker", bare.returncode
    guarded = _gc_probe("collector")
    assert (guarded.returncode, guarded.stdout.strip()) == (0, "freed on gui 20"), guarded.stderr[-500:]
