"""How the city sync reads in the status bar and the sync dialog (plain functions of a `SyncStatus`)."""

from __future__ import annotations

from counter_app.rules.display import fmt_datetime, fmt_span
from counter_app.rules.lifecycle import Action
from counter_app.views.sync import SyncStatus

SYNC_NOT_SET = "Đồng bộ thành phố: chưa cài đặt"
NOT_SET_TIP = "Văn phòng chưa được cài đặt đồng bộ với máy chủ thành phố; xin báo quản trị."


def count(n: int) -> str:
    """A count as a clerk reads it: 1.101, not 1101."""
    return f"{n:,}".replace(",", ".")


def kind_label(kind: str) -> str:
    """An op's kind as the clerk reads it ("Tiếp nhận hồ sơ")."""
    try:
        return Action(kind).label_vi.capitalize()
    except ValueError:
        return kind


CLOCK_SKEW_WARN_S = 300  # a PC clock this far off the city's dates receipts wrongly


def clock_warning(status: SyncStatus) -> str:
    """A warning when this PC's clock is off the city's by more than a few minutes; "" when it is not."""
    skew = status.clock_skew_s
    if skew is None or abs(skew) <= CLOCK_SKEW_WARN_S:
        return ""
    side = "nhanh" if skew > 0 else "chậm"
    return f"Đồng hồ máy {side} {fmt_span(skew)} so với thành phố: xin chỉnh lại ngày giờ"


def sync_text(status: SyncStatus) -> tuple[str, str, str]:
    """(label, tooltip, colour) of the sync button for a sync state."""
    if not status.configured:
        return SYNC_NOT_SET, NOT_SET_TIP, ""
    waiting = f" · {count(status.pending)} chờ gửi" if status.pending else ""
    refused = f" · {len(status.rejected)} bị từ chối" if status.rejected else ""
    clock = clock_warning(status)
    last = fmt_datetime(status.last_success_at) or "chưa lần nào"
    tip = [f"Lần đồng bộ thành công gần nhất: {last}"]
    if status.next_try_at:
        tip.append(f"Lần thử tới: {fmt_datetime(status.next_try_at)}")
    tip += [f"Bị từ chối: {op.dossier_code} ({kind_label(op.kind)}): {op.reason_vi}" for op in status.rejected[:10]]
    tip.append("Bấm để xem chi tiết, gửi lại hoặc đồng bộ ngay (Ctrl+Shift+Y).")
    if status.failures:
        return f"Đồng bộ lỗi: {status.last_error_vi}{waiting}{refused}", "\n".join(tip), "#9b1c1c"
    if clock:
        return f"{clock}{waiting}{refused}", "\n".join(tip), "#9b1c1c"
    return f"Đồng bộ: {last}{waiting}{refused}", "\n".join(tip), "#8a5a00" if status.rejected else ""
