"""Live queue figures: people ahead, wait estimates, waiting per lane, what a counter's panel shows."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from counter_app.queue.service import counter_lane_ids, current_ticket, day_start, get_counter, settings
from counter_app.rules.clock import aware
from counter_app.rules.queue import PRIORITY_LABELS, QueueSettings, TicketState
from counter_app.store.models import Counter, Lane, Ticket, TicketCall
from counter_app.views.queue import (
    CallView,
    CounterNow,
    CounterQueue,
    LaneStatus,
    QueueStatus,
    TicketView,
    WaitEstimate,
)

WAITING = TicketState.WAITING.value


class LaneName(NamedTuple):
    """What a ticket's view needs of its lane (a `Lane` row costs more to make than the query that reads it)."""

    id: int
    prefix: str
    name: str


def _lanes(session: Session) -> dict[int, Lane]:
    return {lane.id: lane for lane in session.exec(select(Lane).order_by(col(Lane.sort))).all()}


def people_ahead(session: Session, ticket: Ticket) -> int:
    """Waiting tickets of the same lane that will be called first (priority ones, then earlier arrivals)."""
    same_lane = select(func.count()).select_from(Ticket).where(
        col(Ticket.day) == ticket.day, col(Ticket.state) == WAITING, col(Ticket.lane_id) == ticket.lane_id,
        col(Ticket.id) != ticket.id,
    )
    earlier = (col(Ticket.arrival_at) < ticket.arrival_at) | (
        (col(Ticket.arrival_at) == ticket.arrival_at) & (col(Ticket.id) < ticket.id))
    is_priority = col(Ticket.priority) != ""
    cond = (is_priority & earlier) if ticket.priority else (is_priority | earlier)
    return int(session.exec(same_lane.where(cond)).one())


def open_counters_for(session: Session, lane: Lane | LaneName) -> int:
    counters = session.exec(select(Counter).where(col(Counter.active), col(Counter.is_open))).all()
    return sum(1 for c in counters if lane.prefix in c.lanes)


def recent_service_min(session: Session, lane_id: int, rules: QueueSettings) -> float:
    """Average service time of the lane's last few finished tickets; the setting's default before any."""
    rows = session.exec(select(Ticket.serving_at, Ticket.done_at).where(
        col(Ticket.lane_id) == lane_id, col(Ticket.state) == TicketState.DONE.value,
        col(Ticket.serving_at).is_not(None),
    ).order_by(col(Ticket.done_at).desc()).limit(rules.recent_services)).all()
    if not rows:
        return rules.default_service_min
    return sum((aware(done) - aware(start)).total_seconds() for start, done in rows) / len(rows) / 60


def estimate(ahead: int, service_min: float, open_counters: int) -> WaitEstimate:
    """Between "the people ahead are served by the open counters" and one service slot more."""
    if open_counters <= 0:
        return WaitEstimate()
    per = service_min / open_counters
    return WaitEstimate(low_min=math.floor(per * ahead), high_min=math.ceil(per * (ahead + 1)))


def ticket_view(session: Session, ticket: Ticket, lanes: Mapping[int, Lane | LaneName] | None = None,
                rules: QueueSettings | None = None) -> TicketView:
    """A ticket with, while it waits, the people ahead of it and its estimated wait."""
    if lanes is None:  # its lane's prefix and name alone, in plain SQL: every queue step answers with this
        prefix, name = session.connection().exec_driver_sql(
            "SELECT prefix, name FROM lane WHERE id = ?", (ticket.lane_id,)).one()
        lanes = {ticket.lane_id: LaneName(ticket.lane_id, prefix, name)}
    lane = lanes[ticket.lane_id]
    view = _light_view(ticket, lanes)
    if ticket.state == WAITING:
        rules = rules or settings(session)
        view.people_ahead = people_ahead(session, ticket)
        view.estimate = estimate(view.people_ahead, recent_service_min(session, lane.id, rules),
                                 open_counters_for(session, lane))
    return view


def _count(session: Session, day: date, state: TicketState, counter_no: int | None = None) -> int:
    query = select(func.count()).select_from(Ticket).where(col(Ticket.day) == day, col(Ticket.state) == state.value)
    if counter_no is not None:
        query = query.where(col(Ticket.counter_no) == counter_no)
    return int(session.exec(query).one())


def calls_since(session: Session, after_id: int, limit: int = 50) -> list[CallView]:
    rows = session.exec(select(TicketCall).where(col(TicketCall.id) > after_id)
                        .order_by(col(TicketCall.id)).limit(limit)).all()
    return [CallView(**r.model_dump(exclude={"ticket_id"})) for r in rows]


def queue_status(session: Session, day: date, calls: int = 8) -> QueueStatus:
    rules = settings(session)
    waiting = dict(session.exec(select(Ticket.lane_id, func.count()).where(
        col(Ticket.day) == day, col(Ticket.state) == WAITING).group_by(col(Ticket.lane_id))).all())
    priority = dict(session.exec(select(Ticket.lane_id, func.count()).where(
        col(Ticket.day) == day, col(Ticket.state) == WAITING, col(Ticket.priority) != "")
        .group_by(col(Ticket.lane_id))).all())
    lanes = []
    for lane in _lanes(session).values():
        n_open = open_counters_for(session, lane)
        lanes.append(LaneStatus(
            prefix=lane.prefix, name=lane.name, waiting=waiting.get(lane.id, 0),
            priority_waiting=priority.get(lane.id, 0), open_counters=n_open,
            estimate_last=estimate(waiting.get(lane.id, 0), recent_service_min(session, lane.id, rules), n_open),
        ))
    recent = session.exec(select(TicketCall).where(col(TicketCall.at) >= day_start(day))
                          .order_by(col(TicketCall.id).desc()).limit(calls)).all()
    return QueueStatus(
        day=day, lanes=lanes, calls=[CallView(**r.model_dump(exclude={"ticket_id"})) for r in recent],
        serving=now_serving(session, day),
        served_today=_count(session, day, TicketState.DONE), no_show_today=_count(session, day, TicketState.NO_SHOW),
    )


def now_serving(session: Session, day: date) -> list[CounterNow]:
    """Each open counter (or one still serving) with the ticket it has called or serves now."""
    active = {TicketState.CALLED.value, TicketState.SERVING.value}
    current = {no: (label, state) for no, label, state in session.exec(
        select(Ticket.counter_no, Ticket.label, Ticket.state).where(
            col(Ticket.day) == day, col(Ticket.state).in_(active)).order_by(col(Ticket.id))).all()}
    counters = [c for c in session.exec(select(Counter).where(col(Counter.active)).order_by(col(Counter.number)))
                if c.is_open or c.number in current]  # a counter still serving someone is shown until done
    return [CounterNow(counter_no=c.number, name=c.name, label=current.get(c.number, ("", ""))[0],
                       state=current.get(c.number, ("", ""))[1]) for c in counters]


def counter_queue(session: Session, day: date, counter_no: int, limit: int = 30) -> CounterQueue:
    counter = get_counter(session, counter_no)
    rules = settings(session)
    lanes = _lanes(session)
    lane_ids = counter_lane_ids(session, counter.lanes)
    direct = col(Ticket.target_counter) == counter_no
    in_lanes = col(Ticket.lane_id).in_(lane_ids) & col(Ticket.target_counter).is_(None)
    where = (col(Ticket.day) == day, col(Ticket.state) == WAITING, direct | in_lanes)
    # The order `pick_next` follows (without the anti-starvation turn, which depends on the moment),
    # sorted and cut in SQL: the panel refreshes every few seconds on every counter.
    rank = case({lane_id: i for i, lane_id in enumerate(lane_ids)}, value=col(Ticket.lane_id), else_=99)
    rows = session.exec(select(Ticket).where(*where).order_by(
        case((direct, 0), else_=1), case((col(Ticket.priority) != "", 0), else_=1),
        rank, col(Ticket.arrival_at), col(Ticket.id)).limit(limit)).all()
    total = int(session.exec(select(func.count()).select_from(Ticket).where(*where)).one())
    held = session.exec(select(Ticket).where(col(Ticket.day) == day, col(Ticket.state) == TicketState.HELD.value,
                                             col(Ticket.counter_no) == counter_no)).all()
    current = current_ticket(session, day, counter_no)
    return CounterQueue(
        counter_no=counter.number, counter_name=counter.name, lanes=list(counter.lanes), is_open=counter.is_open,
        current=ticket_view(session, current, lanes, rules) if current else None,
        waiting=[_light_view(t, lanes) for t in rows], waiting_total=total,
        held=[_light_view(t, lanes) for t in held],
        served_today=_count(session, day, TicketState.DONE, counter_no),
        no_show_today=_count(session, day, TicketState.NO_SHOW, counter_no),
        recalls_before_no_show=rules.recalls_before_no_show,
    )


def _light_view(ticket: Ticket, lanes: Mapping[int, Lane | LaneName]) -> TicketView:
    """A ticket for a list: no per-ticket estimate queries."""
    lane = lanes[ticket.lane_id]
    return TicketView(
        **ticket.model_dump(exclude={"lane_id", "number", "source", "closed_reason"}),
        lane_prefix=lane.prefix, lane_name=lane.name, priority_label=PRIORITY_LABELS.get(ticket.priority, ""),
        state_label=TicketState(ticket.state).label_vi,
    )


def tickets_of_day(session: Session, day: date) -> list[TicketView]:
    lanes = _lanes(session)
    rows = session.exec(select(Ticket).where(col(Ticket.day) == day).order_by(col(Ticket.id))).all()
    return [_light_view(t, lanes) for t in rows]
