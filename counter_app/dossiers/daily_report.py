"""The day's figures a supervisor reads: received, refused, supplements, returned, due today, overdue.

Intake and return counts come from the day's events (who did it, on which procedure); due today and
overdue from the dossiers still waiting for a result, per receiving clerk and per procedure.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from counter_app import accounts
from counter_app.dossiers.listing import AWAITING_RESULT
from counter_app.rules.clock import TZ
from counter_app.store.models import Dossier, Event
from counter_app.views.lists import CountRow, DailyReport

# event kind -> the CountRow field it adds to
COUNTED = {"dossier.receive": "received", "dossier.return_result": "returned", "dossier.refuse": "refused",
           "dossier.request_supplement": "supplement"}


def daily_report(session: Session, day: date, at: datetime) -> DailyReport:
    start = datetime.combine(day, time(), TZ)
    end = start + timedelta(days=1)
    as_of = min(at, end)  # a past day's overdue count is as of its end
    names = accounts.full_names(session)
    clerks: dict[str, CountRow] = {}
    procedures: dict[str, CountRow] = {}

    def clerk_row(username: str) -> CountRow:
        label = f"{names[username]} ({username})" if username in names else username
        return clerks.setdefault(username, CountRow(key=username, label=label))

    def procedure_row(key: str, name: str) -> CountRow:
        return procedures.setdefault(key, CountRow(key=key, label=name))

    events = session.exec(
        select(Event.actor, Event.kind, Dossier.procedure_key, Dossier.procedure_name)
        .join(Dossier, col(Event.dossier_id) == col(Dossier.id))
        .where(Event.at >= start, Event.at < end, col(Event.kind).in_(list(COUNTED)))
    ).all()
    for actor, kind, key, name in events:
        field = COUNTED[kind]
        for row in (clerk_row(actor), procedure_row(key, name)):
            setattr(row, field, getattr(row, field) + 1)

    waiting = session.exec(
        select(Dossier.clerk, Dossier.procedure_key, Dossier.procedure_name, Dossier.due_at)
        .where(col(Dossier.status).in_(AWAITING_RESULT), col(Dossier.due_at) < end)
    ).all()
    for clerk, key, name, due in waiting:
        field = "overdue" if due < as_of else "due_today" if due >= start else ""
        if field:
            for row in (clerk_row(clerk), procedure_row(key, name)):
                setattr(row, field, getattr(row, field) + 1)

    def total(field: str) -> int:
        return sum(getattr(r, field) for r in procedures.values())

    def ordered(rows: dict[str, CountRow]) -> list[CountRow]:
        return sorted(rows.values(), key=lambda r: (-r.received - r.returned, -r.overdue, r.label))

    return DailyReport(
        day=day, at=at, received=total("received"), returned=total("returned"), refused=total("refused"),
        supplement=total("supplement"), due_today=total("due_today"), overdue=total("overdue"),
        per_clerk=ordered(clerks), per_procedure=ordered(procedures),
    )
