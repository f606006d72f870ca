"""The clerk's screen locks after an idle time: citizens' data hidden, the form kept, the same password opens it.

`IdleWatch` restarts its timer at every key, click, wheel or touch anywhere in the application.
`LockOverlay` covers the whole window with an opaque panel: the clerk's own password signs in again
at this machine (the earlier session ends with it) and everything on screen is as it was; "another
clerk" ends this clerk's session, and the window is closed for the sign-in of the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import SessionElsewhere
from counter_app.office import Office
from counter_app.views.accounts import SessionView
from ui.common.messages import Banner, error_text
from ui.common.worker import Runner

ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
            QEvent.Type.TouchBegin}


class IdleWatch(QObject):
    idle = Signal()

    def __init__(self, minutes: float, parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()

    def restart(self) -> None:
        self.timer.start()


class LockOverlay(QFrame):
    """Opaque over the window it belongs to; `unlocked` with the new session, `other_clerk` to hand over."""

    unlocked = Signal(object)
    other_clerk = Signal()

    def __init__(self, office: Office, session: SessionView, minutes: float, parent: QWidget) -> None:
        super().__init__(parent)
        self.office, self.session = office, session
        self.runner = Runner(self)
        self._replace = False  # the clerk confirmed ending a session opened elsewhere meanwhile
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockOverlay { background: #eef1f5; } #lockCard { background: white; "
                           "border: 1px solid #c9d1db; border-radius: 8px; }")
        card = QFrame(objectName="lockCard")
        card.setFixedWidth(460)
        title = QLabel(f"<b>Màn hình đã khóa</b><br>Không thao tác {minutes:g} phút. Nhập mật khẩu của "
                       f"<b>{session.full_name}</b> để mở lại; hồ sơ đang nhập vẫn được giữ nguyên.")
        title.setWordWrap(True)
        self.banner = Banner()
        self.password = QLineEdit(placeholderText="Mật khẩu", echoMode=QLineEdit.EchoMode.Password)
        self.unlock_button = QPushButton("Mở khóa", objectName="primary")
        self.other_button = QPushButton("Cán bộ khác đăng nhập")
        self.other_button.setToolTip("Kết thúc phiên của cán bộ này; hồ sơ đang nhập dở sẽ không được lưu.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(card)
        for widget in (title, self.banner, self.password):
            inner.addWidget(widget)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignCenter)
        self.password.returnPressed.connect(self.unlock)
        self.unlock_button.clicked.connect(self.unlock)
        self.other_button.clicked.connect(self.other_clerk)

    def cover(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.password.clear()
        self.banner.hide()
        self.password.setFocus()

    def unlock(self) -> None:
        password = self.password.text()
        if not password:
            self.banner.show_message("Cần nhập mật khẩu.", "error")
            return
        self.unlock_button.setEnabled(False)
        name, counter, replace = self.session.username, self.session.counter_no, self._replace
        self.runner.run(partial(self.office.sign_in, name, password, counter_no=counter, replace=replace),
                        self._opened, lambda exc: self._refused(exc, password))

    def _opened(self, session: SessionView) -> None:
        self.unlock_button.setEnabled(True)
        self._replace = False
        self.password.clear()
        self.hide()
        self.unlocked.emit(session)

    def _refused(self, exc: Exception, password: str) -> None:
        self.unlock_button.setEnabled(True)
        if isinstance(exc, SessionElsewhere):  # signed in elsewhere meanwhile: this screen may take it back
            self.banner.show_message(exc.message_vi + " Bấm “Mở khóa” lần nữa để làm việc tại đây.", "warning")
            self._replace = True
            return
        self.password.clear()
        self.password.setFocus()
        self.banner.show_message(error_text(exc), "error")


def hide_while_locked(widgets: list[QWidget], actions: list[QAction]) -> Callable[[], None]:
    """Hide what shows citizens' data and disable every shortcut; returns what puts each back as it was.

    Each is recorded once, before anything is hidden (a dialog may be both a child and listed).
    """
    shown = [(widget, widget.isVisible()) for widget in dict.fromkeys(widgets)]
    enabled = [(action, action.isEnabled()) for action in dict.fromkeys(actions)]
    for widget, _was in shown:
        widget.setVisible(False)
    for action, _was in enabled:
        action.setEnabled(False)

    def restore() -> None:
        for widget, was in shown:
            widget.setVisible(was)
        for action, was in enabled:
            action.setEnabled(was)

    return restore
