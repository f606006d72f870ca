"""The list and report part of `LocalOffice`: dossier pages, counts, the daily figures, a period's report,
known applicants."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from counter_app.dossiers import daily_report
from counter_app.dossiers import listing as dossier_list
from counter_app.reports.period import period_report
from counter_app.store import Store
from counter_app.views.lists import DailyReport, DossierPage, DossierQuery, KnownApplicant, ListCursor
from counter_app.views.reports import PeriodReport


class LocalLists:
    """Mixed into `LocalOffice`, which provides `store` and `_now`."""

    store: Store
    _now: Callable[[], datetime]

    def dossier_page(self, query: DossierQuery, *, after: ListCursor | None = None, limit: int = 200) -> DossierPage:
        with self.store.read() as s:
            return dossier_list.page(s, query, self._now(), after=after, limit=limit)

    def dossier_count(self, query: DossierQuery) -> int:
        with self.store.read() as s:
            return dossier_list.count(s, query, self._now())

    def daily_report(self, day: date | None = None) -> DailyReport:
        at = self._now()
        with self.store.read() as s:
            return daily_report.daily_report(s, day or at.date(), at)

    def period_report(self, date_from: date, date_to: date) -> PeriodReport:
        with self.store.read() as s:
            return period_report(s, date_from, date_to, self._now())

    def known_applicant(self, id_number: str) -> KnownApplicant | None:
        with self.store.read() as s:
            return dossier_list.known_applicant(s, id_number)
