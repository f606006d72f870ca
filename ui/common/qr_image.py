"""A QR code as a Qt image, drawn from the `qrcode` library's matrix (for a payment QR on screen)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap


def qr_pixmap(data: str, size: int = 220) -> QPixmap:
    """`data` as a square QR code about `size` pixels wide, with its quiet zone, black on white."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # the border included
    scale = max(1, size // len(matrix))
    image = QImage(len(matrix) * scale, len(matrix) * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                painter.drawRect(c * scale, r * scale, scale, scale)
    painter.end()
    return QPixmap.fromImage(image)
