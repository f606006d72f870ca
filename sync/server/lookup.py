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

from sqlalchemy import Connection, Row, bindparam, select, text
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


def admitted(session: Session | Connection, client: str, at: datetime) -> bool:
    """Count this lookup against its address's minute; False once over `PER_MINUTE` (the statement runs the
    same on PostgreSQL and SQLite: an upsert returning the new count)."""
    count = session.execute(_ATTEMPT, {"client": client[:64], "minute": int(at.timestamp()) // 60}).scalar_one()
    return count <= PER_MINUTE


_ATTEMPT = text("INSERT INTO lookup_attempt (client, minute, count) VALUES (:client, :minute, 1) "
                "ON CONFLICT (client, minute) DO UPDATE SET count = lookup_attempt.count + 1 RETURNING count")
_ACTIONS = {a.value for a in Action}
_D, _K, _O = CityDossier.__table__.c, LookupKey.__table__.c, ReceivedOp.__table__.c
# The dossier and its office's key in one statement, the steps in a second: plain rows, no ORM objects.
_FIND = (select(_D.code, _D.agency_code, _D.status, _D.intake, _D.received_at, _D.due_at, _K.key)
         .select_from(CityDossier.__table__.outerjoin(LookupKey.__table__, _K.agency_code == _D.agency_code))
         .where(_D.code == bindparam("code")))
_STEPS = select(_O.kind, _O.payload, _O.received_at).where(
    _O.agency_code == bindparam("agency"), _O.dossier_code == bindparam("code"), _O.result == "ok")


def _phone_tail(dossier: Row | None) -> str:
    phone = "".join(ch for ch in str((dossier.intake if dossier else {}).get("phone") or "") if ch.isdigit())
    return phone[-4:] if len(phone) >= 4 else ""


def find(session: Session | Connection, code: str, *, check: str = "", phone_tail: str = ""
         ) -> tuple[PublicStatus, Row] | None:
    """The public facts of `code` (and its row) when `check` is its QR's check or `phone_tail` its phone's last
    four digits."""
    code = code.strip().upper()[:64]
    dossier = session.execute(_FIND, {"code": code}).first()
    key = bytes.fromhex(dossier.key) if dossier is not None and dossier.key is not None else _NO_KEY
    by_check = check_matches(key, code, check) if check else False
    tail = _phone_tail(dossier)
    by_phone = hmac.compare_digest(tail.encode(), phone_tail.strip().encode("utf-8")) if phone_tail else False
    found = dossier is not None and ((by_check and dossier.key is not None) or (by_phone and bool(tail)))
    return (public_status(session, dossier), dossier) if found and dossier is not None else None


def public_status(session: Session | Connection, dossier: Row) -> PublicStatus:
    """As the office's own `dossiers.queries.public_status` tells it, from what the city received."""
    ops = session.execute(_STEPS, {"agency": dossier.agency_code, "code": dossier.code}).all()
    steps, moved_from, reason, missing = [], None, "", []
    for payload, op in sorted(((json.loads(o.payload), o) for o in ops), key=lambda p: p[0].get("event_seq") or 0):
        details = payload.get("details") or {}
        at = _time(payload.get("at")) or op.received_at
        if op.kind in _ACTIONS:
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
