"""What a clerk reads when something goes wrong, and the banner that shows it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy

from counter_app.errors import OfficeError

UNEXPECTED = "Đã có lỗi không mong muốn; chi tiết đã được ghi vào nhật ký."

STYLES = {
    "error": "background:#fde2e1; color:#7a1010; border:1px solid #e3a3a0;",
    "warning": "background:#fff4d6; color:#5c4200; border:1px solid #e6c66b;",
    "ok": "background:#e1f3e4; color:#124d1f; border:1px solid #9fd0a8;",
    "info": "background:#e6eef8; color:#123a63; border:1px solid #a9c2e0;",
}


def error_text(exc: Exception) -> str:
    return exc.message_vi if isinstance(exc, OfficeError) else UNEXPECTED


class Banner(QLabel):
    """A one-line (wrapping) message in the colour of its kind; hidden when empty."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setVisible(False)
        # A wrapped message needs its full height even when the window is short.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.kind = ""

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind if text else ""
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ {STYLES[kind]} padding: 6px 10px; border-radius: 4px; }}")
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("", "info")
