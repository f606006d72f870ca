"""The city's public status lookup: a dossier's public facts, found by its receipt's QR or by its code and
the last four digits of the applicant's phone; each office's key for the QR's check; the throttle.

A wrong check, a wrong phone and an unknown code all get the same "không tìm thấy" after the same work
(the dossier is read and a check computed either way), so the page tells nothing about which codes exist.
"""

from __future__ import annotations

import hmac
import json
import secrets
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app.rules.display import mask_name
from counter_app.rules.lifecycle import ACTION_LABELS, Action, Status
from counter_app.rules.lookup_check import check_matches
from counter_app.views.dossiers import PublicStatus, PublicStep
from sync.server.models import CityDossier, LookupKey, ReceivedOp

PER_MINUTE = 20  # lookups one client address may make in a minute
_NO_KEY = secrets.token_bytes(32)  # checked against when an office has no key yet: the same work, never a match


def key_for(session: Session, agency_code: str, at: datetime) -> bytes:
    """The office's lookup key, made on its first asking."""
    row = session.get(LookupKey, agency_code)
    if row is None:
        row = LookupKey(agency_code=agency_code, key=secrets.token_hex(32), created_at=at)
        session.add(row)
        session.flush()
    return bytes.fromhex(row.key)


def admitted(session: Session, client: str, at: datetime) -> bool:
    """Count this lookup against its address's minute; False once over `PER_MINUTE` (the statement runs the
    same on PostgreSQL and SQLite: an upsert returning the new count)."""
    count = session.execute(text(
        "INSERT INTO lookup_attempt (client, minute, count) VALUES (:client, :minute, 1) "
        "ON CONFLICT (client, minute) DO UPDATE SET count = lookup_attempt.count + 1 RETURNING count"),
        {"client": client[:64], "minute": int(at.timestamp()) // 60}).scalar_one()
    return count <= PER_MINUTE


def _phone_tail(dossier: CityDossier | None) -> str:
    phone = "".join(ch for ch in str((dossier.intake if dossier else {}).get("phone") or "") if ch.isdigit())
    return phone[-4:] if len(phone) >= 4 else ""


def find(session: Session, code: str, *, check: str = "", phone_tail: str = "") -> PublicStatus | None:
    """The public facts of `code` when `check` is its QR's check or `phone_tail` its phone's last four digits."""
    code = code.strip().upper()[:64]
    dossier = session.get(CityDossier, code)
    key_row = session.get(LookupKey, dossier.agency_code) if dossier is not None else None
    key = bytes.fromhex(key_row.key) if key_row is not None else _NO_KEY
    by_check = check_matches(key, code, check) if check else False
    tail = _phone_tail(dossier)
    by_phone = hmac.compare_digest(tail.encode(), phone_tail.strip().encode("utf-8")) if phone_tail else False
    found = dossier is not None and ((by_check and key_row is not None) or (by_phone and bool(tail)))
    return public_status(session, dossier) if found and dossier is not None else None


def public_status(session: Session, dossier: CityDossier) -> PublicStatus:
    """As the office's own `dossiers.queries.public_status` tells it, from what the city received."""
    ops = session.scalars(select(ReceivedOp).where(
        ReceivedOp.agency_code == dossier.agency_code, ReceivedOp.dossier_code == dossier.code,
        ReceivedOp.result == "ok")).all()
    steps, moved_from, reason, missing = [], None, "", []
    for op in sorted(ops, key=lambda o: json.loads(o.payload).get("event_seq") or 0):
        payload = json.loads(op.payload)
        details = payload.get("details") or {}
        at = _time(payload.get("at")) or op.received_at
        if op.kind in {a.value for a in Action}:
            label = ACTION_LABELS[Action(op.kind)]
            steps.append(PublicStep(at=at, what=label[:1].upper() + label[1:]))
        if op.kind == Action.RESCHEDULE:
            moved_from, reason = _time(details.get("previous_due_at")), str(details.get("reason", ""))
        if op.kind == Action.REQUEST_SUPPLEMENT:
            missing = [str(m) for m in details.get("missing") or []]
    status = Status(dossier.status)
    intake = dossier.intake
    return PublicStatus(
        code=dossier.code, procedure_name=str(intake.get("procedure_name", "")),
        applicant=mask_name(str(intake.get("applicant_name", ""))), status_label=status.label_vi,
        received_at=dossier.received_at, due_at=dossier.due_at, rescheduled_from=moved_from,
        reschedule_reason=reason, missing=missing if status is Status.SUPPLEMENT_REQUESTED else [],
        result_ready=status is Status.RESULT_READY, steps=steps)


def _time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
