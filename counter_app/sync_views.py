"""The sync state as the screens show it: last success, what waits, what the city refused (plain data)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class RejectedOp(BaseModel):
    op_id: str
    dossier_code: str
    kind: str
    reason: str  # as the city gave it (English), for the supervisor and the log
    created_at: datetime


class SyncStatus(BaseModel):
    configured: bool  # a city address is set for this office
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    failures: int
    next_try_at: datetime | None
    last_error_vi: str
    pending: int
    rejected: list[RejectedOp]
