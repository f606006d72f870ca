"""Reading dossiers into the views the screens use."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from counter_app.dossiers import search
from counter_app.dossiers.actions import get_dossier
from counter_app.rules.applicant import subject_label
from counter_app.rules.clock import TZ
from counter_app.rules.display import mask_name
from counter_app.rules.lifecycle import ACTION_LABELS, Action, Status, allowed_actions
from counter_app.rules.lookup_check import lookup_check
from counter_app.store.models import Account, Dossier, DossierDocument, DossierFee, Event
from counter_app.views.accounts import Role
from counter_app.views.dossiers import (
    DocumentView,
    DossierDetail,
    DossierSummary,
    EventView,
    FeeView,
    PublicStatus,
    PublicStep,
)
from counter_app.views.printing import RegisterEntry


def _awaiting_result(d: Dossier) -> bool:
    status = Status(d.status)
    return d.due_at is not None and status is not Status.RESULT_READY and not status.terminal


def _overdue(d: Dossier, at: datetime) -> bool:
    """Past its due time with no result yet (a ready result waiting for pickup is not late)."""
    return _awaiting_result(d) and d.due_at < at


def summary(d: Dossier, at: datetime) -> DossierSummary:
    return DossierSummary(
        code=d.code, status=d.status, status_label=Status(d.status).label_vi, procedure_code=d.procedure_code,
        procedure_name=d.procedure_name, applicant_name=d.applicant_name, subject_name=d.subject_name,
        phone=d.phone, received_at=d.received_at, due_at=d.due_at, overdue=_overdue(d, at),
        due_today=_awaiting_result(d) and d.due_at >= at and d.due_at.astimezone(TZ).date() == at.date(),
        clerk=d.clerk,
    )


def detail(session: Session, code: str, at: datetime) -> DossierDetail:
    d = get_dossier(session, code)
    docs = session.exec(select(DossierDocument).where(DossierDocument.dossier_id == d.id)
                        .order_by(col(DossierDocument.id))).all()
    fees = session.exec(select(DossierFee).where(DossierFee.dossier_id == d.id).order_by(col(DossierFee.id))).all()
    events = session.exec(select(Event).where(Event.dossier_id == d.id).order_by(col(Event.seq))).all()
    staff = _staff(session, {d.clerk, *(e.actor for e in events)})
    clerk_name, clerk_title = staff.get(d.clerk, ("", ""))
    return DossierDetail(
        **summary(d, at).model_dump(), clerk_name=clerk_name, clerk_title=clerk_title, as_of=at,
        procedure_key=d.procedure_key, catalog_version=d.catalog_version, channel=d.channel,
        applicant_type=d.applicant_type, representative=d.representative, representative_id=d.representative_id,
        id_number=d.id_number, birth_date=d.birth_date, subject_label=subject_label(d.procedure_key),
        subject_birth_date=d.subject_birth_date, subject_id_number=d.subject_id_number, email=d.email,
        address=d.address, summary=d.summary, sets=d.sets,
        original_due_at=d.original_due_at, returned_at=d.returned_at, returned_to=d.returned_to,
        returned_id_checked=d.returned_id_checked, result_delivery=d.result_delivery,
        handling_agency=d.handling_agency, counter_no=d.counter_no,
        register_book=d.register_book, register_row=d.register_row,
        documents=[DocumentView(**x.model_dump()) for x in docs],
        fees=[FeeView(**x.model_dump()) for x in fees],
        events=[EventView(**x.model_dump(), actor_name=staff.get(x.actor, ("", ""))[0],
                          actor_title=staff.get(x.actor, ("", ""))[1]) for x in events],
        allowed_actions=[a.value for a in allowed_actions(Status(d.status))],
        lookup_check=_lookup_check(session, d.code),
    )


def _lookup_check(session: Session, code: str) -> str:
    row = session.connection().exec_driver_sql("SELECT lookup_key FROM sync_state WHERE id = 1").first()
    return lookup_check(bytes.fromhex(row[0]), code) if row is not None and row[0] else ""


def _staff(session: Session, usernames: set[str]) -> dict[str, tuple[str, str]]:
    """Login -> (full name, title) of the staff among `usernames` (a city department or "system" has none)."""
    rows = session.exec(select(Account).where(col(Account.username).in_(usernames))).all()
    return {a.username: (a.full_name, Role(a.role).label_vi) for a in rows}


def recent(session: Session, at: datetime, limit: int = 50) -> list[DossierSummary]:
    rows = session.exec(select(Dossier).order_by(col(Dossier.id).desc()).limit(limit)).all()
    return [summary(d, at) for d in rows]


def find(session: Session, query: str, at: datetime, limit: int = 50) -> list[DossierSummary]:
    ids = search.search_ids(session, query, limit=limit)
    if not ids:
        return []
    rows = {d.id: d for d in session.exec(select(Dossier).where(col(Dossier.id).in_(ids))).all()}
    return [summary(rows[i], at) for i in ids if i in rows]


def register_entries(session: Session, date_from: date, date_to: date) -> list[RegisterEntry]:
    """The dossier register (sổ theo dõi hồ sơ) for the days `date_from`..`date_to`, in register order."""
    start = datetime.combine(date_from, time(), TZ)
    end = datetime.combine(date_to + timedelta(days=1), time(), TZ)
    rows = session.exec(select(Dossier).where(Dossier.received_at >= start, Dossier.received_at < end)
                        .order_by(col(Dossier.received_at), col(Dossier.id))).all()
    return [RegisterEntry(
        book=d.register_book, row=d.register_row, code=d.code, procedure_name=d.procedure_name,
        applicant_name=d.applicant_name, address=d.address, phone=d.phone, handling_agency=d.handling_agency,
        received_at=d.received_at, due_at=d.due_at, returned_at=d.returned_at, result_delivery=d.result_delivery,
        status_label=Status(d.status).label_vi,
    ) for d in rows]


FREQUENT_DAYS = 90


def frequent_procedures(session: Session, at: datetime, limit: int = 10) -> list[str]:
    """Procedure keys by how many dossiers of each this office received in the last 90 days, most first."""
    since = at - timedelta(days=FREQUENT_DAYS)
    rows = session.exec(select(Dossier.procedure_key, func.count()).where(col(Dossier.received_at) >= since)
                        .group_by(col(Dossier.procedure_key))
                        .order_by(func.count().desc(), col(Dossier.procedure_key)).limit(limit)).all()
    return [key for key, _ in rows]


def public_status(session: Session, code: str) -> PublicStatus:
    """The public facts of a dossier (the kiosk's lookup, the city's page): its steps, dates and what is
    asked, never the applicant's ID number, address or phone, and the name masked."""
    d = get_dossier(session, code)
    events = session.exec(select(Event).where(Event.dossier_id == d.id).order_by(col(Event.seq))).all()
    steps, moved_from, reason = [], None, ""
    for e in events:
        kind = e.kind.removeprefix("dossier.").removeprefix("city.")
        label = ACTION_LABELS.get(Action(kind), "") if kind in {a.value for a in Action} else ""
        if label:
            steps.append(PublicStep(at=e.at, what=label[:1].upper() + label[1:]))
        if kind == Action.RESCHEDULE:
            previous = e.details.get("previous_due_at")
            moved_from = datetime.fromisoformat(previous) if previous else None
            reason = str(e.details.get("reason", ""))
    status = Status(d.status)
    missing = [doc.name for doc in session.exec(select(DossierDocument).where(
        DossierDocument.dossier_id == d.id, DossierDocument.role == "missing")).all()] \
        if status is Status.SUPPLEMENT_REQUESTED else []
    return PublicStatus(code=d.code, procedure_name=d.procedure_name, applicant=mask_name(d.applicant_name),
                        status_label=status.label_vi, received_at=d.received_at, due_at=d.due_at,
                        rescheduled_from=moved_from, reschedule_reason=reason, missing=missing,
                        result_ready=status is Status.RESULT_READY, steps=steps)
