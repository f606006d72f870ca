"""The intake form: who applies, for which procedure, with which papers; save, then print the receipt.

A citizen ID QR scanned anywhere in the form fills the applicant. Enter moves to the next field and
never saves; Ctrl+S saves. The form keeps one submission id until a dossier is made from it, so a
double click or a retry after a lost answer can never make a second dossier.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import FormProblems, InvalidInput, OfficeError, Problem
from counter_app.office import Office
from counter_app.rules import fees
from counter_app.rules.applicant import applicant_problems, lacks_diacritics, proper_name, subject_label
from counter_app.rules.citizen_id import CitizenCard, parse_qr
from counter_app.rules.display import fmt_date, fmt_datetime, fmt_money
from counter_app.rules.fees import MAX_COPIES, MAX_PAGES
from counter_app.rules.redact import describe
from counter_app.views.dossiers import (
    APPLICANT_TYPES,
    ApplicantIn,
    DossierDetail,
    IntakeForm,
    ProcedureInfo,
    SubjectIn,
)
from counter_app.views.lists import KnownApplicant
from counter_app.views.printing import PrintRequest
from ui.common.messages import Banner, error_text
from ui.common.wedge import WedgeScanner
from ui.common.worker import Runner
from ui.desk.document_checklist import DocumentChecklist
from ui.desk.procedure_picker import ProcedurePicker

log = logging.getLogger(__name__)

OUTCOMES = {"receive": "Tiếp nhận", "supplement": "Yêu cầu bổ sung", "refuse": "Từ chối tiếp nhận"}
# The slip a new dossier prints, by the status it was saved in.
STATUS_PRINT = {2: "receipt", 5: "supplement", 3: "refusal"}
NO_DATE = QDate(1900, 1, 1)


class IntakeFormWidget(QWidget):
    saved = Signal(object)  # DossierDetail, once committed

    def __init__(self, office: Office, *, actor: str, counter_no: int | None,
                 on_print: Callable[[DossierDetail, PrintRequest], None] | None = None) -> None:
        super().__init__()
        self.office, self.actor, self.counter_no = office, actor, counter_no
        self.on_print = on_print
        self.submission_id = str(uuid.uuid4())
        self.procedure: ProcedureInfo | None = None
        self.saving = False
        self.runner = Runner(self)
        self.last_saved: DossierDetail | None = None

        self.banner = Banner()
        self.scan_hint = QLabel("Quét mã QR trên thẻ căn cước ở bất kỳ ô nào để điền thông tin người nộp.")
        self.scan_hint.setObjectName("hint")
        self.scan_hint.setWordWrap(True)
        self.kind = QComboBox()
        for value, label in APPLICANT_TYPES.items():
            self.kind.addItem(label, value)
        self.name = QLineEdit(placeholderText="Họ và tên")
        self.representative = QLineEdit(placeholderText="Người đại diện (với tổ chức)")
        self.representative_id = QLineEdit(placeholderText="12 chữ số căn cước của người đại diện")
        self.id_number = QLineEdit(placeholderText="12 chữ số căn cước")
        self.id_label = QLabel("Số căn cước *")
        self.birth_date = QDateEdit(displayFormat="dd/MM/yyyy", calendarPopup=True)
        self.birth_date.setMinimumDate(NO_DATE)
        self.birth_date.setSpecialValueText("Chưa nhập")
        self.birth_date.setDate(NO_DATE)
        self.sex = QComboBox()
        self.sex.addItems(["", "Nam", "Nữ"])
        self.phone = QLineEdit(placeholderText="Ví dụ 0912 345 678")
        self.email = QLineEdit()
        self.address = QLineEdit(placeholderText="Số nhà, đường/thôn, phường/xã, tỉnh/thành phố")
        self.known = QLabel()
        self.known.setWordWrap(True)
        self.use_known = QPushButton("Dùng thông tin cũ", toolTip="Điền lại thông tin người nộp từ lần trước (Ctrl+U)")
        self.use_known.setVisible(False)
        self._known: KnownApplicant | None = None

        self.subject_name = QLineEdit(placeholderText="Họ và tên")
        self.subject_birth = QDateEdit(displayFormat="dd/MM/yyyy", calendarPopup=True)
        self.subject_birth.setMinimumDate(NO_DATE)
        self.subject_birth.setSpecialValueText("Chưa nhập")
        self.subject_birth.setDate(NO_DATE)
        self.subject_id = QLineEdit(placeholderText="Số định danh (nếu có)")
        self.subject_box = QGroupBox("Người được đăng ký")
        self.subject_box.setVisible(False)

        self.picker = ProcedurePicker(office)
        self.checklist = DocumentChecklist()
        self.case = QComboBox(toolTip="Trường hợp của thủ tục: mỗi trường hợp có thành phần hồ sơ riêng")
        self.case.setVisible(False)
        self.case.currentIndexChanged.connect(self._on_case)
        self.fee = QLabel()
        self.fee.setWordWrap(True)
        self.copies = QSpinBox(minimum=1, maximum=MAX_COPIES, prefix="Số bản: ")
        self.pages = QSpinBox(minimum=1, maximum=MAX_PAGES, prefix="Số trang mỗi bản: ")
        for box in (self.copies, self.pages):
            box.setVisible(False)
            box.valueChanged.connect(lambda _v: self._show_fee())
        self.exempt = QComboBox(toolTip="Người nộp thuộc diện được miễn phí, lệ phí (nếu có)")
        self.exempt.setVisible(False)
        self.exempt.currentIndexChanged.connect(lambda _i: self._show_fee())
        self.due = QLabel()
        self.due.setObjectName("due")
        self.outcome = QButtonGroup(self)
        outcome_row = QHBoxLayout()
        for i, (key, label) in enumerate(OUTCOMES.items()):
            button = QRadioButton(label)
            button.setProperty("outcome", key)
            self.outcome.addButton(button, i)
            outcome_row.addWidget(button)
        self.outcome.button(0).setChecked(True)
        self.reason = QLineEdit(placeholderText="Lý do (bắt buộc khi yêu cầu bổ sung hoặc từ chối)")
        self.save_button = QPushButton("Lưu và in giấy hẹn")
        self.save_button.setToolTip("Lưu hồ sơ rồi in giấy tiếp nhận và hẹn trả kết quả (Ctrl+S)")
        self.save_button.setObjectName("primary")
        self.clear_button = QPushButton("Nhập mới", toolTip="Xóa biểu mẫu để nhận hồ sơ khác (Ctrl+N)")
        self.all_button = QPushButton("Nhận đủ (Ctrl+E)", toolTip="Đánh dấu đã nhận mọi giấy tờ trong danh sách")
        for button in (self.save_button, self.clear_button, self.use_known, self.all_button):
            button.setAutoDefault(False)

        self._layout(outcome_row)
        self._connect()
        self.scanner = WedgeScanner(self)
        self.scanner.started.connect(lambda _widget: self.checklist.cancel_edit())  # a scan into a count cell
        self.scanner.scanned.connect(self.apply_scan)
        self._due_timer = QTimer(self, interval=60_000)
        self._due_timer.timeout.connect(self._refresh_due)
        self._due_timer.start()
        self._on_kind()
        self._on_outcome()

    # --- layout and wiring
    def _layout(self, outcome_row: QHBoxLayout) -> None:
        person = QFormLayout()
        person.addRow("Đối tượng", self.kind)
        person.addRow("Họ tên / Tên tổ chức *", self.name)
        person.addRow("Người đại diện", self.representative)
        person.addRow("Căn cước người đại diện", self.representative_id)
        person.addRow(self.id_label, self.id_number)
        born = QHBoxLayout()
        born.addWidget(self.birth_date)
        born.addWidget(QLabel("Giới tính"))
        born.addWidget(self.sex)
        person.addRow("Ngày sinh", born)
        person.addRow("Điện thoại", self.phone)
        person.addRow("Thư điện tử", self.email)
        person.addRow("Địa chỉ *", self.address)
        known_row = QHBoxLayout()
        known_row.addWidget(self.known, 1)
        known_row.addWidget(self.use_known)
        applicant = QGroupBox("Người nộp hồ sơ")
        box = QVBoxLayout(applicant)
        box.addWidget(self.scan_hint)
        box.addLayout(person)
        box.addLayout(known_row)
        subject = QFormLayout(self.subject_box)
        subject.addRow("Họ tên *", self.subject_name)
        subject.addRow("Ngày sinh", self.subject_birth)
        subject.addRow("Số định danh", self.subject_id)
        procedure = QGroupBox("Thủ tục")
        QVBoxLayout(procedure).addWidget(self.picker)

        documents = QGroupBox("Thành phần hồ sơ")
        docs = QVBoxLayout(documents)
        docs.addWidget(self.case)
        docs.addWidget(self.checklist)
        facts = QHBoxLayout()
        facts.addWidget(self.all_button)
        facts.addWidget(self.copies)
        facts.addWidget(self.pages)
        facts.addWidget(self.exempt)
        facts.addWidget(self.fee, 1)
        facts.addStretch(1)
        facts.addWidget(self.due)
        docs.addLayout(facts)
        docs.addLayout(outcome_row)
        docs.addWidget(self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(applicant)
        left_box.addWidget(self.subject_box)
        left_box.addWidget(procedure, 1)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(documents, 1)
        right_box.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 6)
        split.setSizes([560, 840])
        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(split, 1)
        order = [self.kind, self.name, self.representative, self.representative_id, self.id_number,
                 self.birth_date, self.sex, self.phone, self.email, self.address, self.subject_name,
                 self.subject_birth, self.subject_id, self.picker.search, self.picker.tree, self.checklist,
                 *self.outcome.buttons(), self.reason, self.save_button, self.clear_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        for field in self._text_fields():
            field.returnPressed.connect(self.focusNextChild)  # Enter moves on; it never saves
            field.textEdited.connect(lambda _t, f=field: self._unmark(f))
        for field in (self.name, self.representative, self.subject_name):
            field.editingFinished.connect(lambda f=field: self._proper_case(f))
        self.id_number.editingFinished.connect(self._lookup_known)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.picker.chosen.connect(self._on_procedure)
        self.checklist.itemChanged.connect(self._stale_error)
        self.outcome.buttonToggled.connect(lambda *_: self._on_outcome())
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear)
        self.all_button.clicked.connect(self._all_received)
        self.use_known.clicked.connect(self._fill_known)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.clear)
        QShortcut(QKeySequence("Ctrl+T"), self, activated=self.picker.search.setFocus)
        QShortcut(QKeySequence("Ctrl+U"), self, activated=self._fill_known)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self._all_received)
        for digit in range(10):  # Ctrl+1 … Ctrl+9, Ctrl+0: the office's ten most received procedures
            QShortcut(QKeySequence(f"Ctrl+{digit}"), self,
                      activated=lambda d=digit: self.picker.choose_frequent((d - 1) % 10))

    def _on_kind(self) -> None:
        person = self.kind.currentData() == 1
        self.representative.setEnabled(not person)
        self.representative_id.setEnabled(not person)
        self.birth_date.setEnabled(person)
        self.sex.setEnabled(person)
        self.id_label.setText("Số căn cước *" if person else "Mã số doanh nghiệp / thuế *")
        self.id_number.setPlaceholderText("12 chữ số căn cước" if person else "10 chữ số (chi nhánh: 10-3)")

    def _on_outcome(self) -> None:
        outcome = self.outcome_key()
        self.reason.setEnabled(outcome != "receive")
        self.save_button.setText({"receive": "Lưu và in giấy hẹn", "supplement": "Lưu và in phiếu bổ sung",
                                  "refuse": "Lưu và in phiếu từ chối"}[outcome])

    def _all_received(self) -> None:
        """Ctrl+E: the citizen brought every paper on the list (counts stay the catalog's)."""
        self.checklist.check_all()
        self.checklist.setFocus()

    def _stale_error(self) -> None:
        """A refusal to save is about what the form held then; once the clerk changes it, it goes."""
        if self.banner.kind == "error":
            self.banner.clear_message()

    def outcome_key(self) -> str:
        return self.outcome.checkedButton().property("outcome")

    # --- the applicant
    def apply_scan(self, text: str) -> None:
        if "|" not in text:  # not a citizen ID card's QR: nothing of it is kept in the form
            log.info("a QR that is not a citizen ID card was scanned into the intake form (%d characters)", len(text))
            self.banner.show_message("Mã vừa quét không phải mã QR trên thẻ căn cước (có thể là mã trên giấy hẹn "
                                     "hoặc mã chuyển khoản), nên không điền gì vào biểu mẫu. Xin quét mã trên thẻ "
                                     "căn cước.", "warning")
            return
        try:
            card = parse_qr(text)
        except InvalidInput as exc:
            log.warning("citizen ID scan refused: %s", exc)
            self.banner.show_message(exc.message_vi, "error")
            return
        self.fill_card(card)

    def fill_card(self, card: CitizenCard) -> None:
        self.kind.setCurrentIndex(0)
        self.name.setText(card.full_name)
        self.id_number.setText(card.id_number)
        self.birth_date.setDate(QDate(card.birth_date.year, card.birth_date.month, card.birth_date.day))
        self.sex.setCurrentText(card.sex)
        self.address.setText(card.address)
        if card.warnings:
            self.banner.show_message("Đã đọc thẻ căn cước, nhưng cần kiểm tra: " + " ".join(card.warnings),
                                     "warning")
        else:
            self.banner.show_message(f"Đã đọc thẻ căn cước của {card.full_name}.", "ok")
        self._lookup_known()
        self.phone.setFocus()

    def _lookup_known(self) -> None:
        number = self.id_number.text().strip()
        if not number:
            return
        self.runner.run(partial(self.office.known_applicant, number), self._show_known,
                        lambda exc: log.warning("known applicant: %s", exc))

    def _show_known(self, known: KnownApplicant | None) -> None:
        self._known = known
        if known is None or known.applicant.id_number != self.id_number.text().strip():
            self.known.setText("")
            self.use_known.setVisible(False)
            return
        a = known.applicant
        self.known.setText(f"Đã từng nộp {known.dossiers} hồ sơ, lần gần nhất {fmt_date(known.last_received_at)}"
                           f" ({known.last_code}): {a.name}, ĐT {a.phone or '—'}.")
        self.use_known.setVisible(True)
        if not self.phone.text() and a.phone:
            self.phone.setPlaceholderText(f"Lần trước: {a.phone}")

    def _fill_known(self) -> None:
        if self._known is None:
            return
        a = self._known.applicant
        self.kind.setCurrentIndex(max(0, self.kind.findData(a.type)))
        for field, value in ((self.name, a.name), (self.representative, a.representative), (self.phone, a.phone),
                             (self.email, a.email), (self.address, a.address)):
            if not field.text().strip():
                field.setText(value)
        if a.birth_date and self.birth_date.date() == NO_DATE:
            self.birth_date.setDate(QDate(a.birth_date.year, a.birth_date.month, a.birth_date.day))

    def applicant(self) -> ApplicantIn:
        born = self.birth_date.date()
        return ApplicantIn(
            type=self.kind.currentData(), name=" ".join(self.name.text().split()),
            representative=self.representative.text().strip(),
            representative_id=self.representative_id.text().strip(), id_number=self.id_number.text().strip(),
            birth_date=date(born.year(), born.month(), born.day()) if born != NO_DATE else None,
            phone=self.phone.text().strip(), email=self.email.text().strip(), address=self.address.text().strip())

    # --- the procedure
    def _on_procedure(self, procedure: ProcedureInfo | None) -> None:
        self.procedure = procedure
        label = subject_label(procedure.key) if procedure else ""
        self.subject_box.setTitle(label)
        self.subject_box.setVisible(bool(label))
        self.case.blockSignals(True)
        self.case.clear()
        for case in procedure.cases if procedure else []:
            self.case.addItem(f"Trường hợp: {case['name']}", case["name"])
        self.case.blockSignals(False)
        self.case.setVisible(bool(procedure and procedure.cases))
        self.checklist.set_documents(procedure.cases[0]["documents"] if procedure and procedure.cases
                                     else procedure.documents if procedure else [])
        if procedure is None:
            self.fee.setText("")
            self.due.setText("")
            self.copies.setVisible(False)
            self.pages.setVisible(False)
            self.exempt.setVisible(False)
            return
        asked = set().union(*(fees.needs(f) for f in procedure.fees)) if procedure.fees else set()
        self.copies.setVisible("copies" in asked)
        self.pages.setVisible("pages" in asked)
        self.copies.setValue(1)
        self.pages.setValue(1)
        groups = sorted({g for f in procedure.fees for g in f.get("exempt", [])})
        self.exempt.blockSignals(True)
        self.exempt.clear()
        self.exempt.addItem("Không thuộc diện miễn phí", "")
        for group in groups:
            self.exempt.addItem(f"Miễn: {group}", group)
        self.exempt.blockSignals(False)
        self.exempt.setVisible(bool(groups))
        self._show_fee()
        self._refresh_due()

    def _on_case(self, _index: int) -> None:
        """Another situation of the procedure: its own papers on the checklist."""
        if self.procedure is None or not self.procedure.cases:
            return
        name = self.case.currentData()
        case = next((c for c in self.procedure.cases if c["name"] == name), self.procedure.cases[0])
        self.checklist.set_documents(case["documents"])

    def _fee_counts(self) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
        """Copies (or cases), pages and an exempt group per fee name, for the fees counted that way."""
        if self.procedure is None:
            return {}, {}, {}
        copies = {f["name"]: self.copies.value() for f in self.procedure.fees if "copies" in fees.needs(f)}
        pages = {f["name"]: self.pages.value() for f in self.procedure.fees if "pages" in fees.needs(f)}
        group = self.exempt.currentData() or ""
        exempt = {f["name"]: group for f in self.procedure.fees if group and group in f.get("exempt", [])}
        return copies, pages, exempt

    def _show_fee(self) -> None:
        """The fee as the receipt will count it, updated as the pages and copies change."""
        if self.procedure is None:
            self.fee.setText("")
            return
        copies, pages, exempt = self._fee_counts()
        due = [fees.charge(f, pages=pages.get(f["name"], 1), copies=copies.get(f["name"], 1),
                           exempt=exempt.get(f["name"], "")) for f in self.procedure.fees]
        total = sum(c.amount for c in due)
        counted = "; ".join(c.basis for c in due if (c.amount and (c.quantity > 1 or "trang" in c.basis))
                            or c.basis.startswith("Miễn:"))
        if total:
            self.fee.setText(f"Lệ phí: <b>{fmt_money(total)}</b>" + (f" ({counted})" if counted else ""))
        else:
            self.fee.setText("Không thu lệ phí" + (f" ({counted})" if counted else ""))

    def _refresh_due(self) -> None:
        if self.procedure is None:
            return
        key, label = self.procedure.key, self.procedure.time_label
        if any(u.startswith("time") for u in self.procedure.unconfirmed):  # the portal left the time open
            label += ", thời hạn chưa xác nhận: xin kiểm tra trước khi hẹn"
        self.runner.run(partial(self.office.preview_due, key),
                        lambda due: self.due.setText(f"Hẹn trả: <b>{fmt_datetime(due)}</b> ({label})"),
                        lambda exc: self.due.setText(error_text(exc)))

    # --- saving
    def subject(self) -> SubjectIn | None:
        if not self.subject_box.isVisible() and not self.subject_name.text().strip():
            return None
        born = self.subject_birth.date()
        return SubjectIn(name=" ".join(self.subject_name.text().split()), id_number=self.subject_id.text().strip(),
                         birth_date=date(born.year(), born.month(), born.day()) if born != NO_DATE else None)

    def problems(self) -> list[Problem]:
        """Everything wrong with what is typed, found here before anything is sent (the office checks again)."""
        a = self.applicant()
        found = applicant_problems(type_=a.type, name=a.name, id_number=a.id_number, address=a.address,
                                   phone=a.phone, email=a.email, representative=a.representative,
                                   representative_id=a.representative_id)
        found += [Problem("documents", text) for text in self.checklist.count_problems()]
        if self.procedure is None:
            found.append(Problem("procedure", "Chưa chọn thủ tục."))
        elif subject_label(self.procedure.key) and not self.subject_name.text().strip():
            label = subject_label(self.procedure.key)
            found.append(Problem("subject_name", f"Chưa nhập họ tên {label[:1].lower()}{label[1:]}."))
        return found

    def _widgets(self) -> dict[str, QWidget]:
        """The fields a problem can name, in the order the form shows them."""
        return {"name": self.name, "representative": self.representative,
                "representative_id": self.representative_id, "id_number": self.id_number,
                "phone": self.phone, "email": self.email, "address": self.address,
                "subject_name": self.subject_name, "procedure": self.picker.search, "documents": self.checklist}

    def _text_fields(self) -> tuple[QLineEdit, ...]:
        return (self.name, self.representative, self.representative_id, self.id_number, self.phone, self.email,
                self.address, self.subject_name, self.subject_id)

    def show_problems(self, problems: list[Problem]) -> None:
        """Mark every field at fault, list them all in the banner, and put the cursor in the first."""
        widgets = self._widgets()
        order = list(widgets)
        problems = sorted(problems, key=lambda p: order.index(p.field) if p.field in order else len(order))
        for widget in widgets.values():
            self._unmark(widget)
        marked = [widgets[p.field] for p in problems if p.field in widgets]
        for problem in problems:
            widget = widgets.get(problem.field)
            if widget is not None:
                widget.setProperty("problem", True)
                widget.setToolTip(problem.message_vi)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        count = f"Cần sửa {len(problems)} chỗ: " if len(problems) > 1 else ""
        self.banner.show_message(count + " ".join(p.message_vi for p in problems), "error")
        if marked:
            marked[0].setFocus()

    @staticmethod
    def _unmark(widget: QWidget) -> None:
        if widget.property("problem"):
            widget.setProperty("problem", False)
            widget.setToolTip("")
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def _proper_case(self, field: QLineEdit) -> None:
        """A person's name is offered in proper case, with a warning when typed without diacritics (an
        organisation's name is left as typed)."""
        citizen = self.kind.currentData() == 1
        if not (field is self.subject_name or (field is self.name) == citizen):
            return
        typed = field.text()
        fixed = proper_name(typed)
        if fixed != " ".join(typed.split()):
            field.setText(fixed)
        if lacks_diacritics(fixed):
            self.banner.show_message(f"Họ tên “{fixed}” chưa có dấu: xin gõ đúng như trên giấy tờ tùy thân "
                                     "(hoặc quét mã QR thẻ căn cước).", "warning")

    def form(self) -> IntakeForm:
        problems = self.problems()
        if problems:
            raise FormProblems(problems)
        outcome = self.outcome_key()
        missing = self.checklist.missing_mandatory()
        if outcome == "receive" and missing:
            raise InvalidInput(f"mandatory documents not ticked: {missing}",
                               "Chưa đánh dấu đã nhận giấy tờ bắt buộc: " + "; ".join(missing)
                               + ". Hãy đánh dấu, hoặc chọn “Yêu cầu bổ sung” hay “Từ chối tiếp nhận”.")
        if outcome != "receive" and not self.reason.text().strip():
            raise InvalidInput("no reason for supplement/refusal", "Cần ghi lý do yêu cầu bổ sung hoặc từ chối.")
        copies, pages, exempt = self._fee_counts()
        return IntakeForm(submission_id=self.submission_id, procedure=self.procedure.key,
                          fee_quantities=copies, fee_pages=pages, fee_exempt=exempt,
                          case=self.case.currentData() or "" if self.case.isVisible() else "",
                          applicant=self.applicant(), documents=self.checklist.documents(),
                          counter_no=self.counter_no, outcome=outcome, reason=self.reason.text().strip(),
                          subject=self.subject())

    def save(self) -> None:
        if self.saving:  # a double click, or Ctrl+S held down: the first save is still running
            return
        try:
            form = self.form()
        except (InvalidInput, ValueError) as exc:
            # a validation error's own text quotes what was typed (a name, an ID): only the English of ours
            log.info("intake form not saved: %s", exc if isinstance(exc, OfficeError) else describe(exc))
            if getattr(exc, "problems", None):
                self.show_problems(exc.problems)  # type: ignore[union-attr]
                return
            self.banner.show_message(error_text(exc) if isinstance(exc, OfficeError)
                                     else "Thông tin chưa hợp lệ; xin kiểm tra lại.", "error")
            return
        self.saving = True
        self.save_button.setEnabled(False)
        self.banner.show_message("Đang lưu hồ sơ…", "info")
        self.runner.run(partial(self.office.receive, form, actor=self.actor), self._saved, self._save_failed)

    def _saved(self, dossier: DossierDetail) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.last_saved = dossier
        kind = STATUS_PRINT.get(dossier.status, "receipt")
        self.banner.show_message(
            f"Đã lưu hồ sơ {dossier.code} ({dossier.status_label})"
            + (f", hẹn trả {fmt_datetime(dossier.due_at)}" if dossier.due_at else "") + ". Đang gửi lệnh in…", "ok")
        self.saved.emit(dossier)
        if self.on_print is not None:
            self.on_print(dossier, PrintRequest(kind=kind, code=dossier.code, counter_no=self.counter_no))
        self.clear(keep_banner=True)

    def _save_failed(self, exc: Exception) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        if getattr(exc, "code", None):  # DuplicateSubmission: the dossier exists; start a new form
            self.submission_id = str(uuid.uuid4())
        if getattr(exc, "problems", None):  # the office found what this screen did not: same marks
            self.show_problems(exc.problems)  # type: ignore[attr-defined]
            return
        self.banner.show_message(error_text(exc), "error")

    def has_input(self) -> bool:
        """Something typed that is not saved yet (the form is cleared after each save)."""
        return any(field.text().strip() for field in (*self._text_fields(), self.reason))

    def clear(self, keep_banner: bool = False) -> None:
        self.submission_id = str(uuid.uuid4())
        for field in (*self._text_fields(), self.reason):
            field.clear()
            self._unmark(field)
        self.subject_birth.setDate(NO_DATE)
        self.phone.setPlaceholderText("Ví dụ 0912 345 678")
        self.kind.setCurrentIndex(0)
        self.birth_date.setDate(NO_DATE)
        self.sex.setCurrentIndex(0)
        self.outcome.button(0).setChecked(True)
        self.picker.clear()
        self.known.setText("")
        self.use_known.setVisible(False)
        self._known = None
        if not keep_banner:
            self.banner.clear_message()
        self.name.setFocus()

    def shutdown(self) -> None:
        self._due_timer.stop()
        self.scanner.close()
        self.runner.wait()
        self.picker.runner.wait()
