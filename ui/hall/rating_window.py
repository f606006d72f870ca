"""The citizen's rating screen facing one counter: a tablet (machine kind `rating`) or the counter PC's
second monitor. After each service it shows the clerk's name and counter and asks how it went, with
three large choices and, for "Chưa hài lòng", a few reasons to tap; it thanks and goes away after the
tap, or by itself after 30 s. It asks the office on every finished service it hears of, and every few
seconds besides (an event missed on the LAN only delays the question)."""

from __future__ import annotations

import logging
import sys
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import OfficeError
from counter_app.events import DossierChanged, OfficeEvent, QueueChanged
from counter_app.office import Office
from counter_app.rules.rating import ASK_SECONDS
from counter_app.views.ratings import RatingQuestion
from ui.common import collector
from ui.common.messages import error_text
from ui.common.worker import Runner, follow_events

log = logging.getLogger(__name__)

POLL_MS = 5000
THANKS_MS = 3000
QUESTION = "Quý vị đánh giá thế nào về việc phục vụ của cán bộ?"
COLORS = {"very_satisfied": "#15803d", "satisfied": "#1d4ed8", "not_satisfied": "#b45309"}
STYLE = """
QWidget#rating { background: #f8fafc; }
QLabel#who { font-size: 30px; color: #334155; }
QLabel#question { font-size: 34px; font-weight: 700; color: #0f172a; }
QLabel#thanks { font-size: 40px; font-weight: 700; color: #15803d; }
QLabel#idle { font-size: 28px; color: #64748b; }
QPushButton[class="choice"] { font-size: 34px; font-weight: 700; color: white; border-radius: 18px; padding: 28px; }
QPushButton[class="reason"] { font-size: 24px; border: 2px solid #94a3b8; border-radius: 14px; padding: 18px;
                     background: white; }
QPushButton[class="reason"]:checked { background: #fde68a; border-color: #b45309; }
QPushButton#send { font-size: 28px; font-weight: 700; color: white; background: #b45309; border-radius: 14px;
                   padding: 20px; }
"""


class RatingWindow(QWidget):
    def __init__(self, office: Office, counter_no: int, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.counter_no = office, counter_no
        self.question: RatingQuestion | None = None
        self.runner = Runner(self)
        self.setObjectName("rating")
        self.setWindowTitle(f"Đánh giá — Quầy số {counter_no}")
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.stack = QStackedLayout(self)
        self.idle = QLabel(f"Quầy số {counter_no}\nMời quý vị đánh giá sau khi được phục vụ.")
        self.idle.setObjectName("idle")
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who = QLabel()
        self.who.setObjectName("who")
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who.setWordWrap(True)
        self.asking = self._asking_page()
        self.thanks = QLabel("Cảm ơn quý vị đã đánh giá!")
        self.thanks.setObjectName("thanks")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        for page in (self.idle, self.asking, self.thanks):
            self.stack.addWidget(page)
        self.closing = QTimer(self, singleShot=True, timeout=self.show_idle)
        self.poll = QTimer(self, interval=POLL_MS, timeout=self.ask_office)
        self.poll.start()
        follow_events(self, office, self._on_event)
        self.ask_office()

    def _asking_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(40, 30, 40, 30)
        question = QLabel(QUESTION)
        question.setObjectName("question")
        question.setWordWrap(True)
        question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choice_buttons: dict[str, QPushButton] = {}
        choices = self.choices = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # top to bottom on a portrait screen
        for key, label in (("very_satisfied", "Rất hài lòng"), ("satisfied", "Hài lòng"),
                           ("not_satisfied", "Chưa hài lòng")):
            button = QPushButton(label)
            button.setProperty("class", "choice")
            button.setStyleSheet(f"background: {COLORS[key]};")
            button.setMinimumHeight(140)
            button.setMinimumWidth(200)
            button.clicked.connect(partial(self._chose, key))
            self.choice_buttons[key] = button
            choices.addWidget(button, 1)
        self.reasons_box = QWidget()
        self.reasons_grid = QGridLayout(self.reasons_box)
        self.reason_buttons: dict[str, QPushButton] = {}
        self.send = QPushButton("Gửi đánh giá")
        self.send.setObjectName("send")
        self.send.clicked.connect(lambda: self._send("not_satisfied"))
        self.reasons_grid.addWidget(self.send, 9, 0, 1, 2)
        self.reasons_box.hide()
        layout.addStretch(1)
        layout.addWidget(self.who)
        layout.addWidget(question)
        layout.addSpacing(20)
        layout.addLayout(choices)
        layout.addWidget(self.reasons_box)
        layout.addStretch(2)
        return page

    def resizeEvent(self, event: QResizeEvent) -> None:
        portrait = event.size().height() > event.size().width()
        self.choices.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    # --- hearing of a service, asking the office
    def _on_event(self, event: OfficeEvent) -> None:
        finished = isinstance(event, QueueChanged) and event.step == "finish" and event.counter_no == self.counter_no
        if finished or (isinstance(event, DossierChanged) and event.action == "return_result"):
            self.ask_office()

    def ask_office(self) -> None:
        if self.stack.currentWidget() is not self.idle:
            return  # a question on screen, or thanks: not replaced mid-tap
        self.runner.run(partial(self.office.rating_question, self.counter_no), self.show_question,
                        lambda exc: log.warning("rating question for counter %s: %s", self.counter_no, exc))

    def show_question(self, question: RatingQuestion | None) -> None:
        if question is None or (self.question is not None and question.id == self.question.id):
            return
        self.question = question
        self.who.setText(f"{question.counter_name} — cán bộ <b>{question.clerk_name}</b>" if question.clerk_name
                         else question.counter_name)
        self._fill_reasons(question.reasons)
        self.reasons_box.hide()
        for button in self.choice_buttons.values():
            button.setEnabled(True)
        self.stack.setCurrentWidget(self.asking)
        self.closing.start(ASK_SECONDS * 1000)  # from when it shows: this PC's clock need not agree with the hub's

    def _fill_reasons(self, reasons: dict[str, str]) -> None:
        for button in self.reason_buttons.values():
            self.reasons_grid.removeWidget(button)
            button.deleteLater()
        self.reason_buttons = {}
        for i, (key, label) in enumerate(reasons.items()):
            button = QPushButton(label, checkable=True)
            button.setProperty("class", "reason")
            self.reasons_grid.addWidget(button, i // 2, i % 2)
            self.reason_buttons[key] = button

    # --- the citizen's tap
    def _chose(self, choice: str) -> None:
        if choice == "not_satisfied":
            self.reasons_box.show()  # a few reasons to tap, then "Gửi đánh giá"
            return
        self._send(choice)

    def _send(self, choice: str) -> None:
        if self.question is None:
            return
        reasons = [k for k, b in self.reason_buttons.items() if b.isChecked()] if choice == "not_satisfied" else []
        for button in self.choice_buttons.values():
            button.setEnabled(False)
        self.runner.run(partial(self.office.rate, self.counter_no, self.question.id, choice, reasons),
                        lambda _none: self._thank(), self._failed)

    def _thank(self) -> None:
        self.closing.stop()
        self.stack.setCurrentWidget(self.thanks)
        QTimer.singleShot(THANKS_MS, self.show_idle)

    def _failed(self, exc: Exception) -> None:
        log.warning("rating at counter %s not taken: %s", self.counter_no, exc)
        self.thanks.setText(error_text(exc) if isinstance(exc, OfficeError) else "Chưa gửi được đánh giá.")
        self.stack.setCurrentWidget(self.thanks)
        QTimer.singleShot(THANKS_MS, self.show_idle)

    def show_idle(self) -> None:
        self.closing.stop()
        self.thanks.setText("Cảm ơn quý vị đã đánh giá!")
        self.stack.setCurrentWidget(self.idle)


def run_rating(office: Office, counter_no: int, *, screen: int | None = None) -> int:
    """The rating screen as its own program (a tablet facing the counter, or the counter PC's second screen)."""
    from ui.hall.board import place_on_screen

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Đánh giá")
    collector.install(app)
    window = RatingWindow(office, counter_no)
    place_on_screen(window, screen)
    return app.exec()
