"""The sync state as the screens show it: last success, what waits, what the city refused (plain data)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class RejectedOp(BaseModel):
    op_id: str
    dossier_code: str
    kind: str
    reason: str  # as the city gave it (English), for the log and the technician
    reason_vi: str  # the same for the supervisor
    created_at: datetime


class SyncStatus(BaseModel):
    configured: bool  # a city address is set for this office
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    failures: int
    next_try_at: datetime | None
    last_error_vi: str
    clock_skew_s: int | None = None  # this PC's clock minus the city's at the last answer
    pending: int
    rejected: list[RejectedOp]
