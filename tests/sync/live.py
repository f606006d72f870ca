"""Helpers shared by the live view's tests: operators, a signed-in browser session, counts taken straight from
the database (by plain SQL over the dossiers, not through the tally the page reads)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import httpx
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from counter_app.rules.clock import TZ
from sync.server import operators, tally
from sync.server.models import PointTally

PASSWORD = "mat-khau-thanh-pho-2026"


def add_operator(engine: Engine, login: str, *, role: str = "city", agency: str = "", name: str = "") -> None:
    with Session(engine) as s, s.begin():
        operators.add(s, login=login, full_name=name or f"Nguyễn Văn {login.title()}", role=role,
                      agency_code=agency, password=PASSWORD, at=datetime.now(TZ))


@contextmanager
def signed_in(url: str, login: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
    """A browser-like client (it keeps cookies) signed in to the live view."""
    with httpx.Client(base_url=url, timeout=10) as http:
        answer = http.post("/dieu-hanh/dang-nhap", data={"ten": login, "mat_khau": password})
        assert answer.status_code == 303, answer.text
        yield http


def kept(engine: Engine) -> Counter:
    """The tally as the table holds it (cells at zero left out)."""
    with Session(engine) as s:
        rows = s.execute(select(PointTally.agency_code, PointTally.day, PointTally.measure, PointTally.count)).all()
    return Counter({(a, d if isinstance(d, date) else date.fromisoformat(str(d)), m): n for a, d, m, n in rows if n})


def counted(engine: Engine) -> Counter:
    with Session(engine) as s:
        return +tally.count_all(s)


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), TZ)
    return start, start + timedelta(days=1)


def straight_counts(engine: Engine, agency: str, day: date) -> dict[str, int]:
    """The figures the page shows for `agency` on `day`, counted by plain SQL over the dossiers."""
    start, end = _bounds(day)
    month_start, _ = _bounds(day.replace(day=1))
    if engine.dialect.name == "sqlite":  # kept there as naive UTC (sync.server.models.UtcDateTime)
        start, end, month_start = (t.astimezone(UTC).replace(tzinfo=None) for t in (start, end, month_start))
    q = {
        "received_today": "reception_at >= :start AND reception_at < :end",
        "received_month": "reception_at >= :month AND reception_at < :end",
        "open": "reception_at IS NOT NULL AND status IN (2, 4, 5, 6)",
        "overdue": "reception_at IS NOT NULL AND status IN (2, 4, 5, 6) AND legal_due_at < :start",
        "late_month": "status IN (9, 10) AND settled_at >= :month AND settled_at < :end AND settled_at > legal_due_at",
        "refused_month": "status = 3 AND status_at >= :month AND status_at < :end",
    }
    with Session(engine) as s:
        return {name: s.scalar(text(f"SELECT COUNT(*) FROM city_dossier WHERE agency_code = :a AND {where}"),
                               {"a": agency, "start": start, "end": end, "month": month_start})
                for name, where in q.items()}
