"""The dossier list's filter and pages, the daily figures, and a returning applicant (plain pydantic data)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, field_validator

from counter_app.rules.text import clean
from counter_app.views.dossiers import ApplicantIn, DossierSummary

PERIODS = {"today": "Hôm nay", "7d": "7 ngày qua", "30d": "30 ngày qua", "all": "Tất cả"}
DUE_FILTERS = {"": "Mọi hạn trả", "overdue": "Quá hạn", "due_today": "Đến hạn hôm nay", "open": "Chưa trả kết quả"}


class DossierQuery(BaseModel):
    """What the clerk filters the list by; the defaults are today's dossiers of everyone."""

    period: Literal["today", "7d", "30d", "all"] = "today"
    statuses: list[int] = []
    procedure: str = ""  # catalog key
    due: Literal["", "overdue", "due_today", "open"] = ""
    clerk: str = ""  # username: "received by me"
    text: str = ""  # accent-insensitive search (code, name, ID, phone, address)

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return clean(value, field="query.text", field_vi="Nội dung tìm", max_len=200)


class ListCursor(BaseModel):
    """Where a page ended: the last row's receipt time and id (the list's sort key)."""

    received_at: datetime
    id: int
    offset: int | None = None  # a text search's page: rows are in the search's rank, not by receipt time


class DossierPage(BaseModel):
    """One page of the list, newest received first. `next_after` continues it; None on the last page."""

    rows: list[DossierSummary]
    next_after: ListCursor | None


class CountRow(BaseModel):
    key: str
    label: str
    received: int = 0
    returned: int = 0
    refused: int = 0
    supplement: int = 0
    due_today: int = 0
    overdue: int = 0


class DailyReport(BaseModel):
    """A day at the counters, as a supervisor reads it: totals, per clerk, per procedure."""

    day: date
    at: datetime
    received: int
    returned: int
    refused: int
    supplement: int
    due_today: int
    overdue: int
    per_clerk: list[CountRow]
    per_procedure: list[CountRow]


class KnownApplicant(BaseModel):
    """The details of an applicant's latest dossier, offered when the same ID number comes again."""

    applicant: ApplicantIn
    last_code: str
    last_received_at: datetime
    dossiers: int
