"""The administrator's screens in the clerk app: accounts, counters, the office's own days and the queue's
rules. Every change goes through the office, whose services check the role again (a clerk's is refused)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.office import Office
from counter_app.rules.queue import QueueSettings
from counter_app.views.accounts import AccountIn, AccountView, Role
from counter_app.views.admin import CalendarDayView
from counter_app.views.dossiers import OfficeInfo
from counter_app.views.machines import MachineKind, MachineSetup, MachineView
from ui.common.messages import Banner, error_text
from ui.common.worker import Runner
from ui.desk.admin_catalog import CatalogPage
from ui.desk.admin_printers import PrintersPage
from ui.desk.machine_setup_dialog import MachineSetupDialog

DAY_KINDS = (("off", "Nghỉ thêm (văn phòng nghỉ)"), ("work", "Làm bù (làm việc ngày nghỉ)"),
             ("national", "Theo lịch chung (bỏ ngày đã đặt)"))


def _table(headings: list[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setHorizontalHeaderLabels(headings)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _side_by_side(page: QWidget, table: QTableWidget, form: QFormLayout, *below: QWidget | QHBoxLayout) -> None:
    """A page's list on the left, its form and buttons on the right."""
    layout = QHBoxLayout(page)
    layout.addWidget(table, 3)
    right = QVBoxLayout()
    right.addLayout(form)
    for item in below:
        if isinstance(item, QHBoxLayout):
            right.addLayout(item)
        else:
            right.addWidget(item)
    right.addStretch(1)
    layout.addLayout(right, 2)


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


class AdminWindow(QDialog):
    def __init__(self, office: Office, info: OfficeInfo, *, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.info, self.actor = office, info, actor
        self.runner = Runner(self)
        self.setWindowTitle("Quản trị văn phòng")
        self.resize(1100, 680)
        self.banner = Banner()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._accounts_tab(), "Tài khoản")
        self.tabs.addTab(self._counters_tab(), "Quầy")
        self.tabs.addTab(self._days_tab(), "Lịch làm việc")
        self.tabs.addTab(self._rules_tab(), "Quy tắc hàng chờ")
        self.tabs.addTab(self._machines_tab(), "Máy trạm")
        self.printers = PrintersPage(office, actor=actor, runner=self.runner, report=self.banner.show_message)
        self.tabs.addTab(self.printers, "Máy in")
        self.catalog = CatalogPage(office, actor=actor, runner=self.runner, report=self.banner.show_message)
        self.tabs.addTab(self.catalog, "Danh mục thủ tục")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.accounts: list[AccountView] = []
        self.days: list[CalendarDayView] = []
        self.reload()

    # --- reading
    def reload(self) -> None:
        self.runner.run(self.office.accounts, self._show_accounts, self._failed)
        self.runner.run(self.office.info, self._show_counters, self._failed)
        self.runner.run(self.office.calendar_days, self._show_days, self._failed)
        self.runner.run(self.office.queue_settings, self._show_rules, self._failed)
        self.runner.run(self.office.machines, self._show_machines, self._failed)
        self.printers.reload()
        self.catalog.reload()

    def _failed(self, exc: Exception) -> None:
        self.banner.show_message(error_text(exc), "error")

    def _done(self, message: str) -> Callable[[object], None]:
        def done(_result: object) -> None:
            self.banner.show_message(message, "ok")
            self.reload()
        return done

    # --- accounts
    def _accounts_tab(self) -> QWidget:
        page = QWidget()
        self.account_table = _table(["Tên đăng nhập", "Họ và tên", "Vai trò", "Tình trạng"], 1)
        self.account_table.itemSelectionChanged.connect(self._account_chosen)
        self.username = QLineEdit(placeholderText="vd. canbo4")
        self.full_name = QLineEdit(placeholderText="Họ và tên đầy đủ, in trên phiếu")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label_vi, role)
        self.password = QLineEdit(placeholderText="Mật khẩu mới (để trống: giữ mật khẩu cũ)",
                                  echoMode=QLineEdit.EchoMode.Password)
        self.active = QCheckBox("Được đăng nhập", checked=True)
        self.save_account_button = QPushButton("Lưu tài khoản")
        self.save_account_button.setObjectName("primary")
        self.unlock_button = QPushButton("Mở khóa (sau nhiều lần sai mật khẩu)")
        self.save_account_button.clicked.connect(partial(self.save_account, False))
        self.unlock_button.clicked.connect(partial(self.save_account, True))
        form = QFormLayout()
        form.addRow("Tên đăng nhập", self.username)
        form.addRow("Họ và tên", self.full_name)
        form.addRow("Vai trò", self.role)
        form.addRow("Mật khẩu", self.password)
        form.addRow("", self.active)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_account_button)
        buttons.addWidget(self.unlock_button)
        buttons.addStretch(1)
        _side_by_side(page, self.account_table, form, buttons)
        return page

    def _show_accounts(self, accounts: list[AccountView]) -> None:
        self.accounts = accounts

        def state(a: AccountView) -> str:
            if not a.active:
                return "Đã ngừng"
            return f"Tạm khóa đến {a.locked_until:%H:%M %d/%m}" if a.locked_until else "Đang dùng"

        _fill(self.account_table, [[a.username, a.full_name, a.role_vi, state(a)] for a in accounts])

    def _account_chosen(self) -> None:
        rows = self.account_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.accounts):
            return
        a = self.accounts[rows[0].row()]
        self.username.setText(a.username)
        self.full_name.setText(a.full_name)
        self.role.setCurrentIndex(self.role.findData(a.role))
        self.password.clear()
        self.active.setChecked(a.active)

    def save_account(self, unlock: bool = False) -> None:
        try:
            value = AccountIn(username=self.username.text(), full_name=self.full_name.text(),
                              role=self.role.currentData(), password=self.password.text(),
                              active=self.active.isChecked())
        except Exception as exc:  # the model's own Vietnamese message (a bad user name, a short password)
            self.banner.show_message(error_text(exc), "error")
            return
        self.password.clear()
        self.runner.run(partial(self.office.save_account, value, actor=self.actor, unlock=unlock),
                        self._done(f"Đã lưu tài khoản {value.username}."), self._failed)

    # --- counters
    def _counters_tab(self) -> QWidget:
        page = QWidget()
        self.counter_table = _table(["Số", "Tên quầy", "Hàng chờ phục vụ (theo thứ tự)", "Hoạt động"], 2)
        self.counter_table.itemSelectionChanged.connect(self._counter_chosen)
        self.number = QSpinBox(minimum=1, maximum=99)
        self.counter_name = QLineEdit(placeholderText="vd. Quầy số 4 — Đất đai")
        self.lanes = QListWidget()
        self.lanes.setMaximumHeight(170)
        for lane in self.info.lanes:
            item = QListWidgetItem(f"{lane['prefix']} — {lane['name']}")
            item.setData(Qt.ItemDataRole.UserRole, lane["prefix"])
            item.setCheckState(Qt.CheckState.Unchecked)
            self.lanes.addItem(item)
        self.counter_active = QCheckBox("Đang hoạt động", checked=True)
        self.save_counter_button = QPushButton("Lưu quầy")
        self.save_counter_button.setObjectName("primary")
        self.save_counter_button.clicked.connect(self.save_counter)
        form = QFormLayout()
        form.addRow("Số quầy", self.number)
        form.addRow("Tên quầy", self.counter_name)
        form.addRow("Hàng chờ", self.lanes)
        form.addRow("", self.counter_active)
        _side_by_side(page, self.counter_table, form, self.save_counter_button)
        return page

    def _show_counters(self, info: OfficeInfo) -> None:
        self.info = info
        _fill(self.counter_table, [[str(c["number"]), c.get("name") or "", ", ".join(c.get("lanes") or []),
                                    "Có" if c.get("active", True) else "Ngừng"] for c in info.counters])
        numbers = [c["number"] for c in info.counters]
        if self.counter_table.selectionModel().selectedRows() == [] and numbers:  # ready to add the next one
            self.number.setValue(min(max(numbers) + 1, 99))
            self.counter_name.clear()
            for i in range(self.lanes.count()):
                self.lanes.item(i).setCheckState(Qt.CheckState.Unchecked)
            self.counter_active.setChecked(True)

    def _counter_chosen(self) -> None:
        rows = self.counter_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.info.counters):
            return
        c = self.info.counters[rows[0].row()]
        self.number.setValue(c["number"])
        self.counter_name.setText(c.get("name") or "")
        lanes = c.get("lanes") or []
        for i in range(self.lanes.count()):
            item = self.lanes.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in lanes
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.counter_active.setChecked(bool(c.get("active", True)))

    def save_counter(self) -> None:
        lanes = [self.lanes.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.lanes.count())
                 if self.lanes.item(i).checkState() == Qt.CheckState.Checked]
        number = self.number.value()
        self.runner.run(partial(self.office.save_counter, number, name=self.counter_name.text(), lanes=lanes,
                                active=self.counter_active.isChecked(), actor=self.actor),
                        self._done(f"Đã lưu quầy số {number}."), self._failed)

    # --- the office's days
    def _days_tab(self) -> QWidget:
        page = QWidget()
        self.day_table = _table(["Ngày", "Loại", "Ghi chú"], 2)
        today = date.today()
        self.day = QDateEdit(QDate(today.year, today.month, today.day), displayFormat="dd/MM/yyyy",
                             calendarPopup=True)
        self.day_kind = QComboBox()
        for key, label in DAY_KINDS:
            self.day_kind.addItem(label, key)
        self.day_note = QLineEdit(placeholderText="vd. Nghỉ bù Tết Dương lịch theo thông báo của thành phố")
        self.save_day_button = QPushButton("Lưu ngày")
        self.save_day_button.setObjectName("primary")
        self.save_day_button.clicked.connect(self.save_day)
        form = QFormLayout()
        form.addRow("Ngày", self.day)
        form.addRow("Loại", self.day_kind)
        form.addRow("Ghi chú", self.day_note)
        _side_by_side(page, self.day_table, form, self.save_day_button)
        return page

    def _show_days(self, days: list[CalendarDayView]) -> None:
        self.days = days
        labels = {"off": "Nghỉ thêm", "work": "Làm bù"}
        _fill(self.day_table, [[f"{d.day:%d/%m/%Y}", labels[d.kind], d.note] for d in days])

    def save_day(self) -> None:
        day = self.day.date().toPython()
        self.runner.run(partial(self.office.set_calendar_day, day, self.day_kind.currentData(), self.day_note.text(),
                                actor=self.actor), self._done(f"Đã lưu ngày {day:%d/%m/%Y}."), self._failed)

    # --- queue rules
    def _rules_tab(self) -> QWidget:
        page = QWidget()
        self.rules: dict[str, QSpinBox | QDoubleSpinBox] = {
            "priority_streak_max": QSpinBox(minimum=1, maximum=20),
            "ordinary_wait_max_min": QSpinBox(minimum=0, maximum=240, suffix=" phút"),
            "recalls_before_no_show": QSpinBox(minimum=0, maximum=10),
            "default_service_min": QDoubleSpinBox(minimum=0.5, maximum=120, decimals=1, suffix=" phút"),
            "recent_services": QSpinBox(minimum=1, maximum=100),
        }
        labels = {
            "priority_streak_max": "Số vé ưu tiên gọi liền nhau tối đa",
            "ordinary_wait_max_min": "Vé thường chờ quá thì được gọi trước",
            "recalls_before_no_show": "Số lần gọi lại trước khi ghi vắng mặt",
            "default_service_min": "Thời gian phục vụ ước tính ban đầu",
            "recent_services": "Số lượt phục vụ gần nhất để ước tính thời gian chờ",
        }
        form = QFormLayout()
        for key, box in self.rules.items():
            box.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))  # "8,5 phút"
            box.setMaximumWidth(160)
            form.addRow(labels[key], box)
        self.save_rules_button = QPushButton("Lưu quy tắc hàng chờ")
        self.save_rules_button.setObjectName("primary")
        self.save_rules_button.clicked.connect(self.save_rules)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.save_rules_button)
        layout.addStretch(1)
        return page

    def _show_rules(self, rules: QueueSettings) -> None:
        for key, box in self.rules.items():
            box.setValue(getattr(rules, key))

    def save_rules(self) -> None:
        value = QueueSettings(**{key: box.value() for key, box in self.rules.items()})
        self.runner.run(partial(self.office.save_queue_settings, value, actor=self.actor),
                        self._done("Đã lưu quy tắc hàng chờ."), self._failed)

    # --- LAN machines
    def _machines_tab(self) -> QWidget:
        page = QWidget()
        self.machine_table = _table(["Tên máy", "Loại", "Quầy", "Tình trạng"], 0)
        self.machine_table.itemSelectionChanged.connect(self._machine_chosen)
        self.machine_name = QLineEdit(placeholderText="vd. quay-4, kiosk-2, danhgia-4")
        self.machine_kind = QComboBox()
        for kind in MachineKind:
            self.machine_kind.addItem(kind.label_vi, kind.value)
        self.machine_counter = QSpinBox(minimum=1, maximum=99)
        self.machine_kind.currentIndexChanged.connect(self._kind_changed)
        self.register_button = QPushButton("Cấp mã máy (hiện mã QR)")
        self.register_button.setObjectName("primary")
        self.register_button.clicked.connect(self.register_machine)
        self.revoke_button = QPushButton("Thu hồi máy đã chọn")
        self.revoke_button.clicked.connect(self.revoke_machine)
        form = QFormLayout()
        form.addRow("Tên máy", self.machine_name)
        form.addRow("Loại", self.machine_kind)
        form.addRow("Quầy", self.machine_counter)
        _side_by_side(page, self.machine_table, form, self.register_button, self.revoke_button)
        self.machine_list: list[MachineView] = []
        self.setup_dialog: MachineSetupDialog | None = None
        return page

    def _kind_changed(self) -> None:
        self.machine_counter.setEnabled(MachineKind(self.machine_kind.currentData()).at_a_counter)

    def _show_machines(self, found: list[MachineView]) -> None:
        self.machine_list = found
        _fill(self.machine_table, [[m.name, m.kind.label_vi, str(m.counter_no or ""),
                                    f"Đã thu hồi {m.revoked_at:%d/%m/%Y}" if m.revoked_at else "Đang dùng"]
                                   for m in found])

    def _machine_chosen(self) -> None:
        rows = self.machine_table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.machine_list):
            self.machine_name.setText(self.machine_list[rows[0].row()].name)

    def register_machine(self) -> None:
        kind = MachineKind(self.machine_kind.currentData())
        counter = self.machine_counter.value() if kind.at_a_counter else None
        self.runner.run(partial(self.office.register_machine, self.machine_name.text(), kind.value, counter,
                                actor=self.actor), self._registered, self._failed)

    def _registered(self, setup: MachineSetup) -> None:
        self.banner.show_message(f"Đã cấp mã cho máy {setup.machine.name}.", "ok")
        self.setup_dialog = MachineSetupDialog(setup, self)
        self.setup_dialog.show()
        self.reload()

    def revoke_machine(self) -> None:
        name = self.machine_name.text().strip()
        self.runner.run(partial(self.office.revoke_machine, name, actor=self.actor),
                        self._done(f"Đã thu hồi máy {name}; máy đó không vào được máy chủ nữa."), self._failed)
