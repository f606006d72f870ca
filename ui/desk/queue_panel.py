"""The counter's queue panel in the clerk app: the current ticket, the steps, the waiting list.

Every step has a function key (shown in its tooltip); double-clicking a waiting ticket calls it
out of turn, double-clicking a held one calls it back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import OfficeError
from counter_app.events import OfficeEvent, QueueChanged
from counter_app.office import Office
from counter_app.rules.display import fmt_clock, fmt_minutes
from counter_app.views.queue import CounterQueue, TicketView
from ui.common.messages import error_text
from ui.common.worker import Reloader, Runner, follow_events

log = logging.getLogger(__name__)

PRIORITY_BG = QColor("#fff0d9")
POLL_MS = 3000
# Steps that change only the current ticket of the counter taking them: the waiting and held lists
# and the figures of every other counter's panel stay as they were, so those panels do not reload.
OTHER_COUNTERS_OWN_STEPS = frozenset({"recall", "serve", "finish"})

# (name, label, key) in the order of the buttons
STEPS = (
    ("next", "Gọi số tiếp theo", "F5"),
    ("recall", "Gọi lại", "F6"),
    ("serve", "Bắt đầu phục vụ", "F7"),
    ("finish", "Hoàn thành", "F8"),
    ("no_show", "Vắng mặt", "F9"),
    ("transfer", "Chuyển…", "F10"),
    ("hold", "Tạm giữ", "F11"),
)


class QueuePanel(QWidget):
    def __init__(self, office: Office, counter_no: int, actor: str,
                 dossier_codes: Callable[[], list[str]] | None = None) -> None:
        super().__init__()
        self.office = office
        self.counter_no = counter_no
        self.actor = actor
        self.dossier_codes = dossier_codes or (lambda: [])
        self.runner = Runner(self)
        self.state: CounterQueue | None = None
        self.setObjectName("queuePanel")

        self.title = QLabel(f"<b>Quầy số {counter_no}</b>")
        self.current_label = QLabel("—")
        self.current_label.setObjectName("currentTicket")
        self.current_label.setStyleSheet("font-size: 40px; font-weight: 700; color: #1d70b8;")
        self.current_detail = QLabel(wordWrap=True)
        self.message = QLabel(wordWrap=True)
        self.message.setStyleSheet("color: #b3261e;")

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, (name, label, key) in enumerate(STEPS):
            button = QPushButton(f"{label}  [{key}]")
            button.setToolTip(f"{label} (phím {key})")
            button.setMinimumHeight(36)
            grid.addWidget(button, i // 2, i % 2)
            self.buttons[name] = button
            QShortcut(QKeySequence(key), self, activated=lambda n=name: self.step(n),
                      context=Qt.ShortcutContext.WindowShortcut)
            if name != "transfer":
                button.clicked.connect(lambda _=False, n=name: self.step(n))
        self.transfer_menu = QMenu(self)
        self.buttons["transfer"].setMenu(self.transfer_menu)

        self.waiting = QListWidget()
        self.waiting.setToolTip("Nhấp đúp vào một vé để gọi ngay (ngoài thứ tự)")
        self.waiting.itemDoubleClicked.connect(self._call_item)
        self.held = QListWidget()
        self.held.setMaximumHeight(90)
        self.held.setToolTip("Vé tạm giữ: nhấp đúp để gọi lại")
        self.held.itemDoubleClicked.connect(self._call_item)
        self.counts = QLabel()

        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.current_label)
        box.addWidget(self.current_detail)
        box.addLayout(grid)
        box.addWidget(self.message)
        box.addWidget(QLabel("Đang chờ (vé ưu tiên tô màu cam):"))
        box.addWidget(self.waiting, 1)
        box.addWidget(QLabel("Tạm giữ:"))
        box.addWidget(self.held)
        box.addWidget(self.counts)

        self._unsubscribe = follow_events(self, office, self._on_event)
        self.reloader = Reloader(self.runner, lambda: partial(self.office.counter_queue, self.counter_no), self._show,
                                 self._load_failed, poll_ms=POLL_MS)
        self.reloader.start_polling()
        self._build_transfer_menu()
        self.refresh()

    def _build_transfer_menu(self) -> None:
        try:
            info = self.office.info()
        except OfficeError as exc:
            self.message.setText(exc.message_vi)
            return
        self.transfer_menu.clear()
        for lane in info.lanes:
            action = QAction(f"Sang lĩnh vực {lane['prefix']} · {lane['name']}", self)
            action.triggered.connect(lambda _=False, p=lane["prefix"]: self._run(
                partial(self.office.transfer_ticket, self.counter_no, actor=self.actor, to_lane=p)))
            self.transfer_menu.addAction(action)
        self.transfer_menu.addSeparator()
        for counter in info.counters:
            if counter["number"] == self.counter_no:
                continue
            action = QAction(f"Sang {counter['name']}", self)
            action.triggered.connect(lambda _=False, n=counter["number"]: self._run(
                partial(self.office.transfer_ticket, self.counter_no, actor=self.actor, to_counter=n)))
            self.transfer_menu.addAction(action)

    # --- actions
    def step(self, name: str) -> None:
        if name == "transfer":
            if self.buttons["transfer"].isEnabled():
                self.buttons["transfer"].showMenu()
            return
        if not self.buttons[name].isEnabled():
            return
        office, n, actor = self.office, self.counter_no, self.actor
        codes = self.dossier_codes() if name == "finish" else []  # read here: the call runs on the worker thread
        calls = {
            "next": lambda: office.call_next(n, actor=actor),
            "recall": lambda: office.recall(n, actor=actor),
            "serve": lambda: office.start_serving(n, actor=actor),
            "finish": lambda: office.finish_ticket(n, actor=actor, dossier_codes=codes),
            "no_show": lambda: office.no_show(n, actor=actor),
            "hold": lambda: office.hold_ticket(n, actor=actor),
        }
        self._run(calls[name], empty_message="Không còn ai đang chờ ở các lĩnh vực của quầy này."
                  if name == "next" else "")

    def _call_item(self, item: QListWidgetItem) -> None:
        label = item.data(Qt.ItemDataRole.UserRole)
        self._run(partial(self.office.call_ticket, self.counter_no, label, actor=self.actor))

    def _run(self, fn: Callable[[], TicketView | None], empty_message: str = "") -> None:
        for button in self.buttons.values():
            button.setEnabled(False)
        self.message.setText("")

        def done(result: TicketView | None) -> None:
            if result is None and empty_message:
                self.message.setText(empty_message)
            self.refresh()

        def failed(exc: Exception) -> None:
            self.message.setText(error_text(exc))
            self.refresh()

        self.runner.run(fn, done, failed)

    # --- showing
    def refresh(self) -> None:
        self.reloader.request()

    def _load_failed(self, exc: Exception) -> None:
        self.message.setText(exc.message_vi if isinstance(exc, OfficeError) else
                             "Mất kết nối với máy chủ một cửa; đang thử lại…")

    def _on_event(self, event: OfficeEvent) -> None:
        if isinstance(event, QueueChanged) and (event.counter_no == self.counter_no
                                                or event.step not in OTHER_COUNTERS_OWN_STEPS):
            self.refresh()

    def _show(self, state: CounterQueue) -> None:
        self.state = state
        self.title.setText(f"<b>{state.counter_name}</b> · lĩnh vực {', '.join(state.lanes)}")
        current = state.current
        if current is None:
            self.current_label.setText("—")
            self.current_detail.setText("Chưa có vé nào đang được gọi.")
        else:
            self.current_label.setText(current.label)
            parts = [current.state_label, current.lane_name]
            if current.priority:
                parts.append(f"ưu tiên: {current.priority_label}")
            if current.recalls and current.state == "called":
                parts.append(f"đã gọi lại {current.recalls}/{state.recalls_before_no_show} lần")
            parts.append(f"lấy số lúc {fmt_clock(current.issued_at)}")
            if current.wait_s is not None:
                parts.append(f"chờ {fmt_minutes(current.wait_s)}")
            self.current_detail.setText(" · ".join(parts))
        self._fill(self.waiting, state.waiting)
        self._fill(self.held, state.held)
        self.counts.setText(f"Hôm nay: đã phục vụ {state.served_today} · vắng mặt {state.no_show_today} · "
                            f"đang chờ {state.waiting_total}")
        kind = current.state if current else None
        may_no_show = kind == "called" and current.recalls >= state.recalls_before_no_show
        enabled = {
            "next": kind is None, "recall": kind == "called", "serve": kind == "called",
            "finish": kind == "serving", "no_show": may_no_show,
            "transfer": kind is not None, "hold": kind is not None,
        }
        for name, button in self.buttons.items():
            button.setEnabled(enabled[name])
        if kind == "called" and not enabled["no_show"]:
            self.buttons["no_show"].setToolTip(
                f"Vắng mặt (phím F9): cần gọi lại đủ {state.recalls_before_no_show} lần trước")
        else:
            self.buttons["no_show"].setToolTip("Vắng mặt (phím F9)")

    @staticmethod
    def _fill(widget: QListWidget, tickets: list[TicketView]) -> None:
        widget.clear()
        for t in tickets:
            mark = "★ " if t.priority else ""
            extra = f" · {t.priority_label}" if t.priority else ""
            moved = " · chuyển đến" if t.transfers else ""
            item = QListWidgetItem(f"{mark}{t.label} · {t.lane_name} · {fmt_clock(t.issued_at)}{extra}{moved}")
            item.setData(Qt.ItemDataRole.UserRole, t.label)
            if t.priority:
                item.setBackground(QBrush(PRIORITY_BG))
            widget.addItem(item)

    def shutdown(self) -> None:
        self.reloader.stop()
        self._unsubscribe()
        self.runner.wait()
