"""The dossier list: filtered pages, newest received first, never the whole table.

Pages continue from the last (received at, id) seen (keyset paging), so the thousandth page costs
what the first does even with 500,000 dossiers. The sort key is the one the indexes carry after
each filter's column (received_at; clerk, received_at; procedure, received_at; status,
received_at), so a filtered page is read in index order instead of sorting every match.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import bindparam, func, tuple_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from counter_app.dossiers import search
from counter_app.dossiers.queries import summary
from counter_app.rules.clock import TZ
from counter_app.rules.lifecycle import TERMINAL, Status
from counter_app.store.models import Dossier
from counter_app.store.types import AwareDateTime
from counter_app.views.dossiers import ApplicantIn
from counter_app.views.lists import DossierPage, DossierQuery, KnownApplicant, ListCursor

PERIOD_DAYS = {"today": 0, "7d": 6, "30d": 29}
SEARCH_CAP = 2000  # a text search looks at this many best matches, then filters them
# Statuses in which a dossier still waits for its result (so it can be due or overdue).
AWAITING_RESULT = [int(s) for s in Status if s not in TERMINAL | {Status.RESULT_READY, Status.REGISTERED_ONLINE}]


def _start_of(day_offset: int, at: datetime) -> datetime:
    return datetime.combine(at.astimezone(TZ).date() - timedelta(days=day_offset), time(), TZ)


def _filtered(session: Session, query: DossierQuery, at: datetime) -> SelectOfScalar[Dossier]:
    stmt = select(Dossier)
    if query.period in PERIOD_DAYS:
        stmt = stmt.where(Dossier.received_at >= _start_of(PERIOD_DAYS[query.period], at))
    if query.statuses:
        stmt = stmt.where(col(Dossier.status).in_(query.statuses))
    if query.procedure:
        stmt = stmt.where(Dossier.procedure_key == query.procedure)
    if query.clerk:
        stmt = stmt.where(Dossier.clerk == query.clerk)
    if query.due:
        stmt = stmt.where(col(Dossier.status).in_(AWAITING_RESULT), col(Dossier.due_at).is_not(None))
        if query.due == "overdue":
            stmt = stmt.where(col(Dossier.due_at) < at)
        elif query.due == "due_today":
            stmt = stmt.where(col(Dossier.due_at) >= at, col(Dossier.due_at) < _start_of(-1, at))
    if query.text.strip():
        ids = search.search_ids(session, query.text, limit=SEARCH_CAP)
        stmt = stmt.where(col(Dossier.id).in_(ids or [-1]))
    return stmt


def page(session: Session, query: DossierQuery, at: datetime, *, after: ListCursor | None = None,
         limit: int = 200) -> DossierPage:
    if query.text.strip():
        return _ranked_page(session, query, at, after=after, limit=limit)
    stmt = _filtered(session, query, at)
    if after is not None:
        stmt = stmt.where(tuple_(col(Dossier.received_at), col(Dossier.id))
                          < tuple_(bindparam("r", after.received_at, type_=AwareDateTime()), after.id))
    stmt = stmt.order_by(col(Dossier.received_at).desc(), col(Dossier.id).desc()).limit(limit + 1)
    rows = session.exec(stmt).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = ListCursor(received_at=rows[-1].received_at, id=rows[-1].id) if more and rows else None
    return DossierPage(rows=[summary(d, at) for d in rows], next_after=last)


def _ranked_page(session: Session, query: DossierQuery, at: datetime, *, after: ListCursor | None,
                 limit: int) -> DossierPage:
    """A text search in the search's own order (a code, a number's last digits, a person's name, then the
    rest; each newest first), paged by position among its at most `SEARCH_CAP` matches."""
    # One letter matches half the office: its newest page is all a clerk reads (a prefix limit).
    cap = SEARCH_CAP if len(query.text.strip()) > 1 else limit
    ids = search.search_ids(session, query.text, limit=cap)
    position = {dossier_id: n for n, dossier_id in enumerate(ids)}
    # Which matches pass the other filters (ids only), then only this page's dossiers in full.
    stmt = _filtered(session, query.model_copy(update={"text": ""}), at).where(col(Dossier.id).in_(ids or [-1]))
    kept = sorted(session.exec(stmt.with_only_columns(col(Dossier.id))).all(), key=position.__getitem__)
    start = after.offset if after is not None and after.offset else 0
    wanted = kept[start:start + limit]
    found = {d.id: d for d in session.exec(select(Dossier).where(col(Dossier.id).in_(wanted or [-1]))).all()}
    chunk = [found[i] for i in wanted]
    more = start + limit < len(kept)
    last = ListCursor(received_at=chunk[-1].received_at, id=chunk[-1].id, offset=start + limit) \
        if more and chunk else None
    return DossierPage(rows=[summary(d, at) for d in chunk], next_after=last)


def count(session: Session, query: DossierQuery, at: datetime) -> int:
    stmt = _filtered(session, query, at).with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    return int(session.exec(stmt).one())


def known_applicant(session: Session, id_number: str) -> KnownApplicant | None:
    """The applicant of the latest dossier with this ID number (the column is indexed)."""
    id_number = id_number.strip()
    if not id_number:
        return None
    rows = session.exec(select(Dossier).where(Dossier.id_number == id_number)
                        .order_by(col(Dossier.id).desc()).limit(1)).all()
    if not rows:
        return None
    d = rows[0]
    total = session.exec(select(func.count()).select_from(Dossier).where(Dossier.id_number == id_number)).one()
    return KnownApplicant(
        applicant=ApplicantIn(type=d.applicant_type, name=d.applicant_name, representative=d.representative,
                              id_number=d.id_number, birth_date=d.birth_date, phone=d.phone, email=d.email,
                              address=d.address),
        last_code=d.code, last_received_at=d.received_at, dossiers=int(total),
    )
