"""Recording a dossier change: its event, its outbox op for the city and its search entry, in one go.

Call inside the transaction that changed the dossier; nothing here commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from counter_app import audit
from counter_app.city import outbox
from counter_app.dossiers import search
from counter_app.store.models import Dossier, DossierDocument, DossierFee, Event

# Events the city centre must know; every dossier action is one of them.
CITY_KINDS_PREFIX = "dossier."


def snapshot(session: Session, dossier: Dossier) -> dict[str, Any]:
    """The whole dossier as the city receives it at intake (hub-owned data)."""
    docs = session.exec(select(DossierDocument).where(DossierDocument.dossier_id == dossier.id)).all()
    fees = session.exec(select(DossierFee).where(DossierFee.dossier_id == dossier.id)).all()
    data = dossier.model_dump(exclude={"id", "submission_id", "procedure_id"})
    data["documents"] = [d.model_dump(exclude={"id", "dossier_id"}) for d in docs]
    data["fees"] = [f.model_dump(exclude={"id", "dossier_id"}) for f in fees]
    return data


def record(
    session: Session,
    dossier: Dossier,
    *,
    kind: str,
    at: datetime,
    actor: str,
    from_status: int | None,
    details: dict[str, Any] | None = None,
    agency_code: str,
    full_snapshot: bool = False,
    reindex: bool = False,
) -> Event:
    """Write the event and the outbox op of one change of `dossier` (already flushed)."""
    session.flush()
    event = audit.append(
        session, at=at, actor=actor, subject=f"dossier:{dossier.code}", kind=f"{CITY_KINDS_PREFIX}{kind}",
        dossier_id=dossier.id, from_status=from_status, to_status=dossier.status, details=details,
    )
    body: dict[str, Any] = {
        "agency": agency_code,
        "dossier_code": dossier.code,
        "actor": actor,
        "from": from_status,
        "to": dossier.status,
        "due_at": dossier.due_at,
        "details": details or {},
    }
    if full_snapshot:
        body["dossier"] = snapshot(session, dossier)
    outbox.enqueue(session, event=event, kind=kind, body=body)
    if reindex:
        search.index_dossier(session, dossier)
    return event
