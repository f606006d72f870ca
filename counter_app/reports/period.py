"""A period's report: any day, week, month, quarter, year or two dates, for the supervisor."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from counter_app.errors import InvalidInput
from counter_app.reports.dossier_figures import dossier_figures
from counter_app.reports.queue_figures import queue_figures
from counter_app.reports.rating_figures import rating_figures
from counter_app.rules.clock import TZ
from counter_app.views.reports import PeriodReport

MAX_DAYS = 5 * 366  # five years in one report is already more than anyone reads


def check_period(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise InvalidInput(f"report period ends {date_to} before it starts {date_from}",
                           "Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    if (date_to - date_from).days >= MAX_DAYS:
        raise InvalidInput(f"report period of {(date_to - date_from).days + 1} days is too long",
                           "Kỳ báo cáo dài quá 5 năm; hãy chọn kỳ ngắn hơn.")


def period_report(session: Session, date_from: date, date_to: date, at: datetime) -> PeriodReport:
    check_period(date_from, date_to)
    start = datetime.combine(date_from, time(), TZ)
    end = datetime.combine(date_to + timedelta(days=1), time(), TZ)
    dossiers = dossier_figures(session, start, end, at)
    queue = queue_figures(session, date_from, date_to)
    ratings = rating_figures(session, start, end)
    return PeriodReport(
        date_from=date_from, date_to=date_to, at=at, total=dossiers.total, per_field=dossiers.per_field,
        per_procedure=dossiers.per_procedure, per_clerk=dossiers.per_clerk,
        received_per_day=dossiers.received_per_day, queue_total=queue.total, queue_per_lane=queue.per_lane,
        queue_per_hour=queue.per_hour, ratings_total=ratings.total, ratings_per_clerk=ratings.per_clerk,
        ratings_per_lane=ratings.per_lane)
