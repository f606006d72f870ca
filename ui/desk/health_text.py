"""How the store's health reads in the status bar: the newest backup, and a warning when the disk fills."""

from __future__ import annotations

from counter_app.rules.display import fmt_datetime
from counter_app.views.health import StoreHealth

RED = "#9b1c1c"


def health_text(health: StoreHealth) -> tuple[str, str, str]:
    """(text, tooltip, colour; "" for the usual colour)."""
    gb = f"{health.free_bytes / 1e9:.1f}".replace(".", ",")
    space = f"Ổ đĩa máy chủ chỉ còn {gb} GB" if health.low_space else ""
    if not health.backups_set_up:
        text, tip = "Sao lưu: chưa cài đặt", "Quản trị tạo khóa sao lưu bằng lệnh “counter-app backup key”."
    elif health.last_backup_at is None:
        text, tip = "Chưa có bản sao lưu", "Văn phòng tự sao lưu sau giờ đóng cửa mỗi ngày làm việc."
    else:
        text = f"Sao lưu: {fmt_datetime(health.last_backup_at)}"
        tip = "Bản sao lưu tốt gần nhất (tự sao lưu sau giờ đóng cửa mỗi ngày làm việc)."
        if health.backup_overdue:
            text = f"Quá 2 ngày làm việc chưa sao lưu (lần cuối {fmt_datetime(health.last_backup_at)})"
    if health.last_error_vi:
        tip = f"Lần sao lưu gần nhất không thành công: {health.last_error_vi}\n{tip}"
    if space:
        text, tip = f"{space} · {text}", f"{space}: xin quản trị giải phóng dung lượng.\n{tip}"
    bad = space or health.backup_overdue or health.last_error_vi or not health.backups_set_up
    return text, tip, RED if bad else ""
