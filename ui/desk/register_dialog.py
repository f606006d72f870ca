"""The dossier register (sổ theo dõi hồ sơ, form 06) for a period, sent to the A4 printer (issue 21)."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QFormLayout, QPushButton, QVBoxLayout, QWidget

from counter_app.office import Office
from counter_app.views.printing import PrintRequest
from ui.common.messages import Banner, error_text
from ui.common.worker import Runner


class RegisterDialog(QDialog):
    def __init__(self, office: Office, *, actor: str, counter_no: int | None, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.actor, self.counter_no = office, actor, counter_no
        self.runner = Runner(self)
        self.setWindowTitle("In sổ theo dõi hồ sơ")
        self.banner = Banner()
        self.date_from = QDateEdit(QDate(today.year, today.month, 1), displayFormat="dd/MM/yyyy", calendarPopup=True)
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day), displayFormat="dd/MM/yyyy",
                                 calendarPopup=True)
        self.print_button = QPushButton("In sổ")
        self.print_button.setObjectName("primary")
        self.print_button.clicked.connect(self.submit)
        form = QFormLayout()
        form.addRow("Từ ngày", self.date_from)
        form.addRow("Đến ngày", self.date_to)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.print_button)

    def submit(self) -> None:
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        if end < start:
            self.banner.show_message("Ngày kết thúc phải từ ngày bắt đầu trở đi.", "error")
            return
        request = PrintRequest(kind="register", date_from=start, date_to=end, counter_no=self.counter_no)
        self.runner.run(partial(self.office.submit_print, request, actor=self.actor),
                        lambda job: self.banner.show_message(
                            f"Đã gửi lệnh in sổ theo dõi hồ sơ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
                            + (f" tới {job.printer}." if job.printer else "; chưa có máy in A4 phù hợp."), "ok"),
                        lambda exc: self.banner.show_message(error_text(exc), "error"))
