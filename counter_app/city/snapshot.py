"""What the hub tells the city with each sync round besides its ops: the queue now and its outbox, small
enough to send every round (the city's live view shows it beside each point's figures)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from counter_app.city import outbox
from counter_app.rules.clock import TZ, aware
from counter_app.rules.queue import TicketState
from counter_app.store.models import Counter, Outbox, Ticket


def point_snapshot(session: Session, at: datetime) -> dict[str, object]:
    """Waiting tickets today and the longest wait among them, counters open, ops waiting and refused."""
    day = aware(at).astimezone(TZ).date()
    waiting, first = session.exec(select(func.count(), func.min(Ticket.arrival_at)).where(
        col(Ticket.day) == day, col(Ticket.state) == TicketState.WAITING.value)).one()
    counters = session.exec(select(func.count()).select_from(Counter).where(
        col(Counter.active), col(Counter.is_open))).one()
    refused = session.exec(select(func.count()).select_from(Outbox).where(col(Outbox.state) == "rejected")).one()
    longest = max(0, int((aware(at) - aware(first)).total_seconds())) if first is not None else 0
    return {"taken_at": aware(at), "waiting": int(waiting), "longest_wait_s": longest,
            "counters_open": int(counters), "ops_waiting": outbox.pending_count(session), "ops_refused": int(refused)}
