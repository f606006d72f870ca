"""The administrator's printers page: each printer with its connection, what it prints and for which
counters, its state; add or change one, print a test page on it, remove it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import InvalidInput
from counter_app.office import Office
from counter_app.views.printing import Connection, PrinterConfig, PrinterView, PrintRequest
from ui.common.messages import error_text
from ui.common.worker import Runner

PURPOSES = (("ticket", "Vé số thứ tự"), ("slip", "Phiếu (máy in nhiệt)"), ("a4", "Giấy tờ A4"))
CONNECTIONS = (("file", "Tệp (xem trước)", "Thư mục (để trống: thư mục xem trước)"),
               ("spooler", "Hàng đợi in của hệ thống", "Tên máy in trong hệ thống (để trống: mặc định)"),
               ("network", "Mạng (địa chỉ IP)", "vd. 192.168.1.50 hoặc 192.168.1.50:9100"),
               ("serial", "Cổng nối tiếp", "vd. COM3 hoặc /dev/ttyUSB0"),
               ("usb", "USB", "mã nhà sản xuất:mã sản phẩm, vd. 04b8:0202"))


def connection_of(kind: str, address: str) -> Connection:
    """The connection a type and the one address field mean; a malformed address in Vietnamese."""
    address = address.strip()
    if kind == "file":
        return Connection(type="file", folder=address)
    if kind == "spooler":
        return Connection(type="spooler", queue=address)
    if kind == "serial":
        return Connection(type="serial", serial_port=address)
    if kind == "network":
        host, _, port = address.partition(":")
        if port and not port.isdigit():
            raise InvalidInput(f"bad printer port {port!r}", "Cổng máy in mạng phải là số, vd. 9100.")
        return Connection(type="network", host=host, tcp_port=int(port) if port else 9100)
    vendor, _, product = address.partition(":")
    try:
        return Connection(type="usb", usb_vendor=int(vendor, 16), usb_product=int(product, 16))
    except ValueError:
        raise InvalidInput(f"bad usb ids {address!r}", "Mã USB gồm hai số hệ 16, vd. 04b8:0202.") from None


def address_of(c: Connection) -> str:
    return {"file": c.folder, "spooler": c.queue, "serial": c.serial_port,
            "network": f"{c.host}:{c.tcp_port}" if c.host else "",
            "usb": f"{c.usb_vendor or 0:04x}:{c.usb_product or 0:04x}"}[c.type]


class PrintersPage(QWidget):
    def __init__(self, office: Office, *, actor: str, runner: Runner, report: Callable[[str, str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office, self.actor, self.runner, self.report = office, actor, runner, report
        self.found: list[PrinterView] = []
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["Tên máy in", "Loại", "Kết nối", "Dùng để in", "Quầy", "Tình trạng"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.name = QLineEdit(placeholderText="vd. Máy in vé quầy 1")
        self.kind = QComboBox()
        self.kind.addItem("Máy in nhiệt (vé, phiếu)", "thermal")
        self.kind.addItem("Máy in A4", "a4")
        self.paper = QComboBox()
        self.paper.addItem("Khổ 80 mm", 80)
        self.paper.addItem("Khổ 58 mm", 58)
        self.connection = QComboBox()
        for key, label, _hint in CONNECTIONS:
            self.connection.addItem(label, key)
        self.address = QLineEdit()
        self.connection.currentIndexChanged.connect(self._connection_changed)
        self.purposes = {key: QCheckBox(label) for key, label in PURPOSES}
        purposes = QHBoxLayout()
        for box in self.purposes.values():
            purposes.addWidget(box)
        self.counters = QLineEdit(placeholderText="vd. 1, 2 (để trống: mọi quầy)")
        self.enabled = QCheckBox("Đang dùng", checked=True)
        self.save_button = QPushButton("Lưu máy in")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton("In trang thử")
        self.test_button.clicked.connect(self.test_page)
        self.remove_button = QPushButton("Gỡ máy in")
        self.remove_button.clicked.connect(self.remove)
        form = QFormLayout()
        form.addRow("Tên", self.name)
        form.addRow("Loại", self.kind)
        form.addRow("Khổ giấy", self.paper)
        form.addRow("Kết nối", self.connection)
        form.addRow("Địa chỉ", self.address)
        form.addRow("In", purposes)
        form.addRow("Cho quầy", self.counters)
        form.addRow("", self.enabled)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.test_button, self.remove_button):
            buttons.addWidget(button)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(buttons)
        right.addStretch(1)
        layout.addLayout(right, 2)
        self._connection_changed()

    def _connection_changed(self) -> None:
        hint = next(h for key, _label, h in CONNECTIONS if key == self.connection.currentData())
        self.address.setPlaceholderText(hint)

    def reload(self) -> None:
        self.runner.run(self.office.printers, self._show, lambda exc: self.report(str(exc), "error"))

    def _show(self, printers: list[PrinterView]) -> None:
        self.found = printers
        labels = dict(PURPOSES)
        self.table.setRowCount(len(printers))
        for r, p in enumerate(printers):
            kind = f"Nhiệt {p.paper_mm} mm" if p.kind == "thermal" else "A4"
            cells = [p.name, kind, p.connection.label_vi(), ", ".join(labels[x] for x in p.purposes),
                     ", ".join(map(str, p.counters)) or "Mọi quầy", p.state_vi]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.found):
            return
        p = self.found[rows[0].row()]
        self.name.setText(p.name)
        self.kind.setCurrentIndex(self.kind.findData(p.kind))
        self.paper.setCurrentIndex(self.paper.findData(p.paper_mm))
        self.connection.setCurrentIndex(self.connection.findData(p.connection.type))
        self.address.setText(address_of(p.connection))
        for key, box in self.purposes.items():
            box.setChecked(key in p.purposes)
        self.counters.setText(", ".join(map(str, p.counters)))
        self.enabled.setChecked(p.enabled)

    def config(self) -> PrinterConfig:
        words = [w for w in self.counters.text().replace(";", ",").split(",") if w.strip()]
        if not all(w.strip().isdigit() for w in words):
            raise InvalidInput("bad printer counters", "Danh sách quầy gồm các số, cách nhau bởi dấu phẩy.")
        return PrinterConfig(name=self.name.text().strip(), kind=self.kind.currentData(),
                             paper_mm=self.paper.currentData(),
                             connection=connection_of(self.connection.currentData(), self.address.text()),
                             purposes=[k for k, box in self.purposes.items() if box.isChecked()],
                             counters=sorted({int(w) for w in words}), enabled=self.enabled.isChecked())

    def save(self) -> None:
        try:
            config = self.config()
        except Exception as exc:  # the form's own Vietnamese message (see ui.common.messages.error_text)
            self.report(error_text(exc), "error")
            return
        self.runner.run(partial(self.office.save_printer, config, actor=self.actor),
                        lambda _n: (self.report(f"Đã lưu máy in “{config.name}”.", "ok"), self.reload()),
                        self._failed)

    def test_page(self) -> None:
        name = self.name.text().strip()
        self.runner.run(partial(self.office.submit_print, PrintRequest(kind="test_page", printer=name),
                                actor=self.actor),
                        lambda job: self.report(f"Đã gửi trang in thử tới “{job.printer or name}”.", "ok"),
                        self._failed)

    def remove(self) -> None:
        name = self.name.text().strip()
        self.runner.run(partial(self.office.remove_printer, name, actor=self.actor),
                        lambda _n: (self.report(f"Đã gỡ máy in “{name}”.", "ok"), self.reload()), self._failed)

    def _failed(self, exc: Exception) -> None:
        self.report(error_text(exc), "error")
