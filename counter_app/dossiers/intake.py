"""Receiving a dossier at the counter: validate, number, compute the appointment, record.

Everything happens in the caller's one transaction: a bad form leaves nothing behind.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, select

from counter_app.dossiers import history, numbering
from counter_app.dossiers.catalog import active_procedure, procedure_time
from counter_app.errors import DuplicateSubmission, InvalidInput
from counter_app.office_setup import get_office
from counter_app.rules.clock import aware
from counter_app.rules.contact import normalize_email, normalize_phone
from counter_app.rules.lifecycle import NEW, Action, Status, target
from counter_app.rules.workcal import WorkCalendar, due_at
from counter_app.store.models import CatalogVersion, Dossier, DossierDocument, DossierFee, Procedure
from counter_app.views.dossiers import DocumentIn, IntakeForm

_PERSON_ID = re.compile(r"[0-9]{9}|[0-9]{12}")


def _missing_field(en: str, vi: str) -> InvalidInput:
    return InvalidInput(f"intake form: {en} is missing", f"Chưa nhập {vi}.")


def _check_applicant(form: IntakeForm) -> None:
    a = form.applicant
    if not a.name.strip():
        raise _missing_field("applicant name", "họ tên người nộp hồ sơ" if a.type == 1 else "tên tổ chức")
    if not a.id_number.strip():
        raise _missing_field("ID number", "số giấy tờ tùy thân" if a.type == 1 else "mã số doanh nghiệp/tổ chức")
    if a.type == 1 and not _PERSON_ID.fullmatch(a.id_number.strip()):
        raise InvalidInput(
            f"citizen ID number {a.id_number!r} is not 9 or 12 digits",
            f"Số căn cước “{a.id_number}” phải gồm 12 chữ số (hoặc 9 chữ số với CMND cũ).",
        )
    if not a.address.strip():
        raise _missing_field("address", "địa chỉ")
    if not form.submission_id.strip():
        raise InvalidInput("intake form without submission id", "Biểu mẫu thiếu mã phiên nhập; hãy mở lại biểu mẫu.")


def _documents(form: IntakeForm, proc: Procedure) -> list[DocumentIn]:
    if form.documents is not None:
        return form.documents
    return [DocumentIn(**doc, provided=True) for doc in proc.documents]


def _check_outcome(form: IntakeForm, docs: list[DocumentIn]) -> None:
    missing = [d.name for d in docs if d.mandatory and not d.provided]
    if form.outcome == "receive" and missing:
        raise InvalidInput(
            f"mandatory documents not provided: {missing}",
            "Thiếu giấy tờ bắt buộc: " + "; ".join(missing)
            + ". Hãy đánh dấu đã nhận, hoặc chọn yêu cầu bổ sung hay từ chối tiếp nhận.",
        )
    if form.outcome == "supplement" and not any(not d.provided for d in docs):
        raise InvalidInput(
            "supplement requested but no document is marked missing",
            "Yêu cầu bổ sung cần chọn ít nhất một giấy tờ còn thiếu.",
        )
    if form.outcome in ("supplement", "refuse") and not form.reason.strip():
        raise _missing_field(f"reason for {form.outcome}", "lý do")


def receive(
    session: Session, form: IntakeForm, *, actor: str, at: datetime, calendar: WorkCalendar
) -> Dossier:
    """Create the dossier of `form` in status 2 (received), 5 (supplement) or 3 (refused)."""
    received_at = aware(at)
    _check_applicant(form)
    existing = session.exec(select(Dossier.code).where(Dossier.submission_id == form.submission_id)).first()
    if existing is not None:
        raise DuplicateSubmission(existing)
    office = get_office(session)
    proc = active_procedure(session, form.procedure)
    docs = _documents(form, proc)
    _check_outcome(form, docs)
    action = {"receive": Action.RECEIVE, "supplement": Action.REQUEST_SUPPLEMENT, "refuse": Action.REFUSE}[form.outcome]
    status = target(action, NEW)
    version = session.get(CatalogVersion, proc.catalog_version_id)
    book, row = numbering.register_row(session, received_at)
    a = form.applicant
    dossier = Dossier(
        code=numbering.dossier_code(session, office.agency_code, received_at),
        submission_id=form.submission_id.strip(),
        procedure_id=proc.id, procedure_key=proc.key, procedure_code=proc.code, procedure_name=proc.name,
        catalog_version=version.version if version else "",
        channel=form.channel, applicant_type=a.type, applicant_name=a.name.strip(),
        representative=a.representative.strip(), id_number=a.id_number.strip(), birth_date=a.birth_date,
        phone=normalize_phone(a.phone), email=normalize_email(a.email), address=a.address.strip(),
        summary=form.summary.strip() or proc.name, sets=form.sets, status=int(status),
        supplement_from=int(Status.RECEIVED) if status is Status.SUPPLEMENT_REQUESTED else None,
        received_at=received_at,
        due_at=due_at(received_at, procedure_time(proc), calendar) if status is Status.RECEIVED else None,
        result_delivery=form.result_delivery, handling_agency=proc.handling_agency or office.name,
        clerk=actor, counter_no=form.counter_no, register_book=book, register_row=row, updated_at=received_at,
    )
    dossier.original_due_at = dossier.due_at
    session.add(dossier)
    session.flush()
    for doc in docs:
        session.add(DossierDocument(
            dossier_id=dossier.id, role="submitted" if doc.provided else "missing", name=doc.name,
            originals=doc.originals, certified=doc.certified, copies=doc.copies,
            mandatory=doc.mandatory, provided=doc.provided,
        ))
    for fee in proc.fees:
        quantity = max(1, int(form.fee_quantities.get(fee["name"], 1)))
        session.add(DossierFee(
            dossier_id=dossier.id, name=fee["name"], unit_amount=fee["amount"], quantity=quantity,
            amount=fee["amount"] * quantity,
        ))
    details = {"procedure": proc.key, "outcome": form.outcome}
    if form.reason.strip():
        details["reason"] = form.reason.strip()
    history.record(
        session, dossier, kind=action.value, at=received_at, actor=actor, from_status=None, details=details,
        agency_code=office.agency_code, full_snapshot=True, reindex=True,
    )
    return dossier
