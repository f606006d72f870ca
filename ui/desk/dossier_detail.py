"""A dossier in full: its fields, documents and history, and only the actions its status allows.

Each action asks for what it needs (`ui.desk.action_dialog`), runs in a worker, then queues the slip that
goes with it; "In lại" queues any slip of the dossier again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.office import Office
from counter_app.rules import vietqr
from counter_app.rules.citizen_id import mask_id
from counter_app.rules.display import fmt_date, fmt_datetime, fmt_money
from counter_app.rules.lifecycle import SUPERVISOR_ACTIONS, Action, Status
from counter_app.views.accounts import Role
from counter_app.views.dossiers import APPLICANT_TYPES, PAY_METHODS, DossierDetail, EventView
from counter_app.views.printing import JOB_KINDS, PrintRequest, PrintSettings
from ui.common.messages import Banner, error_text
from ui.common.qr_image import qr_pixmap
from ui.common.worker import Runner
from ui.desk.action_dialog import ACTIONS, ActionDialog, Perform

log = logging.getLogger(__name__)

EVENT_WORDS = {a.value: a.label_vi.capitalize() for a in Action} | {"collect_fees": "Thu phí, lệ phí"}
# Slips a dossier can be given again, and the event each needs (None: always available).
REPRINTS = {"receipt": "receive", "receipt_summary": "receive", "control_sheet": None,
            "supplement": "request_supplement", "refusal": "refuse", "apology": "reschedule",
            "result_notice": "result_ready", "result_slip": "return_result", "fee_receipt": "collect_fees",
            "fee_receipt_slip": "collect_fees"}


def _table(headers: tuple[str, ...], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


DOCUMENT_STATES = {"submitted": "Đã nhận khi tiếp nhận", "missing": "Còn thiếu, chờ bổ sung",
                   "supplement": "Đã nhận bổ sung", "result": "Kết quả giải quyết"}


def _details_text(e: EventView) -> str:
    d = e.details
    parts = [str(d[k]) for k in ("reason", "note", "agency", "receipt_no") if d.get(k)]
    if d.get("to"):  # who collected the result
        parts.append(f"người nhận: {d['to']}")
    if d.get("results"):
        parts.append("kết quả: " + "; ".join(str(r) for r in d["results"]))
    if d.get("new_due_at"):  # a reschedule: the date the apology promised
        parts.append(f"hẹn mới {fmt_datetime(datetime.fromisoformat(d['new_due_at']))}")
    if d.get("apology_no"):
        parts.append(f"phiếu xin lỗi số {d['apology_no']}")
    if d.get("missing"):
        parts.append("thiếu: " + "; ".join(m.get("name", "") if isinstance(m, dict) else str(m) for m in d["missing"]))
    return " · ".join(parts)


def _due_text(d: DossierDetail) -> str:
    """The appointment as the clerk should read it, also while the clock is stopped for a supplement."""
    if d.due_at is None:
        if d.status == Status.SUPPLEMENT_REQUESTED:
            return "Tạm dừng: chờ công dân bổ sung hồ sơ (hẹn lại khi nhận đủ)"
        return "Không còn hẹn trả" if Status(d.status).terminal else ""
    text = fmt_datetime(d.due_at)
    if d.original_due_at and d.original_due_at != d.due_at:
        text += f" (hẹn ban đầu {fmt_datetime(d.original_due_at)})"
    return text


class DossierDetailDialog(QDialog):
    changed = Signal(object)  # DossierDetail after an action

    def __init__(self, office: Office, dossier: DossierDetail, *, actor: str, counter_no: int | None,
                 names: dict[str, str] | None = None, parent: QWidget | None = None,
                 ask: Callable[[ActionDialog], bool] | None = None, role: Role = Role.CLERK,
                 ask_method: Callable[[int], str | None] | None = None) -> None:
        super().__init__(parent)
        self.office, self.actor, self.counter_no, self.role = office, actor, counter_no, role
        self._dialog: ActionDialog | None = None  # the last action's dialog, shown again if the action fails
        self.names = names or {}
        self.ask = ask or (lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted)
        self.ask_method: Callable[[int], str | None] = ask_method or self._ask_method
        self._bank: PrintSettings | None = None  # the office's account, for a payment QR on screen
        self.runner = Runner(self)
        if any(not f.paid and f.amount for f in dossier.fees):  # the office's account, for the payment QR
            self.runner.run(office.print_settings, lambda value: setattr(self, "_bank", value),
                            lambda exc: log.info("print settings not read: %s", exc))
        self.busy = False
        self.resize(1100, 700)  # within 1366×768 less the taskbar
        self.banner = Banner()
        self.fields = QGridLayout()
        self.documents = _table(("Tên giấy tờ", "Bản chính", "Bản sao chứng thực", "Bản sao", "Tình trạng"), 0)
        self.history = _table(("Lúc", "Người thực hiện", "Việc", "Trạng thái", "Chi tiết"), 4)
        self.actions_row = QHBoxLayout()
        self.reprint_button = QPushButton("In lại…", toolTip="In lại một phiếu của hồ sơ này (Ctrl+P)")
        self.reprint_button.setShortcut("Ctrl+P")
        self.reprint_menu = QMenu(self)
        self.reprint_button.setMenu(self.reprint_menu)
        fields_box = QGroupBox("Thông tin hồ sơ")
        fields_box.setLayout(self.fields)
        docs_box = QGroupBox("Thành phần hồ sơ")
        QVBoxLayout(docs_box).addWidget(self.documents)
        history_box = QGroupBox("Quá trình xử lý")
        QVBoxLayout(history_box).addWidget(self.history)
        bottom = QHBoxLayout()
        bottom.addLayout(self.actions_row, 1)
        bottom.addWidget(self.reprint_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(fields_box)
        layout.addWidget(docs_box, 3)  # the papers get the room: a dossier has more of them than steps
        layout.addWidget(history_box, 2)
        self.documents.setMinimumHeight(150)  # four rows at least, whatever the window
        layout.addLayout(bottom)
        self.action_buttons: dict[str, QPushButton] = {}
        self.show_dossier(dossier)

    # --- showing
    def show_dossier(self, d: DossierDetail) -> None:
        self.dossier = d
        self.setWindowTitle(f"Hồ sơ {d.code} — {d.applicant_name}")
        self._fill_fields(d)
        self._fill_documents(d)
        self._fill_history(d)
        self._fill_actions(d)
        self._fill_reprints(d)

    def _fill_fields(self, d: DossierDetail) -> None:
        while self.fields.count():
            item = self.fields.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        state = d.status_label + (" — QUÁ HẠN" if d.overdue else " — đến hạn hôm nay" if d.due_today else "")
        fees = ", ".join(f"{f.name}: {fmt_money(f.amount)}{' (đã nộp)' if f.paid else ''}" for f in d.fees)
        pairs = [
            ("Mã hồ sơ", d.code), ("Trạng thái", state),
            ("Thủ tục", f"{d.procedure_name} ({d.procedure_code or 'chưa có mã'})"),
            ("Đối tượng", APPLICANT_TYPES.get(d.applicant_type, "")), ("Người nộp", d.applicant_name),
            ("Người đại diện", d.representative + (f" (CC {mask_id(d.representative_id)})"
                                                   if d.representative_id else "")),
            ("Số giấy tờ" if d.applicant_type == 1 else "Mã số", mask_id(d.id_number) if d.applicant_type == 1
             else d.id_number),
            ("Ngày sinh", fmt_date(d.birth_date)), ("Điện thoại", d.phone), ("Thư điện tử", d.email),
            ("Địa chỉ", d.address), ("Tiếp nhận", f"{fmt_datetime(d.received_at)} · quầy {d.counter_no or '—'}"
                                               f" · {self.names.get(d.clerk, d.clerk)}"),
            ("Hẹn trả", _due_text(d)),
            ("Đã trả", f"{fmt_datetime(d.returned_at)} cho {d.returned_to}" if d.returned_at else ""),
            ("Cơ quan giải quyết", d.handling_agency), ("Sổ theo dõi", f"Quyển {d.register_book}, số {d.register_row}"),
            ("Lệ phí", fees or "Không thu"), ("Trích yếu", d.summary),
        ]
        if d.subject_label:  # whom the dossier concerns, right after the applicant
            about = ", ".join(x for x in (d.subject_name, fmt_date(d.subject_birth_date) if d.subject_birth_date
                                          else "", mask_id(d.subject_id_number) if d.subject_id_number else "") if x)
            pairs.insert(5, (d.subject_label, about))
        self.values: dict[str, QLabel] = {}
        for i, (label, value) in enumerate(pairs):
            name = QLabel(label)
            name.setObjectName("fieldLabel")
            text = QLabel(value or "—")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[label] = text
            if label == "Trạng thái" and d.overdue:
                text.setStyleSheet("color:#9b1c1c; font-weight:bold;")
            self.fields.addWidget(name, i // 2, (i % 2) * 2)
            self.fields.addWidget(text, i // 2, (i % 2) * 2 + 1)
        self.fields.setColumnStretch(1, 1)
        self.fields.setColumnStretch(3, 1)

    def _fill_documents(self, d: DossierDetail) -> None:
        order = {"submitted": 0, "missing": 1, "supplement": 2, "result": 3}
        docs = sorted(d.documents, key=lambda doc: order.get(doc.role, 4))
        self.documents.setRowCount(len(docs))
        for r, doc in enumerate(docs):
            state = DOCUMENT_STATES.get(doc.role, "")
            for c, value in enumerate((doc.name, str(doc.originals), str(doc.certified), str(doc.copies), state)):
                self.documents.setItem(r, c, QTableWidgetItem(value))

    def _fill_history(self, d: DossierDetail) -> None:
        self.history.setRowCount(len(d.events))
        for r, e in enumerate(reversed(d.events)):  # newest first
            kind = e.kind.removeprefix("dossier.")
            what = EVENT_WORDS.get(kind.removeprefix("city."), kind)
            if kind.startswith("city."):  # decided at the city and pulled down
                what = f"Thành phố: {what.lower()}"
            who = e.actor.removeprefix("city:") if e.actor.startswith("city:") else self.names.get(e.actor, e.actor)
            to = Status(e.to_status).label_vi if e.to_status else ""
            cells = (fmt_datetime(e.at), who, what, to, _details_text(e))
            for c, value in enumerate(cells):
                self.history.setItem(r, c, QTableWidgetItem(value))

    def _fill_actions(self, d: DossierDetail) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        for action in d.allowed_actions:
            spec = ACTIONS.get(action)
            if spec is None or (action in SUPERVISOR_ACTIONS and not self.role.covers(Role.SUPERVISOR)):
                continue  # a step this clerk may not take is not offered (the hub would refuse it anyway)
            button = QPushButton(spec.button)
            button.setAutoDefault(False)
            tip = Action(action).label_vi.capitalize() + (f" ({spec.shortcut})" if spec.shortcut else "")
            button.setToolTip(tip + (" — in phiếu kèm theo" if spec.prints else ""))
            if spec.shortcut:
                button.setShortcut(spec.shortcut)
            button.clicked.connect(lambda _=False, a=action: self.start_action(a))
            self.actions_row.addWidget(button)
            self.action_buttons[action] = button
        due = sum(f.amount for f in d.fees if not f.paid)
        if due:  # the intake's fees, still to be paid: one numbered fee receipt for them
            button = QPushButton(f"Thu phí {fmt_money(due)}…")
            button.setAutoDefault(False)
            button.setToolTip("Thu phí, lệ phí và in biên lai (Ctrl+Shift+F)")
            button.setShortcut("Ctrl+Shift+F")
            button.clicked.connect(self.collect_fees)
            self.actions_row.addWidget(button)
            self.action_buttons["collect_fees"] = button
        if not self.action_buttons:
            self.action_buttons[""] = QPushButton("Hồ sơ đã kết thúc; không còn thao tác nào.", enabled=False)
            self.actions_row.addWidget(self.action_buttons[""])

    def _fill_reprints(self, d: DossierDetail) -> None:
        self.reprint_menu.clear()
        done = {e.kind.removeprefix("dossier.") for e in d.events}
        for kind, needs in REPRINTS.items():
            if needs is None or needs in done:
                action = QAction(JOB_KINDS[kind][0], self.reprint_menu)
                action.triggered.connect(lambda _=False, k=kind: self.print_slip(k))
                self.reprint_menu.addAction(action)

    # --- acting
    def start_action(self, action: str) -> None:
        if self.busy:
            return
        self._ask_and_run(action, ActionDialog(action, self.dossier, self.actor, self))

    def _ask_and_run(self, action: str, dialog: ActionDialog) -> None:
        if not self.ask(dialog) or dialog.perform is None:
            self._dialog = None
            return
        self._dialog = dialog
        self.run_action(action, dialog.perform)

    def payment_qr(self, due: int) -> QPixmap | None:
        """The VietQR for `due` đồng to the office's account, or None without an account."""
        bank = self._bank
        if not due or bank is None or not bank.bank_bin or not bank.bank_account:
            return None
        return qr_pixmap(vietqr.payload(bank_bin=bank.bank_bin, account=bank.bank_account, amount=due,
                                        message=self.dossier.code))

    def collect_fees(self) -> None:
        if self.busy:
            return
        due = sum(f.amount for f in self.dossier.fees if not f.paid)
        method = self.ask_method(due)
        if not method:
            return
        self.busy = True
        self.banner.show_message("Đang ghi nhận khoản thu…", "info")
        self.runner.run(partial(self.office.collect_fees, self.dossier.code, method=method, actor=self.actor),
                        self._fees_collected, self._failed)

    def _fees_collected(self, d: DossierDetail) -> None:
        self.busy = False
        self.show_dossier(d)
        self.changed.emit(d)
        number = d.events[-1].details.get("receipt_no", "") if d.events else ""
        self.banner.show_message(f"Đã thu phí, biên lai số {number}.", "ok")
        seq = d.events[-1].seq if d.events else None
        self.runner.run(self.office.printers, lambda printers: self.print_slip(
            "fee_receipt" if any(p.kind == "a4" and p.enabled for p in printers) or not printers
            else "fee_receipt_slip", event_seq=seq), lambda _exc: self.print_slip("fee_receipt", event_seq=seq))

    def _ask_method(self, due: int) -> str | None:
        box = QMessageBox(QMessageBox.Icon.Question, "Thu phí, lệ phí",
                          f"Công dân nộp {fmt_money(due)} bằng hình thức nào?", parent=self)
        payment = self.payment_qr(due)
        if payment is not None:  # the citizen can scan it from the screen with a banking app
            box.setIconPixmap(payment)
            box.setInformativeText(f"Chuyển khoản: quét mã bằng ứng dụng ngân hàng; nội dung {self.dossier.code}.")
        buttons = {box.addButton(label, QMessageBox.ButtonRole.AcceptRole): method
                   for method, label in PAY_METHODS.items()}
        box.addButton("Thôi", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return buttons.get(box.clickedButton())

    def run_action(self, action: str, perform: Perform) -> None:
        self.busy = True
        self.banner.show_message("Đang thực hiện…", "info")
        self.runner.run(partial(perform, self.office), lambda d: self._done(action, d), self._failed)

    def _done(self, action: str, d: DossierDetail) -> None:
        self.busy = False
        self._dialog = None
        self.show_dossier(d)
        self.changed.emit(d)
        spec = ACTIONS[action]
        self.banner.show_message(f"Đã {Action(action).label_vi}: hồ sơ nay ở trạng thái “{d.status_label}”.", "ok")
        if spec.prints:
            self.print_slip(spec.prints, event_seq=d.events[-1].seq if d.events else None)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.banner.show_message(error_text(exc), "error")
        dialog, self._dialog = self._dialog, None
        if dialog is not None:  # the office refused: the clerk corrects what was typed, not types it again
            dialog.banner.show_message(error_text(exc), "error")
            dialog.perform = None
            self._ask_and_run(dialog.action.value, dialog)

    def print_slip(self, kind: str, event_seq: int | None = None) -> None:
        request = PrintRequest(kind=kind, code=self.dossier.code, event_seq=event_seq, counter_no=self.counter_no)
        name = JOB_KINDS[kind][0]
        prefix = self.banner.text() + " " if event_seq is not None else ""  # after an action: keep its message
        self.runner.run(partial(self.office.submit_print, request, actor=self.actor),
                        lambda job: self.banner.show_message(
                            f"{prefix}Đã gửi lệnh in “{name}”"
                            + (f" tới {job.printer}." if job.printer else "; chưa có máy in phù hợp."), "ok"),
                        lambda exc: self.banner.show_message(
                            f"Chưa in được “{name}”: {error_text(exc)} Có thể in lại bằng nút “In lại”.", "warning"))
