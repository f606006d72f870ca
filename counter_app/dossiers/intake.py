"""Receiving a dossier at the counter: validate, number, compute the appointment, record.

Everything happens in the caller's one transaction: a bad form leaves nothing behind.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from counter_app.dossiers import history, numbering
from counter_app.dossiers.catalog import active_procedure, procedure_time
from counter_app.errors import DuplicateSubmission, FormProblems, InvalidInput, Problem
from counter_app.office_setup import get_office
from counter_app.rules import fees
from counter_app.rules.applicant import applicant_problems, proper_name, subject_label
from counter_app.rules.clock import aware
from counter_app.rules.contact import normalize_email, normalize_phone
from counter_app.rules.lifecycle import NEW, Action, Status, target
from counter_app.rules.workcal import WorkCalendar, due_at
from counter_app.store.models import CatalogVersion, Dossier, DossierDocument, DossierFee, Procedure
from counter_app.views.dossiers import DocumentIn, IntakeForm, SubjectIn


def _missing_field(en: str, vi: str) -> InvalidInput:
    return InvalidInput(f"intake form: {en} is missing", f"Chưa nhập {vi}.")


def _check_applicant(form: IntakeForm, procedure_key: str) -> None:
    """Every problem of the applicant (and of the person it concerns) at once, each tied to its field."""
    a = form.applicant
    problems = applicant_problems(type_=a.type, name=a.name, id_number=a.id_number, address=a.address,
                                  phone=a.phone, email=a.email, representative=a.representative,
                                  representative_id=a.representative_id)
    label = subject_label(procedure_key)
    if label and not (form.subject and form.subject.name.strip()):
        problems.append(Problem("subject_name", f"Chưa nhập họ tên {label[:1].lower()}{label[1:]}.",
                                "the person the dossier concerns is not named"))
    if problems:
        raise FormProblems(problems)
    if not form.submission_id.strip():
        raise InvalidInput("intake form without submission id", "Biểu mẫu thiếu mã phiên nhập; hãy mở lại biểu mẫu.")


def _documents(form: IntakeForm, proc: Procedure) -> list[DocumentIn]:
    if form.case and form.case not in {c["name"] for c in proc.cases}:
        raise InvalidInput(f"procedure {proc.key} has no case {form.case!r}",
                           f"Thủ tục “{proc.name}” không có trường hợp “{form.case}”.")
    if form.documents is not None:
        return form.documents
    papers = next((c["documents"] for c in proc.cases if c["name"] == form.case), proc.documents)
    return [DocumentIn(**doc, provided=True) for doc in papers]


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
    existing = session.exec(select(Dossier.code).where(Dossier.submission_id == form.submission_id)).first()
    if existing is not None:
        raise DuplicateSubmission(existing)
    office = get_office(session)
    proc = active_procedure(session, form.procedure)
    _check_applicant(form, proc.key)
    docs = _documents(form, proc)
    _check_outcome(form, docs)
    action = {"receive": Action.RECEIVE, "supplement": Action.REQUEST_SUPPLEMENT, "refuse": Action.REFUSE}[form.outcome]
    status = target(action, NEW)
    version = session.get(CatalogVersion, proc.catalog_version_id)
    book, row = numbering.register_row(session, received_at)
    a = form.applicant
    subject = form.subject if form.subject is not None and subject_label(proc.key) else SubjectIn()
    dossier = Dossier(
        code=numbering.dossier_code(session, office.agency_code, received_at),
        submission_id=form.submission_id.strip(),
        procedure_id=proc.id, procedure_key=proc.key, procedure_code=proc.code, procedure_name=proc.name,
        catalog_version=version.version if version else "",
        channel=form.channel, applicant_type=a.type, applicant_name=proper_name(a.name),
        representative=proper_name(a.representative), representative_id=a.representative_id.strip(),
        id_number=a.id_number.strip(), birth_date=a.birth_date,
        subject_name=proper_name(subject.name), subject_birth_date=subject.birth_date,
        subject_id_number=subject.id_number.strip(),
        phone=normalize_phone(a.phone), email=normalize_email(a.email), address=a.address.strip(),
        summary=form.summary.strip() or proc.name, sets=form.sets, status=int(status),
        supplement_from=int(Status.RECEIVED) if status is Status.SUPPLEMENT_REQUESTED else None,
        received_at=received_at,
        due_at=due_at(received_at, procedure_time(proc, form.channel), calendar)
        if status is Status.RECEIVED else None,
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
        exempt = form.fee_exempt.get(fee["name"], "")
        if exempt and exempt not in fee.get("exempt", []):
            raise InvalidInput(f"{exempt!r} is not exempt from fee {fee['name']!r}",
                               f"“{exempt}” không thuộc diện được miễn {fee['name'].lower()}.")
        due = fees.charge(fee, pages=int(form.fee_pages.get(fee["name"], 1)),
                          copies=int(form.fee_quantities.get(fee["name"], 1)), channel=form.channel, exempt=exempt)
        session.add(DossierFee(dossier_id=dossier.id, name=due.name, unit_amount=due.unit_amount,
                               quantity=due.quantity, amount=due.amount, basis=due.basis))
    details = {"procedure": proc.key, "outcome": form.outcome, **({"case": form.case} if form.case else {})}
    if form.reason.strip():
        details["reason"] = form.reason.strip()
    history.record(
        session, dossier, kind=action.value, at=received_at, actor=actor, from_status=None, details=details,
        agency_code=office.agency_code, full_snapshot=True, reindex=True,
    )
    return dossier
