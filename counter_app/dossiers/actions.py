"""Every step of a dossier after intake, each checked by `lifecycle` and recorded by `history`.

All functions run in the caller's transaction and take the time of the action explicitly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from counter_app.dossiers import history, numbering
from counter_app.dossiers.catalog import procedure_time
from counter_app.errors import InvalidInput, NotFound
from counter_app.office_setup import get_office
from counter_app.rules.clock import aware
from counter_app.rules.lifecycle import Action, Status, target
from counter_app.rules.text import clean
from counter_app.rules.workcal import WorkCalendar, due_at
from counter_app.store.models import Dossier, DossierDocument, DossierFee, Procedure
from counter_app.views.dossiers import PAY_METHODS, DocumentIn

TEXT_MAX = 2000  # a reason or a note: a few sentences


def get_dossier(session: Session, code: str) -> Dossier:
    dossier = session.exec(select(Dossier).where(Dossier.code == code.strip().upper())).first()
    if dossier is None:
        raise NotFound(f"no dossier {code!r}", f"Không tìm thấy hồ sơ “{code}”.")
    return dossier


def _require(value: str, en: str, vi: str) -> str:
    value = clean(value or "", field=en, field_vi=vi, max_len=TEXT_MAX, multiline=True)
    if not value.strip():
        raise InvalidInput(f"{en} is missing", f"Chưa nhập {vi}.")
    return value.strip()


def _apply(
    session: Session,
    dossier: Dossier,
    action: Action,
    *,
    actor: str,
    at: datetime,
    details: dict[str, Any] | None = None,
    reindex: bool = False,
) -> Dossier:
    """Move `dossier` by `action` (its fields already changed by the caller) and record it."""
    current = Status(dossier.status)
    supplement_from = Status(dossier.supplement_from) if dossier.supplement_from else None
    new = target(action, current, supplement_from=supplement_from)
    dossier.status = int(new)
    dossier.updated_at = aware(at)
    session.add(dossier)
    history.record(
        session, dossier, kind=action.value, at=at, actor=actor, from_status=int(current),
        details={k: clean(v, field=f"{action.value}.{k}", field_vi="Ghi chú", max_len=TEXT_MAX, multiline=True)
                 if isinstance(v, str) else v for k, v in (details or {}).items() if v not in (None, "")},
        agency_code=get_office(session).agency_code, reindex=reindex,
    )
    return dossier


def add_missing(session: Session, dossier: Dossier, missing: list[DocumentIn]) -> None:
    """The papers a supplement asks for, as "missing" rows (a paper already asked for is not asked twice)."""
    asked = set(session.exec(select(DossierDocument.name).where(DossierDocument.dossier_id == dossier.id,
                                                                DossierDocument.role == "missing")).all())
    for doc in missing:
        if doc.name in asked:
            continue
        asked.add(doc.name)
        session.add(DossierDocument(
            dossier_id=dossier.id, role="missing", name=doc.name, originals=doc.originals,
            certified=doc.certified, copies=doc.copies, mandatory=doc.mandatory, provided=False,
        ))


def missing_arrived(session: Session, dossier: Dossier) -> None:
    """The papers asked for were handed in: they stay apart from those of the intake, as "supplement"."""
    for doc in session.exec(
        select(DossierDocument).where(DossierDocument.dossier_id == dossier.id, DossierDocument.role == "missing")
    ).all():
        doc.role, doc.provided = "supplement", True
        session.add(doc)


def add_results(session: Session, dossier: Dossier, names: list[str]) -> None:
    """The papers the office issues, as "result" rows (never among those the citizen handed in)."""
    for name in names:
        session.add(DossierDocument(dossier_id=dossier.id, role="result", name=name, originals=1, provided=True))


def _check(dossier: Dossier, action: Action) -> None:
    target(action, Status(dossier.status), supplement_from=None)


def request_supplement(
    session: Session, code: str, *, missing: list[DocumentIn], reason: str, actor: str, at: datetime
) -> Dossier:
    dossier = get_dossier(session, code)
    _check(dossier, Action.REQUEST_SUPPLEMENT)
    reason = _require(reason, "supplement reason", "lý do yêu cầu bổ sung")
    if not missing:
        raise InvalidInput("supplement without missing documents", "Cần chọn ít nhất một giấy tờ phải bổ sung.")
    add_missing(session, dossier, missing)
    dossier.supplement_from = dossier.status
    dossier.due_at = None  # the clock stops until the complete dossier is back
    return _apply(session, dossier, Action.REQUEST_SUPPLEMENT, actor=actor, at=at,
                  details={"reason": reason, "missing": [d.name for d in missing]})


def receive_supplement(
    session: Session, code: str, *, actor: str, at: datetime, calendar: WorkCalendar, note: str = ""
) -> Dossier:
    """The missing papers arrived: they count as provided and the appointment restarts from now."""
    dossier = get_dossier(session, code)
    _check(dossier, Action.RECEIVE_SUPPLEMENT)
    missing_arrived(session, dossier)
    proc = session.get(Procedure, dossier.procedure_id)
    dossier.due_at = due_at(at, procedure_time(proc, dossier.channel), calendar)
    if dossier.original_due_at is None:
        dossier.original_due_at = dossier.due_at
    _apply(session, dossier, Action.RECEIVE_SUPPLEMENT, actor=actor, at=at,
           details={"note": note, "due_at": dossier.due_at.isoformat()})
    dossier.supplement_from = None
    return dossier


def refuse(session: Session, code: str, *, reason: str, actor: str, at: datetime) -> Dossier:
    dossier = get_dossier(session, code)
    _check(dossier, Action.REFUSE)
    reason = _require(reason, "refusal reason", "lý do từ chối")
    dossier.due_at = None
    return _apply(session, dossier, Action.REFUSE, actor=actor, at=at, details={"reason": reason})


def start_processing(session: Session, code: str, *, actor: str, at: datetime, note: str = "") -> Dossier:
    return _apply(session, get_dossier(session, code), Action.START_PROCESSING, actor=actor, at=at,
                  details={"note": note})


def hand_over(session: Session, code: str, *, agency: str, actor: str, at: datetime, note: str = "") -> Dossier:
    dossier = get_dossier(session, code)
    _check(dossier, Action.HAND_OVER)
    dossier.handling_agency = _require(agency, "receiving agency", "cơ quan tiếp nhận")
    return _apply(session, dossier, Action.HAND_OVER, actor=actor, at=at, details={"agency": agency, "note": note})


def request_fees(session: Session, code: str, *, reason: str, actor: str, at: datetime) -> Dossier:
    reason = _require(reason, "financial obligation", "nội dung nghĩa vụ tài chính")
    return _apply(session, get_dossier(session, code), Action.REQUEST_FEES, actor=actor, at=at,
                  details={"reason": reason})


def fees_paid(session: Session, code: str, *, receipt_no: str, actor: str, at: datetime) -> Dossier:
    return _apply(session, get_dossier(session, code), Action.FEES_PAID, actor=actor, at=at,
                  details={"receipt_no": receipt_no})


def result_ready(
    session: Session, code: str, *, actor: str, at: datetime, results: list[str] | None = None
) -> Dossier:
    dossier = get_dossier(session, code)
    _check(dossier, Action.RESULT_READY)
    proc = session.get(Procedure, dossier.procedure_id)
    names = results if results else list(proc.results if proc else [])
    add_results(session, dossier, names)
    return _apply(session, dossier, Action.RESULT_READY, actor=actor, at=at, details={"results": names})


def return_result(
    session: Session, code: str, *, to_whom: str, id_checked: bool, actor: str, at: datetime, id_number: str = ""
) -> Dossier:
    dossier = get_dossier(session, code)
    _check(dossier, Action.RETURN_RESULT)
    dossier.returned_to = _require(to_whom, "result recipient", "tên người nhận kết quả")
    if not id_checked:
        raise InvalidInput(
            "result returned without checking the recipient's ID",
            "Cần kiểm tra giấy tờ tùy thân của người nhận trước khi trả kết quả.",
        )
    dossier.returned_id_checked = True
    dossier.returned_at = aware(at)
    return _apply(session, dossier, Action.RETURN_RESULT, actor=actor, at=at,
                  details={"to": dossier.returned_to, "id_number": id_number.strip()})


def withdraw(session: Session, code: str, *, reason: str, actor: str, at: datetime) -> Dossier:
    reason = _require(reason, "withdrawal reason", "lý do rút hồ sơ")
    dossier = get_dossier(session, code)
    _check(dossier, Action.WITHDRAW)
    dossier.due_at = None
    return _apply(session, dossier, Action.WITHDRAW, actor=actor, at=at, details={"reason": reason})


def stop(session: Session, code: str, *, reason: str, actor: str, at: datetime) -> Dossier:
    reason = _require(reason, "reason for stopping", "lý do dừng xử lý")
    dossier = get_dossier(session, code)
    _check(dossier, Action.STOP)
    dossier.due_at = None
    return _apply(session, dossier, Action.STOP, actor=actor, at=at, details={"reason": reason})


def reschedule(
    session: Session, code: str, *, reason: str, new_due: datetime, actor: str, at: datetime, calendar: WorkCalendar
) -> Dossier:
    """Apology and new date (phiếu xin lỗi và hẹn lại): the new due time must be later and a working time."""
    dossier = get_dossier(session, code)
    _check(dossier, Action.RESCHEDULE)
    reason = _require(reason, "apology reason", "lý do hẹn lại")
    new_due = aware(new_due)
    if dossier.due_at is not None and new_due <= dossier.due_at:
        raise InvalidInput(
            f"new due time {new_due} is not after the current {dossier.due_at}",
            "Ngày hẹn mới phải sau ngày hẹn hiện tại.",
        )
    if new_due <= aware(at):
        raise InvalidInput(f"new due time {new_due} has already passed at {at}",
                           "Ngày hẹn mới đã qua: phiếu xin lỗi phải hẹn một ngày sắp tới.")
    if not calendar.is_working_day(new_due.date()):
        raise InvalidInput(f"new due date {new_due.date()} is a day off", "Ngày hẹn mới rơi vào ngày nghỉ.")
    previous = dossier.due_at
    dossier.due_at = new_due
    year = aware(at).strftime("%Y")  # apology letters are numbered from 1 each year: "Số: 12/PXL"
    number = numbering.next_value(session, "apology", year)
    return _apply(session, dossier, Action.RESCHEDULE, actor=actor, at=at,
                  details={"reason": reason, "previous_due_at": previous.isoformat() if previous else None,
                           "new_due_at": new_due.isoformat(), "apology_no": number})


def collect_fees(session: Session, code: str, *, method: str, actor: str, at: datetime) -> Dossier:
    """The citizen pays the dossier's fees: one numbered fee receipt (series and number per year) for all
    that is unpaid, paid in cash or by transfer; recorded as an event that goes to the city."""
    dossier = get_dossier(session, code)
    if method not in PAY_METHODS:
        raise InvalidInput(f"unknown payment method {method!r}", "Cần chọn nộp tiền mặt hay chuyển khoản.")
    unpaid = session.exec(select(DossierFee).where(DossierFee.dossier_id == dossier.id,
                                                   col(DossierFee.paid).is_(False), DossierFee.amount > 0)).all()
    if not unpaid:
        raise InvalidInput(f"dossier {code}: no fee left to collect", "Hồ sơ này không còn khoản phí nào phải thu.")
    year = aware(at).strftime("%Y")
    receipt_no = f"BL{year[2:]}-{numbering.next_value(session, 'fee_receipt', year):07d}"
    for fee in unpaid:
        fee.paid, fee.method, fee.receipt_no, fee.paid_at = True, method, receipt_no, aware(at)
        session.add(fee)
    total = sum(f.amount for f in unpaid)
    history.record(session, dossier, kind="collect_fees", at=at, actor=actor, from_status=dossier.status,
                   details={"receipt_no": receipt_no, "amount": total, "method": method},
                   agency_code=get_office(session).agency_code)
    return dossier
