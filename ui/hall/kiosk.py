"""The touch kiosk: an idle screen, big lane buttons, a priority choice, and the ticket shown and printed.

No keyboard is needed and nothing a citizen touches closes it (staff close it with
Ctrl+Shift+Q). A failure shows a short Vietnamese apology and returns to the start; it is
never a dialog the citizen must dismiss.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import NotFound, OfficeError
from counter_app.office import Office
from counter_app.rules.clock import now
from counter_app.rules.display import fmt_clock, fmt_date_long, fmt_datetime
from counter_app.rules.queue import PRIORITY_LABELS
from counter_app.views.dossiers import PublicStatus
from counter_app.views.printing import PrintRequest
from counter_app.views.queue import QueueStatus, TicketView
from printers.spool import Spool
from ui.common import collector
from ui.common.worker import Runner
from ui.hall.public_screen import PublicScreen

log = logging.getLogger(__name__)

IDLE_AFTER_MS = 45_000
TICKET_SHOWN_MS = 12_000
SORRY = "Xin lỗi, hiện chưa lấy được số. Vui lòng liên hệ bàn hướng dẫn."

STYLE = """
#kiosk { background: #f4f7fb; }
QLabel { color: #0b2545; }
#title { font-size: 36px; font-weight: 700; }
#subtitle { font-size: 26px; color: #3c5a80; }
#idleHint { font-size: 36px; font-weight: 600; color: #ffffff; background: #1d70b8; border-radius: 18px;
            padding: 28px; }
#clock { font-size: 30px; color: #3c5a80; }
QPushButton#lane { background: #1d70b8; border: none; border-radius: 18px; }
#laneName { font-size: 34px; font-weight: 700; color: #ffffff; }
#laneExamples { font-size: 20px; color: #dbe8f5; }
#laneWaiting { font-size: 20px; font-weight: 600; color: #ffffff; }
QPushButton#back { font-size: 24px; padding: 12px 24px; background: #e3ebf5; border: none; border-radius: 12px; }
QPushButton#lane:pressed { background: #134e80; }
QPushButton#lane:disabled { background: #8aa9c8; }
#priorityBox { background: #fff4e5; border: 3px solid #f08c00; border-radius: 16px; }
#priorityTitle { font-size: 26px; font-weight: 700; color: #a15c00; }
QPushButton#priority { font-size: 21px; color: #7a4500; background: #ffffff; border: 3px solid #f08c00;
                       border-radius: 12px; padding: 12px; }
QPushButton#priority:checked { background: #f08c00; color: #ffffff; }
#ticketNumber { font-size: 150px; font-weight: 800; color: #1d70b8; }
#ticketLane { font-size: 40px; font-weight: 700; }
#ticketPriority { font-size: 32px; font-weight: 700; color: #ffffff; background: #f08c00; border-radius: 10px;
                  padding: 6px 18px; }
#ticketInfo { font-size: 30px; }
#error { font-size: 30px; color: #b3261e; font-weight: 600; }
QPushButton#done { font-size: 28px; padding: 16px 40px; background: #e3ebf5; border: none; border-radius: 14px; }
"""


class _IdlePage(QWidget):
    def __init__(self, on_touch: Callable[[], None]) -> None:
        super().__init__()
        self.on_touch = on_touch

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.on_touch()
        event.accept()


class _LaneButton(QPushButton):
    """A lane as a big button: its name, and under it a few of the procedures it takes."""

    def __init__(self, name: str, examples: str) -> None:
        super().__init__(objectName="lane")
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)  # rows share the height
        box = QVBoxLayout(self)  # its minimum (all three lines) is the button's minimum
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(4)
        self.waiting = QLabel(objectName="laneWaiting", alignment=Qt.AlignmentFlag.AlignCenter)
        box.addStretch(1)
        for text, object_name in ((name, "laneName"), (examples, "laneExamples")):
            if text:
                box.addWidget(QLabel(text, objectName=object_name, wordWrap=True,
                                     alignment=Qt.AlignmentFlag.AlignCenter))
        box.addWidget(self.waiting)
        box.addStretch(1)
        for label in self.findChildren(QLabel):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)

    def set_waiting(self, waiting: int) -> None:
        self.waiting.setText(f"{waiting} người đang chờ")

    def text(self) -> str:  # what a screen reader (and a test) reads: the name, then how many wait
        return f"{self.accessibleName()}\n{self.waiting.text()}".strip()


class KioskWindow(PublicScreen):
    def __init__(self, office: Office, *, print_ticket: Callable[[TicketView], None]) -> None:
        super().__init__("kiosk")
        self.office = office
        self.print_ticket = print_ticket
        self.runner = Runner(self)
        self.issued: list[TicketView] = []
        self.setWindowTitle("Lấy số thứ tự")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        info = office.info()

        self.pages = QStackedWidget()
        self.idle_page = self._build_idle(info.name)
        self._landscape = True
        self.choose_page = self._build_choose(info.name, info.lanes)
        self.ticket_page = self._build_ticket()
        self.lookup_page = self._build_lookup()
        for page in (self.idle_page, self.choose_page, self.ticket_page, self.lookup_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self._idle_timer = QTimer(self, singleShot=True, interval=IDLE_AFTER_MS, timeout=self.show_idle)
        self._clock = QTimer(self, interval=1000, timeout=self._tick)
        self._status_timer = QTimer(self, interval=5000, timeout=self._refresh_counts)
        self._tick()
        self._clock.start()
        self._status_timer.start()
        self.show_idle()

    # --- pages
    def _build_idle(self, office_name: str) -> QWidget:
        page = _IdlePage(self.show_choose)
        box = QVBoxLayout(page)
        box.setContentsMargins(80, 60, 80, 60)
        box.addWidget(QLabel(office_name.upper(), objectName="title", alignment=Qt.AlignmentFlag.AlignCenter,
                             wordWrap=True))
        box.addWidget(QLabel("Bộ phận Tiếp nhận và Trả kết quả", objectName="subtitle",
                             alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True))
        box.addStretch(1)
        hint = QLabel("Chạm vào màn hình để lấy số thứ tự", objectName="idleHint",
                      alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        box.addWidget(hint)
        box.addStretch(1)
        self.idle_clock = QLabel(objectName="clock", alignment=Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.idle_clock)
        return page

    def _build_choose(self, office_name: str, lanes: list[dict]) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(48, 28, 48, 28)
        box.setSpacing(18)
        top = QHBoxLayout()
        back = QPushButton("‹ Quay lại", objectName="back")
        back.clicked.connect(self.show_idle)
        top.addWidget(back)
        top.addWidget(QLabel("Mời quý vị chọn lĩnh vực cần giải quyết", objectName="title", wordWrap=True,
                             alignment=Qt.AlignmentFlag.AlignCenter), 1)
        lookup = QPushButton("Tra cứu hồ sơ", objectName="back")
        lookup.clicked.connect(self.show_lookup)
        top.addWidget(lookup)
        box.addLayout(top)

        priority_box = QWidget(objectName="priorityBox")
        priority_box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        pbox = QVBoxLayout(priority_box)
        pbox.addWidget(QLabel("Nếu quý vị thuộc diện ƯU TIÊN, chạm vào một ô dưới đây trước khi chọn lĩnh vực:",
                              objectName="priorityTitle", wordWrap=True))
        self.priority_grid = QGridLayout()
        self.priority_group = QButtonGroup(self)
        self.priority_group.setExclusive(False)
        self.priority_buttons: dict[str, QPushButton] = {}
        for key, label in PRIORITY_LABELS.items():
            button = QPushButton(label, objectName="priority", checkable=True)
            button.setMinimumHeight(64)
            # The columns follow the screen (three in landscape, two in portrait), so the text must not set a
            # minimum width that would keep a portrait kiosk in the landscape flow.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda checked, k=key: self._choose_priority(k, checked))
            self.priority_group.addButton(button)
            self.priority_buttons[key] = button
        pbox.addLayout(self.priority_grid)
        box.addWidget(priority_box)

        self.lane_grid = QGridLayout()
        self.lane_grid.setSpacing(18)
        self.lane_buttons: dict[str, _LaneButton] = {}
        for lane in lanes:
            button = _LaneButton(lane["name"], ", ".join(lane.get("examples", [])))
            button.clicked.connect(lambda _=False, p=lane["prefix"]: self.take_ticket(p))
            self.lane_buttons[lane["prefix"]] = button
        box.addLayout(self.lane_grid, 1)
        self.choose_error = QLabel(objectName="error", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        box.addWidget(self.choose_error)
        self._flow(landscape=True)
        return page

    def _flow(self, *, landscape: bool) -> None:
        """Lanes and priority choices in as many columns as the screen's width allows (landscape or portrait)."""
        lanes, priorities = (3, 3) if landscape else (2, 2)
        for i, button in enumerate(self.lane_buttons.values()):
            self.lane_grid.addWidget(button, i // lanes, i % lanes)
        for i, button in enumerate(self.priority_buttons.values()):
            self.priority_grid.addWidget(button, i // priorities, i % priorities)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        landscape = event.size().width() > event.size().height()
        if landscape != self._landscape:
            self._landscape = landscape
            self._flow(landscape=landscape)

    def _build_ticket(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(60, 40, 60, 40)
        center = Qt.AlignmentFlag.AlignCenter
        box.addWidget(QLabel("Số thứ tự của quý vị", objectName="subtitle", alignment=center))
        self.ticket_number = QLabel(objectName="ticketNumber", alignment=center)
        self.ticket_lane = QLabel(objectName="ticketLane", alignment=center)
        self.ticket_priority = QLabel(objectName="ticketPriority", alignment=center)
        self.ticket_info = QLabel(objectName="ticketInfo", alignment=center, wordWrap=True)
        for widget in (self.ticket_number, self.ticket_lane):
            box.addWidget(widget)
        box.addWidget(self.ticket_priority, 0, center)
        box.addWidget(self.ticket_info)
        box.addStretch(1)
        done = QPushButton("Xong", objectName="done")
        done.clicked.connect(self.show_idle)
        box.addWidget(done, 0, center)
        return page

    def _build_lookup(self) -> QWidget:
        """The receipt's QR held under the scanner shows where the dossier stands, from the office's hub
        (the link to the city may be down): public facts only, the name masked."""
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(48, 28, 48, 28)
        top = QHBoxLayout()
        back = QPushButton("‹ Quay lại", objectName="back")
        back.clicked.connect(self.show_choose)
        top.addWidget(back)
        top.addWidget(QLabel("Tra cứu tình trạng hồ sơ", objectName="title", alignment=Qt.AlignmentFlag.AlignCenter),
                      1)
        box.addLayout(top)
        box.addWidget(QLabel("Xin đưa mã QR trên giấy hẹn vào máy quét.", objectName="subtitle", wordWrap=True,
                             alignment=Qt.AlignmentFlag.AlignCenter))
        self.lookup_input = QLineEdit()  # what the scanner types; no keyboard is offered
        self.lookup_input.setMaximumHeight(2)
        self.lookup_input.setStyleSheet("border: none; background: transparent; color: transparent;")
        self.lookup_input.returnPressed.connect(self._look_up)
        box.addWidget(self.lookup_input)
        self.lookup_result = QLabel(objectName="ticketInfo", wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.lookup_result, 1)
        return page

    def show_lookup(self) -> None:
        self.lookup_result.setText("")
        self.lookup_input.clear()
        self.pages.setCurrentWidget(self.lookup_page)
        self.lookup_input.setFocus()
        self._idle_timer.start(IDLE_AFTER_MS)

    def _look_up(self) -> None:
        scanned = self.lookup_input.text().strip()
        self.lookup_input.clear()
        if not scanned:
            return
        self._idle_timer.start(IDLE_AFTER_MS)
        self.runner.run(partial(self.office.public_status, scanned), self._show_status_of,
                        lambda exc: self.lookup_result.setText(
                            "Không tìm thấy hồ sơ của mã vừa quét. Xin hỏi bàn hướng dẫn."
                            if isinstance(exc, NotFound) else SORRY))

    def _show_status_of(self, seen: PublicStatus) -> None:
        lines = [f"<b>{seen.code}</b>", seen.procedure_name, f"Người nộp: {seen.applicant}",
                 f"Tình trạng: <b>{seen.status_label}</b>"]
        if seen.due_at:
            lines.append(f"Hẹn trả kết quả: <b>{fmt_datetime(seen.due_at)}</b>")
        if seen.reschedule_reason:
            lines.append(f"Đã hẹn lại: {seen.reschedule_reason}")
        if seen.missing:
            lines.append("Cần bổ sung: " + "; ".join(seen.missing))
        if seen.result_ready:
            lines.append("Đã có kết quả: mời quý vị đến quầy trả kết quả.")
        self.lookup_result.setText("<br>".join(lines))

    # --- flow
    def show_idle(self) -> None:
        self._idle_timer.stop()
        self._reset_choice()
        self.pages.setCurrentWidget(self.idle_page)

    def show_choose(self) -> None:
        self._reset_choice()
        self.pages.setCurrentWidget(self.choose_page)
        self._refresh_counts()
        self._idle_timer.start(IDLE_AFTER_MS)

    def _reset_choice(self) -> None:
        for button in self.priority_buttons.values():
            button.setChecked(False)
        self.choose_error.setText("")
        self._set_lanes_enabled(True)

    def _choose_priority(self, key: str, checked: bool) -> None:
        for other, button in self.priority_buttons.items():
            if other != key:
                button.setChecked(False)
        self.priority_buttons[key].setChecked(checked)
        self._idle_timer.start(IDLE_AFTER_MS)

    @property
    def chosen_priority(self) -> str:
        return next((k for k, b in self.priority_buttons.items() if b.isChecked()), "")

    def take_ticket(self, prefix: str) -> None:
        """One press, one ticket: the buttons stay disabled until the office answers."""
        self._set_lanes_enabled(False)
        priority = self.chosen_priority
        self.runner.run(partial(self.office.issue_ticket, lane=prefix, priority=priority, source="kiosk"),
                        self._issued, self._failed)

    def _issued(self, ticket: TicketView) -> None:
        self.issued.append(ticket)
        self.ticket_number.setText(ticket.label)
        self.ticket_lane.setText(ticket.lane_name)
        self.ticket_priority.setVisible(bool(ticket.priority))
        self.ticket_priority.setText(f"ƯU TIÊN · {ticket.priority_label}")
        ahead = ticket.people_ahead or 0
        wait = ticket.estimate.label_vi if ticket.estimate else "không xác định"
        printed = self._print(ticket)
        self.ticket_info.setText(
            f"Có {ahead} người đang chờ trước quý vị.<br>Thời gian chờ dự kiến: <b>{wait}</b>.<br><br>"
            + ("Vui lòng nhận phiếu ở khe máy in bên dưới." if printed
               else "Máy in phiếu đang gặp sự cố: xin ghi nhớ số trên màn hình.")
        )
        self.pages.setCurrentWidget(self.ticket_page)
        self._idle_timer.start(TICKET_SHOWN_MS)

    def _print(self, ticket: TicketView) -> bool:
        try:
            self.print_ticket(ticket)
        except Exception:
            log.exception("printing ticket %s failed", ticket.label)
            return False
        return True

    def _failed(self, exc: Exception) -> None:
        log.warning("kiosk could not issue a ticket: %s", exc)
        detail = f" ({exc.message_vi})" if isinstance(exc, OfficeError) else ""
        self.choose_error.setText(SORRY + detail)
        self._set_lanes_enabled(True)
        self._idle_timer.start(IDLE_AFTER_MS)

    def _set_lanes_enabled(self, enabled: bool) -> None:
        for button in self.lane_buttons.values():
            button.setEnabled(enabled)

    def _refresh_counts(self) -> None:
        if self.pages.currentWidget() is not self.choose_page:
            return
        self.runner.run(self.office.queue_status, self._show_counts, lambda exc: log.warning("kiosk: %s", exc))

    def _show_counts(self, status: QueueStatus) -> None:
        for lane in status.lanes:
            button = self.lane_buttons.get(lane.prefix)
            if button is not None:
                button.set_waiting(lane.waiting)

    def _tick(self) -> None:
        moment = now()
        self.idle_clock.setText(f"{fmt_clock(moment)} · {fmt_date_long(moment)}")

    def on_closing(self) -> None:
        self._idle_timer.stop()
        self._status_timer.stop()
        self.runner.wait()


def queue_ticket_print(office: Office, ticket: TicketView) -> None:
    """Put the ticket in the print spool; raises when no ticket printer is set up, so the screen says so."""
    job = office.submit_print(PrintRequest(kind="ticket", ticket=ticket.model_dump(mode="json")), actor="kiosk")
    if not job.printer:
        raise OfficeError(job.last_error_vi, job.last_error_vi)


def run_kiosk(office: Office, *, preview_dir: Path, printers: list[str] | None = None) -> int:
    """The kiosk as its own program, with a print spool for the ticket printer (files in `preview_dir` by default).

    `printers`: the printers wired to the kiosk when it works at a LAN hub (None: every printer; []: none).
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Lấy số thứ tự")
    collector.install(app)  # garbage holding Qt objects is freed on this thread only
    try:
        kiosk = KioskWindow(office, print_ticket=lambda t: queue_ticket_print(office, t))
    except OfficeError as exc:
        log.error("cannot start the kiosk: %s", exc)
        print(exc.message_vi, file=sys.stderr)
        return 2
    spool = Spool(office, preview_dir=preview_dir, printers=printers) if printers != [] else None
    if spool is not None:
        spool.start()
    kiosk.showFullScreen()
    try:
        return app.exec()
    finally:
        if spool is not None:
            spool.stop()
