"""One small dialog per dossier action: only the fields that action needs, checked before it is sent.

`ACTIONS` says, for each action the state machine may allow, what to ask and which slip follows.
The dialog returns a function that performs the action on an `Office`; the caller runs it in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.office import Office
from counter_app.rules.clock import TZ
from counter_app.rules.lifecycle import Action
from counter_app.views.dossiers import DocumentIn, DossierDetail
from ui.common.messages import Banner


@dataclass(frozen=True)
class ActionSpec:
    button: str  # the button's label
    fields: tuple[str, ...]  # reason, note, agency, receipt_no, results, to_whom, id_checked, missing, new_due
    prints: str = ""  # the print kind that follows, if any
    shortcut: str = ""


ACTIONS: dict[str, ActionSpec] = {
    Action.REQUEST_SUPPLEMENT: ActionSpec("Yêu cầu bổ sung…", ("missing", "reason"), "supplement", "Ctrl+Shift+B"),
    Action.RECEIVE_SUPPLEMENT: ActionSpec("Nhận bổ sung…", ("note",), "receipt", "Ctrl+Shift+N"),
    Action.REFUSE: ActionSpec("Từ chối…", ("reason",), "refusal"),
    Action.START_PROCESSING: ActionSpec("Chuyển xử lý", ("note",), "", "Ctrl+Shift+X"),
    Action.HAND_OVER: ActionSpec("Chuyển cơ quan khác…", ("agency", "note")),
    Action.REQUEST_FEES: ActionSpec("Yêu cầu nộp phí…", ("reason",)),
    Action.FEES_PAID: ActionSpec("Đã nộp phí…", ("receipt_no",)),
    # The short "result ready" notice is printed on demand (In lại), not on every result.
    Action.RESULT_READY: ActionSpec("Có kết quả…", ("results",), "", "Ctrl+Shift+K"),
    Action.RETURN_RESULT: ActionSpec("Trả kết quả…", ("to_whom", "id_number", "id_checked"), "result_slip",
                                     "Ctrl+Shift+T"),
    Action.WITHDRAW: ActionSpec("Rút hồ sơ…", ("reason",)),
    Action.STOP: ActionSpec("Dừng xử lý…", ("reason",)),
    Action.RESCHEDULE: ActionSpec("Hẹn lại (xin lỗi)…", ("new_due", "reason"), "apology", "Ctrl+Shift+H"),
}
LABELS = {"reason": "Lý do *", "note": "Ghi chú", "agency": "Cơ quan nhận *", "receipt_no": "Số biên lai *",
          "results": "Kết quả (mỗi dòng một giấy tờ)", "to_whom": "Người nhận kết quả *",
          "id_number": "Số căn cước người nhận", "id_checked": "", "missing": "Giấy tờ cần bổ sung *",
          "new_due": "Ngày hẹn trả mới *"}

Perform = Callable[[Office], DossierDetail]


class ActionDialog(QDialog):
    def __init__(self, action: str, dossier: DossierDetail, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action, self.dossier, self.actor = Action(action), dossier, actor
        self.spec = ACTIONS[self.action]
        self.setWindowTitle(f"{self.action.label_vi.capitalize()} — {dossier.code}")
        self.setMinimumWidth(560)
        self.banner = Banner()
        self.inputs: dict[str, QWidget] = {}
        form = QFormLayout()
        for name in self.spec.fields:
            widget = self._input(name)
            self.inputs[name] = widget
            form.addRow(LABELS[name], widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Thực hiện" + (" và in phiếu" if self.spec.prints else ""))
        ok.setToolTip("Ctrl+Enter")
        ok.setShortcut("Ctrl+Return")
        ok.setAutoDefault(False)
        ok.setDefault(False)  # Enter in a field never performs the action by surprise
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thôi")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.perform: Perform | None = None

    def _input(self, name: str) -> QWidget:
        d = self.dossier
        if name == "missing":
            box = QListWidget()
            seen: set[str] = set()
            for doc in d.documents:
                if doc.role == "result" or doc.name in seen:  # the office's own papers are never asked for
                    continue
                seen.add(doc.name)
                item = QListWidgetItem(doc.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if not doc.provided else Qt.CheckState.Unchecked)
                box.addItem(item)
            return box
        if name == "results":
            return QPlainTextEdit()
        if name == "id_checked":
            return QCheckBox("Đã đối chiếu giấy tờ tùy thân của người nhận")
        if name == "new_due":
            edit = QDateTimeEdit(displayFormat="HH:mm dd/MM/yyyy", calendarPopup=True)
            day = max(d.due_at or self._now(), self._now()).astimezone(TZ).date() + timedelta(days=1)
            edit.setDateTime(QDateTime(QDate(day.year, day.month, day.day), QTime(17, 0)))
            return edit
        edit = QLineEdit()
        if name == "to_whom":
            edit.setText(d.applicant_name)
        if name == "id_number":
            edit.setText(d.id_number)
        if name == "agency":
            edit.setText(d.handling_agency)
        return edit

    def _text(self, name: str) -> str:
        widget = self.inputs[name]
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().strip()
        assert isinstance(widget, QLineEdit)
        return widget.text().strip()

    def _accept(self) -> None:
        problem = self._check()
        if problem:
            self.banner.show_message(problem, "error")
            return
        self.perform = self._build()
        self.accept()

    def _check(self) -> str:
        needed = {"reason": "lý do", "agency": "cơ quan nhận", "receipt_no": "số biên lai",
                  "to_whom": "người nhận kết quả"}
        for name, what in needed.items():
            if name in self.inputs and not self._text(name):
                return f"Cần nhập {what}."
        checked = self.inputs.get("id_checked")
        if isinstance(checked, QCheckBox) and not checked.isChecked():
            return "Cần đối chiếu giấy tờ tùy thân của người nhận và đánh dấu ô “Đã đối chiếu” trước khi trả kết quả."
        if "missing" in self.inputs and not self._missing():
            return "Cần chọn ít nhất một giấy tờ phải bổ sung."
        if "new_due" in self.inputs:
            new_due = self._new_due()
            if self.dossier.due_at is not None and new_due <= self.dossier.due_at:
                return "Ngày hẹn mới phải sau ngày hẹn cũ."
            if new_due <= self._now():
                return "Ngày hẹn mới đã qua: phiếu xin lỗi phải hẹn một ngày sắp tới."
        return ""

    def _missing(self) -> list[DocumentIn]:
        box = self.inputs["missing"]
        assert isinstance(box, QListWidget)
        docs = {doc.name: doc for doc in self.dossier.documents if doc.role != "result"}
        result = []
        for i in range(box.count()):
            item = box.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                doc = docs[item.text()]
                result.append(DocumentIn(name=doc.name, originals=doc.originals, certified=doc.certified,
                                         copies=doc.copies, mandatory=doc.mandatory, provided=False))
        return result

    def _now(self) -> datetime:
        """The office's time as of the dossier on screen (this PC's clock if the view did not say)."""
        return self.dossier.as_of or datetime.now(TZ)

    def _new_due(self) -> datetime:
        edit = self.inputs["new_due"]
        assert isinstance(edit, QDateTimeEdit)
        return edit.dateTime().toPython().replace(tzinfo=TZ)

    def _build(self) -> Perform:
        code, actor, a = self.dossier.code, self.actor, self.action
        t = {name: self._text(name) for name in self.spec.fields
             if name not in ("missing", "id_checked", "new_due")}
        if a is Action.REQUEST_SUPPLEMENT:
            missing = self._missing()
            return lambda o: o.request_supplement(code, missing=missing, reason=t["reason"], actor=actor)
        if a is Action.RECEIVE_SUPPLEMENT:
            return lambda o: o.receive_supplement(code, note=t["note"], actor=actor)
        if a is Action.REFUSE:
            return lambda o: o.refuse(code, reason=t["reason"], actor=actor)
        if a is Action.START_PROCESSING:
            return lambda o: o.start_processing(code, note=t["note"], actor=actor)
        if a is Action.HAND_OVER:
            return lambda o: o.hand_over(code, agency=t["agency"], note=t["note"], actor=actor)
        if a is Action.REQUEST_FEES:
            return lambda o: o.request_fees(code, reason=t["reason"], actor=actor)
        if a is Action.FEES_PAID:
            return lambda o: o.fees_paid(code, receipt_no=t["receipt_no"], actor=actor)
        if a is Action.RESULT_READY:
            results = [line.strip() for line in t["results"].splitlines() if line.strip()] or None
            return lambda o: o.result_ready(code, results=results, actor=actor)
        if a is Action.RETURN_RESULT:
            checked = self.inputs["id_checked"]
            assert isinstance(checked, QCheckBox)
            id_checked = checked.isChecked()
            return lambda o: o.return_result(code, to_whom=t["to_whom"], id_checked=id_checked,
                                             id_number=t["id_number"], actor=actor)
        if a is Action.WITHDRAW:
            return lambda o: o.withdraw(code, reason=t["reason"], actor=actor)
        if a is Action.STOP:
            return lambda o: o.stop(code, reason=t["reason"], actor=actor)
        new_due = self._new_due()
        return lambda o: o.reschedule(code, reason=t["reason"], new_due=new_due, actor=actor)
