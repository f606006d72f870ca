"""The hall's board: what each open counter serves now, the latest calls (ticket → counter), waiting per
lane, the clock, and the voice.

It follows the office's call log (`Office.calls_since`), so it works in the clerk's process, as
its own program on the same PC, or (with the LAN hub) anywhere: every call row is shown once
and spoken once, recalls included.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counter_app.errors import OfficeError
from counter_app.events import OfficeEvent, QueueChanged
from counter_app.office import Office
from counter_app.rules.clock import now
from counter_app.rules.display import fmt_clock, fmt_date_long
from counter_app.views.queue import CallView, CounterNow, QueueStatus
from ui.common import collector
from ui.common.worker import Reloader, Runner, follow_events
from ui.hall.announcer import Announcer
from ui.hall.public_screen import PublicScreen
from ui.hall.voice import SegmentLibrary

log = logging.getLogger(__name__)

ROWS = 5
BLINK_S = 6
POLL_MS = 800

STYLE = """
#board { background: #0b2545; }
QLabel { color: #ffffff; }
#office { font-size: 34px; font-weight: 600; }
#clock { font-size: 40px; font-weight: 600; }
#date { font-size: 22px; color: #c9d6ea; }
#heading { font-size: 26px; color: #c9d6ea; }
#call { background: #13315c; border-radius: 10px; }
#call[newest="true"] { background: #ffd23f; }
#call[newest="true"] QLabel { color: #0b2545; }
#call[blink="true"] { background: #fff3b0; }
#callTicket { font-size: 52px; font-weight: 700; }
#callCounter { font-size: 40px; font-weight: 600; }
#tile { background: #13315c; border-radius: 14px; }
#tile[newest="true"] { background: #ffd23f; }
#tile[newest="true"] QLabel { color: #0b2545; }
#tileName { font-size: 30px; font-weight: 600; color: #c9d6ea; }
#tileTicket { font-size: 96px; font-weight: 800; }
#tileState { font-size: 24px; color: #c9d6ea; }
#lane { font-size: 26px; }
#laneCount { font-size: 34px; font-weight: 700; }
#status { font-size: 18px; color: #ffb4a2; }
"""


class _CallRow(QFrame):
    def __init__(self) -> None:
        super().__init__(objectName="call")
        self.ticket = QLabel(objectName="callTicket")
        self.arrow = QLabel("→", objectName="callCounter", alignment=Qt.AlignmentFlag.AlignCenter)
        self.counter = QLabel(objectName="callCounter",
                              alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 6, 24, 6)
        layout.addWidget(self.ticket)
        layout.addWidget(self.arrow, 1)
        layout.addWidget(self.counter)

    def show_call(self, call: CallView | None, newest: bool) -> None:
        self.setVisible(call is not None)
        if call is not None:
            self.ticket.setText(call.label)
            self.counter.setText(f"Quầy {call.counter_no}")
        self.setProperty("newest", newest)
        self.set_blink(False)

    def set_blink(self, on: bool) -> None:
        self.setProperty("blink", on)
        for widget in (self, self.ticket, self.arrow, self.counter):  # children re-read the row's state
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class _CounterTile(QFrame):
    """An open counter: its name, the ticket it serves (big), and whether it is calling, serving or free."""

    def __init__(self) -> None:
        super().__init__(objectName="tile")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.name = QLabel(objectName="tileName", alignment=Qt.AlignmentFlag.AlignCenter)
        self.ticket = QLabel(objectName="tileTicket", alignment=Qt.AlignmentFlag.AlignCenter)
        self.state = QLabel(objectName="tileState", alignment=Qt.AlignmentFlag.AlignCenter)
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 8, 12, 8)
        box.addWidget(self.name)
        box.addWidget(self.ticket, 1)
        box.addWidget(self.state)

    def show_counter(self, counter: CounterNow, *, newest: bool) -> None:
        self.name.setText(counter.name.upper() if counter.name else f"QUẦY {counter.counter_no}")
        self.ticket.setText(counter.label or "—")
        self.state.setText({"called": "Mời vào quầy", "serving": "Đang phục vụ"}.get(counter.state, "Sẵn sàng"))
        self.setProperty("newest", newest)
        for widget in (self, self.name, self.ticket, self.state):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def show_idle_office(self) -> None:
        self.name.setText("")
        self.ticket.setText("—")
        self.state.setText("Chưa có quầy nào mở")


class BoardWindow(PublicScreen):
    """Full-screen board; Ctrl+Shift+Q closes it (there is no close button on a hall screen)."""

    def __init__(self, office: Office, *, announcer: Announcer | None = None, voice: bool = True) -> None:
        super().__init__("board")
        self.office = office
        self.runner = Runner(self)
        self.announcer = announcer if announcer is not None else (Announcer(parent=self) if voice else None)
        self.calls: list[CallView] = []
        self.last_call_id = 0
        self._blink_left = 0
        self.setWindowTitle("Bảng gọi số")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._scale = 0.0
        self._apply_scale(1.0)
        # The fonts follow the screen (`resizeEvent`); a fixed minimum lets the window take any hall screen's
        # size first, instead of the size its largest fonts would ask for.
        self.setMinimumSize(800, 600)
        self.setCursor(Qt.CursorShape.BlankCursor)

        info = office.info()
        self.office_label = QLabel(info.name, objectName="office")
        self.clock_label = QLabel(objectName="clock", alignment=Qt.AlignmentFlag.AlignRight)
        self.date_label = QLabel(objectName="date", alignment=Qt.AlignmentFlag.AlignRight)
        self.status_label = QLabel(objectName="status")
        top = QGridLayout()
        top.addWidget(self.office_label, 0, 0)
        top.addWidget(self.clock_label, 0, 1)
        top.addWidget(self.status_label, 1, 0)
        top.addWidget(self.date_label, 1, 1)

        # Left: what each open counter serves now, in tiles that fill the screen. Right: the latest calls
        # (the newest blinks) and how many wait per lane.
        serving_box = QVBoxLayout()
        serving_box.addWidget(QLabel("ĐANG PHỤC VỤ", objectName="heading"))
        self.tiles_grid = QGridLayout()
        self.tiles_grid.setSpacing(16)
        self.tiles: dict[int, _CounterTile] = {}
        serving_box.addLayout(self.tiles_grid, 1)

        side = QVBoxLayout()
        side.addWidget(QLabel("VỪA GỌI", objectName="heading"))
        self.rows = [_CallRow() for _ in range(ROWS)]
        for row in self.rows:
            side.addWidget(row)
        side.addSpacing(16)
        self.lanes_grid = QGridLayout()
        side.addWidget(QLabel("ĐANG CHỜ", objectName="heading"))
        side.addLayout(self.lanes_grid)
        side.addStretch(1)

        body = QHBoxLayout()
        body.addLayout(serving_box, 3)
        body.addSpacing(32)
        body.addLayout(side, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(36, 24, 36, 24)
        outer.addLayout(top)
        outer.addSpacing(16)
        outer.addLayout(body, 1)

        self._tick = QTimer(self, interval=1000, timeout=self._on_tick)
        self.reloader = Reloader(self.runner, self._reload_call, self._loaded, self._failed, poll_ms=POLL_MS)
        self._unsubscribe = follow_events(self, office, self._on_office_event)
        self._on_tick()
        self._first_load()
        self._tick.start()
        self.reloader.start_polling()

    # --- data
    def _reload_call(self) -> Callable[[], tuple[list[CallView], QueueStatus]]:
        office, after = self.office, self.last_call_id
        return lambda: (office.calls_since(after), office.queue_status())

    def _first_load(self) -> None:
        """Show today's latest calls without speaking them again."""
        try:
            status = self.office.queue_status()
        except OfficeError as exc:
            self._failed(exc)
            return
        seen: set[tuple[str, int]] = set()
        self.calls = []
        for call in status.calls:  # newest first; a recalled ticket is listed once
            if (call.label, call.counter_no) not in seen:
                seen.add((call.label, call.counter_no))
                self.calls.append(call)
        self.last_call_id = max((c.id for c in self.calls), default=0)
        self._show_status(status)
        self._show_calls(blink=False)

    def refresh(self) -> None:
        self.reloader.request()

    def _loaded(self, result: tuple[list[CallView], QueueStatus]) -> None:
        new_calls, status = result
        new_calls = [c for c in new_calls if c.id > self.last_call_id]
        self.status_label.setText("")
        if not new_calls:
            self._show_status(status)
            return
        self.last_call_id = new_calls[-1].id
        for call in new_calls:
            # A recall moves the ticket back to the top rather than listing it twice.
            self.calls = [c for c in self.calls if (c.label, c.counter_no) != (call.label, call.counter_no)]
            self.calls.insert(0, call)
            if self.announcer is not None:
                self.announcer.announce(call)
        del self.calls[ROWS:]
        self._show_calls(blink=True)
        self._show_status(status)

    def _failed(self, exc: Exception) -> None:
        log.warning("board refresh failed: %s", exc)
        self.status_label.setText("Mất kết nối với máy chủ của bộ phận một cửa; đang thử lại…")

    def _on_office_event(self, event: OfficeEvent) -> None:
        if isinstance(event, QueueChanged):
            self.refresh()

    # --- drawing
    def _show_calls(self, *, blink: bool) -> None:
        for i, row in enumerate(self.rows):
            row.show_call(self.calls[i] if i < len(self.calls) else None, newest=i == 0)
        self._blink_left = 2 * BLINK_S if blink else 0

    def _show_status(self, status: QueueStatus) -> None:
        self._show_serving(status.serving)
        while self.lanes_grid.count():
            self.lanes_grid.takeAt(0).widget().deleteLater()
        for r, lane in enumerate(status.lanes):
            self.lanes_grid.addWidget(QLabel(f"{lane.prefix} · {lane.name}", objectName="lane"), r, 0)
            self.lanes_grid.addWidget(QLabel(str(lane.waiting), objectName="laneCount",
                                             alignment=Qt.AlignmentFlag.AlignRight), r, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = event.size()
        self._apply_scale(min(size.width() / 1920, size.height() / 1080))

    def _apply_scale(self, scale: float) -> None:
        """Every font at its size for a 1920×1080 board, times `scale` (0.71 on a 1366×768 screen)."""
        scale = max(0.5, min(scale, 2.0))
        if abs(scale - self._scale) < 0.02:
            return
        self._scale = scale
        self.setStyleSheet(re.sub(r"font-size: (\d+)px", lambda m: f"font-size: {round(int(m[1]) * scale)}px",
                                  STYLE))

    def _show_serving(self, serving: list[CounterNow]) -> None:
        """One tile per open counter, two columns when there are four or more; rebuilt when that set changes."""
        if ([c.counter_no for c in serving] or [0]) != list(self.tiles):
            for tile in self.tiles.values():
                self.tiles_grid.removeWidget(tile)
                tile.deleteLater()
            self.tiles = {c.counter_no: _CounterTile() for c in serving}
            columns = 2 if len(serving) >= 4 else 1
            for i, tile in enumerate(self.tiles.values()):
                self.tiles_grid.addWidget(tile, i // columns, i % columns)
            if not serving:
                self.tiles[0] = _CounterTile()
                self.tiles_grid.addWidget(self.tiles[0], 0, 0)
                self.tiles[0].show_idle_office()
        newest = self.calls[0] if self.calls else None
        for counter in serving:
            self.tiles[counter.counter_no].show_counter(
                counter, newest=newest is not None and newest.counter_no == counter.counter_no
                and newest.label == counter.label)

    def _on_tick(self) -> None:
        moment = now()
        self.clock_label.setText(fmt_clock(moment))
        self.date_label.setText(fmt_date_long(moment))
        if self._blink_left > 0 and self.rows[0].isVisible():
            self._blink_left -= 1
            self.rows[0].set_blink(self._blink_left % 2 == 1)

    def on_closing(self) -> None:
        self._unsubscribe()
        self.reloader.stop()
        self.runner.wait()


def place_on_screen(window: QWidget, screen_index: int | None) -> None:
    """Full screen on the chosen monitor (the last one by default: the TV beside the clerk's screen)."""
    screens = QGuiApplication.screens()
    if screens:
        screen = screens[screen_index if screen_index is not None and screen_index < len(screens) else -1]
        window.setScreen(screen)
        window.setGeometry(screen.geometry())
    window.showFullScreen()



def run_board(office: Office, *, voice_dir: Path | None = None, screen: int | None = None) -> int:
    """The board as its own program."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Bảng gọi số")
    collector.install(app)  # garbage holding Qt objects is freed on this thread only
    try:
        board = BoardWindow(office, announcer=Announcer(SegmentLibrary(voice_dir)))
    except OfficeError as exc:
        log.error("cannot start the board: %s", exc)
        print(exc.message_vi, file=sys.stderr)
        return 2
    place_on_screen(board, screen)
    return app.exec()
