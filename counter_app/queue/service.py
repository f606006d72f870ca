"""The queue's steps: issue a ticket, call, recall, serve, finish, no-show, transfer, hold, close the day.

Each function runs inside the caller's one IMMEDIATE store transaction, so choosing the next
ticket and marking it called cannot interleave with another counter, in this process or another.
Every step writes a hash-chained event; calls and recalls also write a `ticket_call` row that
the board follows.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import TextClause, bindparam, func, insert, text, update
from sqlmodel import Session, col, select

from counter_app import accounts, audit
from counter_app.dossiers import numbering
from counter_app.dossiers.catalog import active_procedure
from counter_app.errors import InvalidInput, InvalidTransition, NotFound
from counter_app.office_setup import get_office
from counter_app.rules.clock import TZ, aware
from counter_app.rules.queue import (
    AT_COUNTER,
    OPEN_STATES,
    PRIORITY_LABELS,
    QueueSettings,
    TicketState,
    TicketStep,
    next_state,
)
from counter_app.store.models import Counter, Lane, Ticket, TicketCall
from counter_app.store.types import stored_text
from counter_app.views.accounts import Role

log = logging.getLogger(__name__)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


def settings(session: Session) -> QueueSettings:
    """The office's queue rules; only their column is read, in plain SQL, as every "next" needs them."""
    row = session.connection().exec_driver_sql("SELECT queue FROM office WHERE id = 1").first()
    if row is None:  # no office yet: get_office raises the "set the office up" error
        return QueueSettings.from_row(get_office(session).queue)
    return QueueSettings.from_row(json.loads(row[0]) if row[0] else None)


def _record(session: Session, ticket: Ticket, step: TicketStep, at: datetime, actor: str, **details: Any) -> None:
    audit.append(
        session, at=at, actor=actor, subject=f"ticket:{ticket.day.isoformat()}:{ticket.label}",
        kind=f"ticket.{step.value}", details={"state": ticket.state, "counter": ticket.counter_no, **details},
    )


_INSERT_CALL = insert(TicketCall.__table__)  # built once: its parameters are bound at each call


def _announce(session: Session, ticket: Ticket, at: datetime, *, recall: bool) -> None:
    session.execute(_INSERT_CALL, {  # a plain insert: nothing to track in the session
        "ticket_id": ticket.id, "label": ticket.label, "counter_no": ticket.counter_no, "at": at, "recall": recall,
        "priority": bool(ticket.priority)})


# --- looking things up

def find_lane(session: Session, prefix: str) -> Lane:
    lane = session.exec(select(Lane).where(col(Lane.prefix) == prefix.strip().upper())).first()
    if lane is None:
        raise NotFound(f"no lane with prefix {prefix!r}", f"Không có quầy/lĩnh vực mang ký hiệu “{prefix}”.")
    return lane


def lane_for_procedure(session: Session, key: str) -> Lane:
    """The lane that takes a procedure: one the office gave the procedure's field to (`set_lane_fields`),
    else the one taking the lane group the catalog gave it (from its field, `data/field_lanes.json`)."""
    proc = active_procedure(session, key)
    lanes = session.exec(select(Lane).order_by(col(Lane.sort))).all()
    for lane in lanes:
        if proc.field in lane.groups:
            return lane
    for lane in lanes:
        if proc.lane in lane.groups:
            return lane
    raise NotFound(
        f"no lane takes procedure group {proc.lane!r} of {key}",
        f"Chưa có hàng chờ nào nhận lĩnh vực “{proc.lane}”; hãy báo quản trị viên cấu hình hàng chờ.",
    )


def get_counter(session: Session, number: int) -> Counter:
    counter = session.exec(select(Counter).where(col(Counter.number) == number)).first()
    if counter is None or not counter.active:
        raise _no_counter(number)
    return counter


def _no_counter(number: int) -> NotFound:
    return NotFound(f"counter {number} does not exist or is inactive", f"Quầy số {number} không tồn tại.")


def _counter_lane_ids(session: Session, number: int) -> list[int]:
    """The ids of the lanes an active counter takes, in its order; in one plain query, as every "next" asks."""
    row = session.connection().exec_driver_sql(
        "SELECT lanes, active, (SELECT json_group_object(prefix, id) FROM lane) FROM counter WHERE number = ?",
        (number,)).first()
    if row is None or not row[1]:
        raise _no_counter(number)
    by_prefix = json.loads(row[2])
    return [by_prefix[p] for p in (json.loads(row[0]) if row[0] else []) if p in by_prefix]


def counter_lane_ids(session: Session, lanes: list[str]) -> list[int]:
    """The ids of the lanes with these prefixes, in their order."""
    by_prefix = dict(session.connection().exec_driver_sql("SELECT prefix, id FROM lane").all())
    return [by_prefix[p] for p in lanes if p in by_prefix]


def ticket_by_label(session: Session, day: date, label: str) -> Ticket:
    wanted = label.strip().upper()
    ticket = session.exec(select(Ticket).where(col(Ticket.day) == day, col(Ticket.label) == wanted)).first()
    if ticket is None:
        older = session.exec(select(Ticket).where(col(Ticket.label) == wanted, col(Ticket.day) < day)
                             .order_by(col(Ticket.day).desc())).first()
        if older is not None:
            raise InvalidTransition(
                f"ticket {wanted} belongs to {older.day}, not today {day}",
                f"Vé {wanted} là vé của ngày {older.day:%d/%m/%Y}; chỉ gọi được vé của hôm nay.",
            )
        raise NotFound(f"no ticket {wanted} today", f"Hôm nay không có vé số {wanted}.")
    return ticket


def current_ticket(session: Session, day: date, counter_no: int) -> Ticket | None:
    return session.exec(select(Ticket).where(
        col(Ticket.day) == day, col(Ticket.counter_no) == counter_no,
        col(Ticket.state).in_([s.value for s in AT_COUNTER]),
    )).first()


def _require_current(session: Session, day: date, counter_no: int) -> Ticket:
    ticket = current_ticket(session, day, counter_no)
    if ticket is None:
        raise InvalidTransition(
            f"counter {counter_no} has no ticket called or in service",
            f"Quầy số {counter_no} chưa gọi vé nào; hãy bấm “Gọi số tiếp theo”.",
        )
    return ticket


def _require_free(session: Session, day: date, counter_no: int) -> None:
    """Plain SQL: every "next" asks, and most of the time the answer is "free"."""
    busy = session.connection().exec_driver_sql(
        f"SELECT label, state FROM ticket WHERE day = ? AND counter_no = ? AND state IN ({_AT_COUNTER_SQL}) LIMIT 1",
        (day.isoformat(), counter_no)).first()
    if busy is not None:
        label, state = busy
        raise InvalidTransition(
            f"counter {counter_no} still has ticket {label} ({state})",
            f"Quầy số {counter_no} đang có vé {label} ({TicketState(state).label_vi}); "
            "hãy hoàn thành, chuyển, tạm giữ hoặc đánh dấu vắng mặt trước khi gọi vé khác.",
        )


# --- the day

def close_open_tickets(session: Session, at: datetime, *, before: date, actor: str, reason: str) -> int:
    """Close every open ticket of days before `before` as not served; they never carry over."""
    stale = session.exec(select(Ticket).where(
        col(Ticket.day) < before, col(Ticket.state).in_([s.value for s in OPEN_STATES]),
    )).all()
    for ticket in stale:
        ticket.state = next_state(ticket.label, ticket.state, TicketStep.CLOSE).value
        ticket.closed_reason = reason
        session.add(ticket)
        _record(session, ticket, TicketStep.CLOSE, at, actor, reason=reason)
    if stale:
        log.info("closed %d open tickets of days before %s (%s)", len(stale), before, reason)
    return len(stale)


# Per database, the day through which earlier days' tickets are known closed in this process.
# Tickets are only ever issued for the day they are issued on, so once closed they stay closed.
_closed_before: dict[str, date] = {}


def close_stale(session: Session, at: datetime) -> int:
    """Called at every queue step: a new day first closes what yesterday left open."""
    today = aware(at).date()
    key = str(session.get_bind().url)
    if _closed_before.get(key) == today:
        return 0
    closed = close_open_tickets(session, at, before=today, actor="system", reason="end of day")
    session.info.setdefault("after_commit", []).append(lambda: _closed_before.__setitem__(key, today))
    return closed


# --- the steps

def issue(
    session: Session, at: datetime, *, lane: str = "", procedure: str = "", priority: str = "",
    source: str = "kiosk", actor: str = "kiosk",
) -> Ticket:
    at = aware(at)
    close_stale(session, at)
    if priority and priority not in PRIORITY_LABELS:
        raise InvalidInput(f"unknown priority group {priority!r}", f"Diện ưu tiên “{priority}” không hợp lệ.")
    if procedure:
        target = lane_for_procedure(session, procedure)
    elif lane:
        target = find_lane(session, lane)
    else:
        raise InvalidInput("ticket without lane or procedure", "Hãy chọn lĩnh vực hoặc thủ tục để lấy số.")
    day = at.date()
    number = numbering.next_value(session, "ticket", f"{day:%Y%m%d}-{target.prefix}")
    ticket = Ticket(
        day=day, label=f"{target.prefix}{number:03d}", number=number, lane_id=target.id, priority=priority,
        procedure_key=procedure, source=source, state=TicketState.WAITING.value, issued_at=at, arrival_at=at,
    )
    session.add(ticket)
    session.flush()
    audit.append(session, at=at, actor=actor, subject=f"ticket:{day.isoformat()}:{ticket.label}",
                 kind="ticket.issue", details={"lane": target.prefix, "priority": priority, "source": source})
    return ticket


def _priority_streak(session: Session, day: date, counter_no: int, length: int) -> bool:
    """Were this counter's last `length` calls today all priority tickets? (Plain SQL, by today's index.)"""
    flags = [row[0] for row in session.connection().exec_driver_sql(
        "SELECT priority FROM ticket_call WHERE counter_no = ? AND recall = 0 AND at >= ? "
        "ORDER BY at DESC, id DESC LIMIT ?", (counter_no, stored_text(day_start(day)), length))]
    return len(flags) == length and all(flags)


_AT_COUNTER_SQL = ", ".join(f"'{s.value}'" for s in AT_COUNTER)  # enum values, never input
_HEAD = ("SELECT {part} AS part, id, arrival_at FROM (SELECT id, arrival_at FROM ticket "
         "WHERE day = :day AND state = 'waiting' AND {cond} ORDER BY arrival_at, id LIMIT 1)")


@dataclass(frozen=True, order=True)
class _Head:
    """The first ticket of one sub-queue of a counter, sortable into call order."""

    ordinary: bool  # False: transferred to this counter or a priority ticket
    lane_rank: int  # -1 for a ticket transferred to this very counter
    arrival_at: str
    ticket_id: int


@lru_cache(maxsize=32)
def _heads_query(lanes: int) -> tuple[TextClause, dict[int, tuple[bool, int]]]:
    """The UNION ALL of `_heads` for a counter taking `lanes` lanes, and each part's place in the call order;
    built once per lane count (building the text per call cost a tenth of a "next")."""
    parts = [_HEAD.format(part=0, cond="target_counter = :counter")]
    kinds: dict[int, tuple[bool, int]] = {0: (False, -1)}
    for rank in range(lanes):
        for ordinary, cond in ((False, "priority != ''"), (True, "priority = ''")):
            kinds[len(parts)] = (ordinary, rank)
            parts.append(_HEAD.format(part=len(parts),
                                      cond=f"lane_id = :lane{rank} AND target_counter IS NULL AND {cond}"))
    return text(" UNION ALL ".join(parts)), kinds


def _heads(session: Session, day: date, counter_no: int, lane_ids: list[int]) -> list[_Head]:
    """The head of each sub-queue the counter takes from: transferred to it, then per lane priority/ordinary.

    One index seek per sub-queue (a UNION ALL of LIMIT 1 queries) instead of sorting every
    waiting ticket: with 2,000 waiting this keeps "call next" within a few milliseconds.
    """
    query, kinds = _heads_query(len(lane_ids))
    params: dict[str, object] = {"day": day.isoformat(), "counter": counter_no}
    params.update((f"lane{rank}", lane_id) for rank, lane_id in enumerate(lane_ids))
    rows = session.execute(query, params).all()
    return [_Head(*kinds[part], arrival_at=arrival, ticket_id=ticket_id) for part, ticket_id, arrival in rows]


def pick_next(session: Session, day: date, counter_no: int, lane_ids: list[int], rules: QueueSettings,
              at: datetime) -> int | None:
    """The id of the waiting ticket "next" gives this counter, without taking it.

    Order: tickets transferred to this very counter; then priority tickets of its lanes; then
    ordinary ones, by the counter's lane order and arrival. After `priority_streak_max` priority
    calls in a row, an ordinary ticket that has waited longer than `ordinary_wait_max_min` goes first.
    """
    heads = _heads(session, day, counter_no, lane_ids)
    if not heads:
        return None
    best = min(heads)
    if best.lane_rank >= 0 and not best.ordinary:  # a priority ticket: is an ordinary one overdue?
        ordinary = [h for h in heads if h.ordinary]
        oldest = min(ordinary, key=lambda h: (h.arrival_at, h.ticket_id), default=None)
        if oldest is not None and at - datetime.fromisoformat(oldest.arrival_at) > timedelta(
                minutes=rules.ordinary_wait_max_min) and _priority_streak(
                session, day, counter_no, rules.priority_streak_max):
            best = oldest
    return best.ticket_id


def _call(session: Session, ticket: Ticket, counter_no: int, at: datetime, actor: str, step: TicketStep) -> Ticket:
    ticket.state = next_state(ticket.label, ticket.state, step).value
    ticket.counter_no = counter_no
    ticket.target_counter = None
    ticket.called_at = at
    ticket.first_called_at = ticket.first_called_at or at
    session.add(ticket)
    _announce(session, ticket, at, recall=False)
    _record(session, ticket, step, at, actor)
    return ticket


def call_next(session: Session, at: datetime, counter_no: int, actor: str) -> Ticket | None:
    at = aware(at)
    close_stale(session, at)
    lane_ids = _counter_lane_ids(session, counter_no)
    _require_free(session, at.date(), counter_no)
    ticket_id = pick_next(session, at.date(), counter_no, lane_ids, settings(session), at)
    if ticket_id is None:
        return None
    ticket = _take(session, ticket_id, counter_no, at)
    _announce(session, ticket, at, recall=False)
    _record(session, ticket, TicketStep.CALL, at, actor)
    return ticket


_CALLED = next_state("", TicketState.WAITING.value, TicketStep.CALL).value
_T = Ticket.__table__
# Built once (SQLAlchemy then caches its compiled form by the statement itself): building it per call
# cost a tenth of a "next". Under the write lock the ticket `pick_next` saw waiting still waits.
_TAKE = (update(_T).where(_T.c.id == bindparam("ticket"), _T.c.state == TicketState.WAITING.value)
         .values(state=_CALLED, counter_no=bindparam("counter"), target_counter=None,
                 called_at=bindparam("called", type_=_T.c.called_at.type),
                 first_called_at=func.coalesce(_T.c.first_called_at,
                                               bindparam("called", type_=_T.c.first_called_at.type)))
         .returning(*_T.c))


def _take(session: Session, ticket_id: int, counter_no: int, at: datetime) -> Ticket:
    """Mark the waiting ticket `pick_next` chose called, in one UPDATE … RETURNING: loading it into the
    session and flushing it back cost a fifth of a "next". The ticket returned is not in the session."""
    row = session.execute(_TAKE, {"ticket": ticket_id, "counter": counter_no, "called": at}).one()
    return Ticket(**row._mapping)


def call_ticket(session: Session, at: datetime, counter_no: int, label: str, actor: str) -> Ticket:
    """Call one waiting ticket out of turn (or a held one back)."""
    at = aware(at)
    close_stale(session, at)
    get_counter(session, counter_no)
    ticket = ticket_by_label(session, at.date(), label)
    _require_free(session, at.date(), counter_no)
    step = TicketStep.RESUME if ticket.state == TicketState.HELD.value else TicketStep.CALL
    if step is TicketStep.RESUME and ticket.counter_no not in (None, counter_no):
        raise InvalidTransition(
            f"ticket {ticket.label} is held by counter {ticket.counter_no}",
            f"Vé {ticket.label} đang được quầy số {ticket.counter_no} tạm giữ.",
        )
    return _call(session, ticket, counter_no, at, actor, step)


def recall(session: Session, at: datetime, counter_no: int, actor: str) -> Ticket:
    at = aware(at)
    ticket = _require_current(session, at.date(), counter_no)
    ticket.state = next_state(ticket.label, ticket.state, TicketStep.RECALL).value
    ticket.recalls += 1
    ticket.called_at = at
    session.add(ticket)
    _announce(session, ticket, at, recall=True)
    _record(session, ticket, TicketStep.RECALL, at, actor, recalls=ticket.recalls)
    return ticket


def start_serving(session: Session, at: datetime, counter_no: int, actor: str) -> Ticket:
    at = aware(at)
    ticket = _require_current(session, at.date(), counter_no)
    ticket.state = next_state(ticket.label, ticket.state, TicketStep.SERVE).value
    ticket.serving_at = at
    session.add(ticket)
    _record(session, ticket, TicketStep.SERVE, at, actor)
    return ticket


def finish(session: Session, at: datetime, counter_no: int, actor: str, dossier_codes: list[str]) -> Ticket:
    at = aware(at)
    ticket = _require_current(session, at.date(), counter_no)
    ticket.state = next_state(ticket.label, ticket.state, TicketStep.FINISH).value
    ticket.done_at = at
    ticket.dossier_codes = sorted({c.strip() for c in dossier_codes if c.strip()})
    session.add(ticket)
    _record(session, ticket, TicketStep.FINISH, at, actor, dossiers=ticket.dossier_codes)
    return ticket


def no_show(session: Session, at: datetime, counter_no: int, actor: str) -> Ticket:
    at = aware(at)
    ticket = _require_current(session, at.date(), counter_no)
    needed = settings(session).recalls_before_no_show
    if ticket.state == TicketState.CALLED.value and ticket.recalls < needed:
        raise InvalidTransition(
            f"ticket {ticket.label}: no-show needs {needed} recalls, has {ticket.recalls}",
            f"Cần gọi lại vé {ticket.label} đủ {needed} lần trước khi đánh dấu vắng mặt "
            f"(đã gọi lại {ticket.recalls} lần).",
        )
    ticket.state = next_state(ticket.label, ticket.state, TicketStep.NO_SHOW).value
    ticket.done_at = at
    session.add(ticket)
    _record(session, ticket, TicketStep.NO_SHOW, at, actor)
    return ticket


def transfer(
    session: Session, at: datetime, counter_no: int, actor: str, *, to_lane: str = "", to_counter: int | None = None
) -> Ticket:
    """Send the counter's ticket back to wait for another lane or counter; its arrival time is kept."""
    at = aware(at)
    ticket = _require_current(session, at.date(), counter_no)
    if bool(to_lane) == (to_counter is not None):
        raise InvalidInput("transfer needs exactly one of lane or counter",
                           "Hãy chọn chuyển sang một lĩnh vực hoặc sang một quầy.")
    if to_counter is not None:
        if to_counter == counter_no:
            raise InvalidInput("transfer to the same counter", "Không thể chuyển vé sang chính quầy này.")
        get_counter(session, to_counter)
    ticket.state = next_state(ticket.label, ticket.state, TicketStep.TRANSFER).value
    if to_lane:
        ticket.lane_id = find_lane(session, to_lane).id
    ticket.target_counter = to_counter
    ticket.counter_no = None
    ticket.serving_at = None
    ticket.transfers += 1
    session.add(ticket)
    _record(session, ticket, TicketStep.TRANSFER, at, actor, from_counter=counter_no, to_lane=to_lane,
            to_counter=to_counter)
    return ticket


def hold(session: Session, at: datetime, counter_no: int, actor: str) -> Ticket:
    """Set the ticket aside (the citizen went to copy a paper); the counter is free to call the next."""
    at = aware(at)
    ticket = _require_current(session, at.date(), counter_no)
    ticket.state = next_state(ticket.label, ticket.state, TicketStep.HOLD).value
    session.add(ticket)
    _record(session, ticket, TicketStep.HOLD, at, actor)
    return ticket


def set_counter_open(session: Session, at: datetime, counter_no: int, is_open: bool, actor: str) -> Counter:
    counter = get_counter(session, counter_no)
    if counter.is_open != is_open:
        counter.is_open = is_open
        session.add(counter)
        audit.append(session, at=aware(at), actor=actor, subject=f"counter:{counter_no}",
                     kind="counter.open" if is_open else "counter.close")
    return counter


def configure(session: Session, at: datetime, actor: str, **changes: Any) -> QueueSettings:
    """Change the office's queue settings; unknown names or bad values are refused in Vietnamese."""
    office = get_office(session)
    current = QueueSettings.from_row(office.queue)
    unknown = set(changes) - set(QueueSettings.model_fields)
    if unknown:
        raise InvalidInput(f"unknown queue settings {sorted(unknown)}", "Có thiết lập hàng chờ không hợp lệ.")
    try:
        updated = QueueSettings.model_validate({**current.model_dump(), **changes})
    except ValidationError as exc:
        raise InvalidInput(f"bad queue settings {changes}: {exc}",
                           "Giá trị thiết lập hàng chờ không hợp lệ (phải là số không âm).") from None
    office.queue = updated.model_dump()
    session.add(office)
    audit.append(session, at=aware(at), actor=actor, subject="office", kind="queue.settings", details=changes)
    return updated


def set_lane_fields(session: Session, at: datetime, prefix: str, fields: list[str], actor: str) -> Lane:
    """Give whole procedure fields to a lane (the office's own table, over the catalog's): a field given to
    one lane is taken from any other."""
    lane = find_lane(session, prefix)
    wanted = [f.strip() for f in fields if f.strip()]
    for other in session.exec(select(Lane).where(col(Lane.id) != lane.id)).all():
        kept = [g for g in other.groups if g not in wanted]
        if kept != other.groups:
            other.groups = kept
            session.add(other)
    lane.groups = [*lane.groups, *(f for f in wanted if f not in lane.groups)]
    session.add(lane)
    audit.append(session, at=aware(at), actor=actor, subject=f"lane:{lane.prefix}", kind="lane.fields",
                 details={"fields": wanted})
    return lane


def set_counter_lanes(session: Session, at: datetime, counter_no: int, prefixes: list[str], actor: str) -> Counter:
    """The ordered lanes a counter serves; every prefix must be a lane of the office."""
    counter = get_counter(session, counter_no)
    wanted = [p.strip().upper() for p in prefixes if p.strip()]
    if not wanted:
        raise InvalidInput("counter without lanes", f"Quầy số {counter_no} phải phục vụ ít nhất một lĩnh vực.")
    for prefix in wanted:
        find_lane(session, prefix)
    counter.lanes = wanted
    session.add(counter)
    audit.append(session, at=aware(at), actor=actor, subject=f"counter:{counter_no}", kind="counter.lanes",
                 details={"lanes": wanted})
    return counter


def save_counter(session: Session, at: datetime, number: int, *, name: str, lanes: list[str], active: bool,
                 actor: str) -> Counter:
    """Add a counter or change one (its name, the lanes it serves in order, in service or not). A counter is
    never deleted (its tickets keep its number); one with a ticket at it is not taken out of service."""
    accounts.require(session, actor, Role.ADMINISTRATOR, "sửa danh sách quầy")
    if not 1 <= number <= 99:
        raise InvalidInput(f"counter number {number}", "Số quầy phải từ 1 đến 99.")
    name = " ".join(name.split()) or f"Quầy số {number}"
    if len(name) > 60:
        raise InvalidInput("counter name too long", "Tên quầy dài quá 60 ký tự.")
    wanted = [p.strip().upper() for p in lanes if p.strip()]
    if not wanted:
        raise InvalidInput("counter without lanes", f"Quầy số {number} phải phục vụ ít nhất một hàng chờ.")
    for prefix in wanted:
        find_lane(session, prefix)
    counter = session.exec(select(Counter).where(col(Counter.number) == number)).first()
    if counter is None:
        counter = Counter(number=number, name=name, lanes=wanted)
    elif counter.active and not active:
        busy = current_ticket(session, aware(at).date(), number)
        if busy is not None:
            raise InvalidTransition(f"counter {number} has ticket {busy.label}",
                                    f"Quầy số {number} đang có vé {busy.label}; hoàn thành vé trước khi ngừng quầy.")
        counter.is_open = False
    counter.name, counter.lanes, counter.active = name, wanted, active
    session.add(counter)
    audit.append(session, at=aware(at), actor=actor, subject=f"counter:{number}", kind="counter.saved",
                 details={"name": name, "lanes": wanted, "active": active})
    return counter
