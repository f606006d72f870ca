"""Sign-in at the start of the day: name, password and the counter the clerk sits at."""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import SessionElsewhere, StoreDamaged
from counter_app.office import Office
from counter_app.views.accounts import SessionView
from counter_app.views.dossiers import OfficeInfo
from ui.common.messages import Banner, error_text
from ui.common.worker import Runner
from ui.desk import clerk_style

log = logging.getLogger(__name__)


class SignInDialog(QDialog):
    def __init__(self, office: Office, info: OfficeInfo, *, username: str = "", counter_no: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.session: SessionView | None = None
        self._replace = False  # the clerk confirmed ending their session at another machine
        self.runner = Runner(self)
        self.setWindowTitle("Đăng nhập — Một cửa")
        self.setMinimumWidth(460)
        self.setStyleSheet(clerk_style.for_window())
        title = QLabel(f"<b>{info.name}</b><br>Đăng nhập để làm việc tại quầy")
        title.setObjectName("title")
        title.setWordWrap(True)  # a long centre name wraps instead of being cut at the dialog's edge
        self.banner = Banner()
        self.username = QLineEdit(username, placeholderText="Tên đăng nhập")
        self.password = QLineEdit(placeholderText="Mật khẩu", echoMode=QLineEdit.EchoMode.Password)
        self.counter = QComboBox()
        self.counter.addItem("Không ngồi quầy (chỉ tra cứu)", None)
        for c in info.counters:
            self.counter.addItem(c.get("name") or f"Quầy số {c['number']}", c["number"])
        if counter_no is not None:
            self.counter.setCurrentIndex(max(0, self.counter.findData(counter_no)))
        elif self.counter.count() > 1:
            self.counter.setCurrentIndex(1)
        self.button = QPushButton("Đăng nhập")
        self.button.setObjectName("primary")
        self.button.setDefault(True)  # here, and only here, Enter is meant to submit
        form = QFormLayout()
        form.addRow("Tên đăng nhập", self.username)
        form.addRow("Mật khẩu", self.password)
        form.addRow("Quầy", self.counter)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.button)
        self.button.clicked.connect(self.submit)
        (self.password if username else self.username).setFocus()
        self.runner.run(office.accounts, self._check_accounts, lambda exc: log.warning("accounts: %s", exc))

    def _check_accounts(self, accounts: list) -> None:
        if not accounts:
            self.banner.show_message("Văn phòng chưa có tài khoản nào. Quản trị tạo tài khoản bằng lệnh "
                                     "“counter-app accounts add TÊN --role administrator”.", "warning")

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.banner.show_message("Cần nhập tên đăng nhập và mật khẩu.", "error")
            return
        counter_no = self.counter.currentData()
        self.button.setEnabled(False)
        self.banner.show_message("Đang kiểm tra…", "info")
        replace = self._replace
        self.runner.run(partial(self.office.sign_in, username, password, counter_no=counter_no, replace=replace),
                        self._signed_in, self._refused)

    def _signed_in(self, session: SessionView) -> None:
        self.session = session
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.button.setEnabled(True)
        if isinstance(exc, SessionElsewhere):  # the password was right: the clerk decides where to work
            self._replace = True
            self.button.setText("Đăng nhập tại đây")
            self.banner.show_message(exc.message_vi + " Bấm “Đăng nhập tại đây” để tiếp tục.", "warning")
            return
        if isinstance(exc, StoreDamaged):  # found by the start's check of the store: nobody works on it
            self.button.setEnabled(False)
            self.banner.show_message(exc.message_vi, "error")
            return
        self._replace = False
        self.button.setText("Đăng nhập")
        self.password.clear()
        self.password.setFocus()
        self.banner.show_message(error_text(exc), "error")
