"""The wire between an office hub and the city centre (DESIGN.md, Sync protocol): plain pydantic models.

Ops go up in batches of at most `MAX_OPS` (and `MAX_BYTES`); each comes back with its own result.
Changes come down after a server sequence number, never a clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, field_validator

MAX_OPS = 100
MAX_BYTES = 10 * 1024 * 1024
CHANGES_LIMIT = 500
STORED_OPS_LIMIT = 1000


class OpIn(BaseModel):
    """One outbox op as the hub froze it: `payload` is the canonical JSON text, `sha256` its digest."""

    op_id: str = Field(min_length=8, max_length=64)
    dossier_code: str = Field(min_length=1, max_length=64)
    kind: str = Field(min_length=1, max_length=64)
    payload: str
    sha256: str = Field(min_length=64, max_length=64)


class ChainHead(BaseModel):
    """The last event of the office's hash-chained log when it pushed: the city keeps it, so a log rewritten
    or cut short afterwards no longer matches what the city was told (`counter-app verify-log`)."""

    seq: int = Field(ge=1, le=2**62)
    hash: str = Field(pattern="^[0-9a-f]{64}$")


class PushRequest(BaseModel):
    ops: list[OpIn] = Field(max_length=MAX_OPS)
    chain_head: ChainHead | None = None


class AnchoredHead(ChainHead):
    received_at: datetime


class ChainHeadsResponse(BaseModel):
    heads: list[AnchoredHead]  # in order of seq
    more: bool


class OpResult(BaseModel):
    op_id: str
    # held: not looked at, because an earlier op of its dossier in the same push was rejected; send it later
    result: Literal["ok", "duplicate", "rejected", "held"]
    reason: str = ""  # English, for the log and the supervisor's screen (with `reason_vi`)
    reason_vi: str = ""


class PushResponse(BaseModel):
    results: list[OpResult]


class Change(BaseModel):
    """Something the city decided that a hub must apply: a status change, results, a catalog update."""

    seq: int
    kind: Literal["dossier.status", "catalog"]
    dossier_code: str = ""
    at: datetime
    body: dict[str, Any]


class ChangesResponse(BaseModel):
    changes: list[Change]
    next_since: int  # the cursor to ask with next time (the last seq returned, or `since`)
    more: bool


class CatalogResponse(BaseModel):
    version: str
    catalog: dict[str, Any] | None  # None: the hub already has the newest version


class StoredOp(BaseModel):
    """An op as the city keeps it, handed back to its own office to rebuild a store restored from a backup."""

    op_id: str
    dossier_code: str
    kind: str
    payload: str
    sha256: str
    result: Literal["ok", "rejected"]
    reason: str = ""
    reason_vi: str = ""
    received_at: datetime


class StoredOpsResponse(BaseModel):
    ops: list[StoredOp]  # in order of (received_at, op_id)
    more: bool


class RestoredRequest(BaseModel):
    """The office put a backup back: its log now ends at `head` (None: empty), and the city's heads after
    it belong to the log that was lost."""

    head: ChainHead | None = None


class RestoredResponse(BaseModel):
    superseded: int  # heads set aside (kept, no longer checked)


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    server_time: datetime


class LookupKeyResponse(BaseModel):
    """The office's key for the check its receipts' QR carries (`counter_app.rules.lookup_check`), hex."""

    key: str = Field(pattern=r"^[0-9a-f]{64}$")


class PointSnapshot(BaseModel):
    """The hub's queue and outbox as it ends a sync round (`counter_app.city.snapshot`), for the city's live view."""

    taken_at: AwareDatetime  # the hub's clock: the city sees how far off it is
    waiting: int = Field(ge=0, le=1_000_000)
    longest_wait_s: int = Field(ge=0, le=10_000_000)
    counters_open: int = Field(ge=0, le=10_000)
    ops_waiting: int = Field(ge=0, le=2**31 - 1)
    ops_refused: int = Field(ge=0, le=2**31 - 1)

    @field_validator("taken_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        if not 1970 <= value.year <= 2100:  # a hub's clock in 1970 is shown as such; beyond, it would overflow UTC
            raise ValueError("taken_at is not a plausible time")
        return value
