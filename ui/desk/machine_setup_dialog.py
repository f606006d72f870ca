"""A LAN PC just registered: its token with the hub's address and certificate, as a QR the new PC's barcode
scanner reads into `counter-app join`, and as text. Shown this once: the office keeps only a hash."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from counter_app.views.machines import MachineSetup


def qr_pixmap(text: str, size: int = 360) -> QPixmap:
    import qrcode  # only when a machine is set up

    image = qrcode.make(text, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


class MachineSetupDialog(QDialog):
    def __init__(self, setup: MachineSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        m = setup.machine
        self.setWindowTitle(f"Thiết lập máy {m.name}")
        where = f", quầy số {m.counter_no}" if m.counter_no else ""
        title = QLabel(f"<b>{m.kind.label_vi} “{m.name}”{where}</b> đã được đăng ký.")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        self.qr = QLabel()
        self.text = QLineEdit(setup.scan_text if setup.hub_url else setup.token, readOnly=True)
        if setup.hub_url:
            self.qr.setPixmap(qr_pixmap(setup.scan_text))
            self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
            how = ("Trên máy mới, mở cửa sổ lệnh, gõ <b>counter-app join</b> rồi quét mã QR này bằng máy quét "
                   "(hoặc dán dòng bên dưới).")
            layout.addWidget(self.qr)
        else:
            how = ("Máy chủ văn phòng chưa mở cho mạng nội bộ (hub_listen chỉ là máy này): đây là mã máy; "
                   "cần khai báo địa chỉ máy chủ khi mở mạng nội bộ.")
        note = QLabel(how + " Mã chỉ hiện <b>một lần</b>; mất mã thì thu hồi máy và cấp lại.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.text)
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        layout.addWidget(close)
