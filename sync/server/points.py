"""The city's live view of its points: each point's figures today and this month, its queue now and its link.

Everything here reads the counts kept as pushes arrive (`sync.server.tally`) and the hubs' last snapshots
(`point_link`): one grouped query over the month's cells, never a scan of the dossiers, so the page for
126 points builds in milliseconds however many dossiers the city holds (benchmarks/bench_live_view.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counter_app.rules.clock import TZ
from counter_app.rules.workcal import WorkCalendar
from sync.protocol import PointSnapshot
from sync.server.models import CityDossier, Credential, PointLink
from sync.server.tally import OPEN, RECEIVED, day_of

FLOWS = (*RECEIVED.values(), "settled_on_time", "settled_late", "refused", "withdrawn")
SORTS = ("code", "overdue", "silence", "received", "waiting")
FILTERS = ("all", "overdue", "silent")
TREND_DAYS = 30

_FIGURES = text("""
SELECT agency_code, measure,
       SUM(CASE WHEN day = :today THEN count ELSE 0 END) AS today,
       SUM(count) AS month
FROM point_tally WHERE day >= :month AND day <= :today AND measure IN :flows
GROUP BY agency_code, measure
UNION ALL
SELECT agency_code, measure,
       SUM(CASE WHEN day < :today THEN count ELSE 0 END) AS today,
       SUM(count) AS month
FROM point_tally WHERE measure = 'open'
GROUP BY agency_code, measure
""").bindparams(bindparam("flows", expanding=True))


@dataclass
class PointFigures:
    """One point's row on the all-points page. `today`/`month`: flows by measure; `open`/`overdue`: now."""

    agency_code: str
    name: str
    today: dict[str, int] = field(default_factory=dict)
    month: dict[str, int] = field(default_factory=dict)
    open: int = 0
    overdue: int = 0
    link: PointLink | None = None
    silent: bool = True
    skew_s: int | None = None

    def received(self, period: str) -> int:
        figures = self.today if period == "today" else self.month
        return sum(figures.get(m, 0) for m in RECEIVED.values())

    @property
    def on_time_rate(self) -> float | None:
        """The month's results ready on time, of all ready this month (None: none yet)."""
        done = self.month.get("settled_on_time", 0) + self.month.get("settled_late", 0)
        return self.month.get("settled_on_time", 0) / done if done else None


@cache
def _calendar() -> tuple[WorkCalendar, timedelta]:
    """National holidays and the usual office hours (the same for every point), and a working day's length."""
    calendar = WorkCalendar()
    day_length = sum(((datetime.combine(date.min, end) - datetime.combine(date.min, start))
                      for start, end in calendar.hours.usual_weekday()), timedelta())
    return calendar, day_length


def silent_since(heard_at: datetime | None, at: datetime) -> bool:
    """Not heard from for a whole working day of office time (a weekend or a holiday alone never flags it)."""
    if heard_at is None:
        return True
    calendar, day_length = _calendar()
    return calendar.add_office_time(heard_at.astimezone(TZ), day_length) <= at


def hear(session: Session, agency_code: str, snap: PointSnapshot, at: datetime) -> None:
    """Keep the hub's last snapshot (one row per point, replaced)."""
    values = {"heard_at": at, **snap.model_dump()}
    dialect = session.get_bind().dialect.name
    upsert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](PointLink.__table__)
    session.execute(upsert.values(agency_code=agency_code, **values)
                    .on_conflict_do_update(index_elements=["agency_code"], set_=values))


def names(session: Session) -> dict[str, str]:
    """Every point the city issued a hub credential to (revoked ones too: their dossiers stay), by its label."""
    rows = session.execute(select(Credential.agency_code, Credential.label, Credential.revoked_at)
                           .where(Credential.role == "hub").order_by(Credential.created_at)).all()
    found: dict[str, str] = {}
    for agency, label, revoked in rows:
        if revoked is None or agency not in found:
            found[agency] = label or agency
    return found


def all_points(session: Session, at: datetime, *, only: str | None = None) -> list[PointFigures]:
    """Every point (or `only` that one), with today's, the month's and the open figures, its queue and link."""
    today = day_of(at)
    labels = names(session)
    rows = session.execute(_FIGURES, {"today": today, "month": today.replace(day=1), "flows": list(FLOWS)}).all()
    links = {row.agency_code: row for row in session.scalars(select(PointLink))}
    agencies = sorted(set(labels) | {r.agency_code for r in rows} | set(links))
    points = {a: PointFigures(agency_code=a, name=labels.get(a, a)) for a in agencies if only in (None, a)}
    for agency, measure, today_n, month_n in rows:
        point = points.get(agency)
        if point is None:
            continue
        if measure == "open":
            point.open, point.overdue = int(month_n), int(today_n)
        else:
            point.today[measure], point.month[measure] = int(today_n), int(month_n)
    for point in points.values():
        point.link = links.get(point.agency_code)
        heard = point.link.heard_at if point.link else None
        point.silent = silent_since(heard, at)
        if point.link is not None:
            point.skew_s = round((point.link.taken_at - point.link.heard_at).total_seconds())
    return list(points.values())


def arrange(points: list[PointFigures], *, sort: str, show: str) -> list[PointFigures]:
    """Filtered (all, overdue only, silent only) and sorted (the worst first, except by code)."""
    if show == "overdue":
        points = [p for p in points if p.overdue]
    elif show == "silent":
        points = [p for p in points if p.silent]
    keys = {
        "code": lambda p: (p.agency_code,),
        "overdue": lambda p: (-p.overdue, p.agency_code),
        "silence": lambda p: (p.link.heard_at.timestamp() if p.link else float("-inf"), p.agency_code),
        "received": lambda p: (-p.received("today"), p.agency_code),
        "waiting": lambda p: (-(p.link.waiting if p.link else 0), p.agency_code),
    }
    return sorted(points, key=keys.get(sort, keys["code"]))


@dataclass(frozen=True)
class Trend:
    days: list[date]
    series: dict[str, list[int]]  # measure -> a count per day


def trend(session: Session, agency_code: str, at: datetime, days: int = TREND_DAYS) -> Trend:
    """The point's flows per day over the last `days` days (today included)."""
    last = day_of(at)
    span = [last - timedelta(days=n) for n in range(days - 1, -1, -1)]
    rows = session.execute(text(
        "SELECT day, measure, count FROM point_tally WHERE agency_code = :a AND day >= :first AND day <= :last "
        "AND measure IN :flows").bindparams(bindparam("flows", expanding=True)),
        {"a": agency_code, "first": span[0], "last": last, "flows": list(FLOWS)}).all()
    series = {m: [0] * days for m in FLOWS}
    index = {d: n for n, d in enumerate(span)}
    for day, measure, count in rows:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        series[measure][index[day]] += int(count)
    return Trend(days=span, series=series)


@dataclass(frozen=True)
class Overdue:
    code: str
    procedure: str
    received_at: datetime
    due_at: datetime
    status: int


def overdue(session: Session, agency_code: str, at: datetime, limit: int = 200) -> list[Overdue]:
    """The point's open dossiers past the day the law set, the longest overdue first (what a leader chases)."""
    start_of_today = datetime.combine(day_of(at), datetime.min.time(), TZ)
    d = CityDossier
    rows = session.execute(
        select(d.code, d.intake["procedure_name"].as_string(), d.received_at, d.legal_due_at, d.status)
        .where(d.agency_code == agency_code, d.status.in_(sorted(OPEN)), d.legal_due_at < start_of_today)
        .order_by(d.legal_due_at, d.code).limit(limit)).all()
    return [Overdue(code, procedure or "", received, due, status) for code, procedure, received, due, status in rows]

