"""Asking and recording ratings. A question is made in the same transaction as the service it rates (a
finished ticket, a result handed back); it is answered once, within `ANSWER_SECONDS`, from the citizen's
screen; the hub refuses an answer that comes with a clerk's session (`counter_app.hub.policy`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from counter_app import audit
from counter_app.city import outbox
from counter_app.errors import InvalidInput, InvalidTransition, NotFound
from counter_app.office_setup import get_office
from counter_app.queue import service as queue_service
from counter_app.rules.clock import aware
from counter_app.rules.rating import ANSWER_SECONDS, ASK_SECONDS, CHOICES, RATING_OP, REASONS
from counter_app.store.models import Account, ClerkSession, Counter, Dossier, Rating


def ask(session: Session, *, service: str, counter_no: int, clerk: str, at: datetime, lane_id: int | None = None,
        dossier_code: str = "") -> Rating | None:
    """The question for one service; None when that service was already asked about (one rating each)."""
    if session.exec(select(Rating.id).where(col(Rating.service) == service)).first() is not None:
        return None
    rating = Rating(service=service, counter_no=counter_no, clerk=clerk, lane_id=lane_id, dossier_code=dossier_code,
                    asked_at=aware(at))
    session.add(rating)
    session.flush()
    return rating


def counter_of(session: Session, username: str, at: datetime) -> int | None:
    """The counter the clerk is signed in at now (None: signed in without a counter, or not at all)."""
    return session.exec(select(ClerkSession.counter_no).join(Account, col(Account.id) == col(ClerkSession.account_id))
                        .where(col(Account.username) == username, col(ClerkSession.ended_at).is_(None),
                               or_(col(ClerkSession.ends_at).is_(None), col(ClerkSession.ends_at) > aware(at)))
                        .order_by(col(ClerkSession.started_at).desc())).first()


def ask_after_return(session: Session, dossier: Dossier, *, clerk: str, at: datetime) -> Rating | None:
    """The question after a result handed back, at the counter the clerk sits at (none without one)."""
    counter_no = counter_of(session, clerk, at)
    if counter_no is None:
        return None
    try:
        lane_id = queue_service.lane_for_procedure(session, dossier.procedure_key).id
    except NotFound:  # a procedure that left the catalog: rated without a lane
        lane_id = None
    return ask(session, service=f"result:{dossier.code}", counter_no=counter_no, clerk=clerk, at=at,
               lane_id=lane_id, dossier_code=dossier.code)


def open_question(session: Session, counter_no: int, at: datetime) -> tuple[Rating, str, str] | None:
    """The newest unanswered question at the counter asked in the last `ASK_SECONDS`, with the clerk's full
    name and the counter's name (what the screen shows)."""
    since = aware(at) - timedelta(seconds=ASK_SECONDS)
    rating = session.exec(select(Rating).where(
        col(Rating.counter_no) == counter_no, col(Rating.asked_at) >= since, col(Rating.answered_at).is_(None))
        .order_by(col(Rating.asked_at).desc(), col(Rating.id).desc())).first()
    if rating is None:
        return None
    account = session.exec(select(Account).where(col(Account.username) == rating.clerk)).first()
    counter = session.exec(select(Counter).where(col(Counter.number) == counter_no)).first()
    return (rating, account.full_name if account else "",
            (counter.name if counter and counter.name else f"Quầy số {counter_no}"))


def answer(session: Session, rating_id: int, *, counter_no: int, choice: str, reasons: list[str],
           at: datetime) -> Rating:
    """Record the citizen's answer, given on the screen facing `counter_no`."""
    if choice not in CHOICES:
        raise InvalidInput(f"unknown rating choice {choice!r}", "Lựa chọn đánh giá không hợp lệ.")
    unknown = [r for r in reasons if r not in REASONS]
    if unknown or (reasons and choice != "not_satisfied"):
        raise InvalidInput(f"rating reasons {reasons!r} not allowed with {choice}", "Lý do đánh giá không hợp lệ.")
    rating = session.get(Rating, rating_id)
    if rating is None or rating.counter_no != counter_no:
        raise NotFound(f"no rating question {rating_id} at this screen's counter",
                       "Không có lượt phục vụ nào đang chờ đánh giá tại quầy này.")
    if rating.answered_at is not None:
        raise InvalidTransition(f"rating {rating_id} already answered", "Lượt phục vụ này đã được đánh giá.")
    if aware(at) - aware(rating.asked_at) > timedelta(seconds=ANSWER_SECONDS):
        raise InvalidTransition(f"rating {rating_id} asked at {rating.asked_at} has expired",
                                "Đã hết thời gian đánh giá lượt phục vụ này.")
    rating.choice, rating.reasons, rating.answered_at = choice, list(dict.fromkeys(reasons)), aware(at)
    session.add(rating)
    event = audit.append(session, at=at, actor="citizen", subject=f"rating:{rating.service}", kind="rating.given",
                         details={"choice": choice, "reasons": rating.reasons, "clerk": rating.clerk,
                                  "counter": rating.counter_no})
    agency = get_office(session).agency_code
    outbox.enqueue(session, event=event, kind=RATING_OP, body={  # to the city, with the next sync round
        "agency": agency, "dossier_code": rating_subject(agency, rating.id or 0), "rating": {
            "service": rating.service.split(":", 1)[0], "counter": rating.counter_no, "clerk": rating.clerk,
            "lane": rating.lane_id, "dossier": rating.dossier_code, "choice": choice, "reasons": rating.reasons,
            "asked_at": rating.asked_at, "answered_at": rating.answered_at}})
    return rating


def rating_subject(agency_code: str, rating_id: int) -> str:
    """What a rating's op names as its subject, where a dossier's op names the dossier: the office's own."""
    return f"{agency_code}-DG-{rating_id}"
