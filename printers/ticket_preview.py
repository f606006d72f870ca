"""The queue ticket as text lines, written to a preview file until the thermal printer driver exists.

The printing issue replaces the file with ESC/POS raster output; the lines here are the
ticket's content either way (DOMAIN.md, Queue: office, big number, lane, priority mark,
date and time, people ahead, estimated wait).
"""

from __future__ import annotations

import logging
from pathlib import Path

from counter_app.queue_views import TicketView

log = logging.getLogger(__name__)


def ticket_lines(ticket: TicketView, office_name: str) -> list[str]:
    lines = [
        office_name.upper(),
        "PHIẾU SỐ THỨ TỰ",
        ticket.label,
        ticket.lane_name,
    ]
    if ticket.priority:
        lines.append(f"ƯU TIÊN – {ticket.priority_label}")
    lines.append(f"Lấy số lúc {ticket.issued_at:%H:%M} ngày {ticket.issued_at:%d/%m/%Y}")
    if ticket.people_ahead is not None:
        lines.append(f"Số người đang chờ trước: {ticket.people_ahead}")
    if ticket.estimate is not None:
        lines.append(f"Thời gian chờ dự kiến: {ticket.estimate.label_vi}")
    lines.append("Vui lòng chú ý màn hình và loa gọi số.")
    return lines


def write_ticket_preview(folder: Path, ticket: TicketView, office_name: str) -> Path:
    """Write the ticket to `folder/ticket-<day>-<label>.txt` (UTF-8) and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ticket-{ticket.day:%Y%m%d}-{ticket.label}.txt"
    path.write_text("\n".join(ticket_lines(ticket, office_name)) + "\n", encoding="utf-8")
    log.info("ticket %s written to preview %s", ticket.label, path)
    return path
