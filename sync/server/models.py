"""The city centre's tables (PostgreSQL; SQLite for development only), with their own metadata and migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Date, DateTime, Dialect, Identity, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored in UTC: PostgreSQL keeps the zone, SQLite (development) would drop it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the city stores aware times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, datetime: UtcDateTime()}


class Credential(Base):
    """A hub's (or an operator's) access to the city: only the sha256 of its token is kept."""

    __tablename__ = "credential"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(32), index=True)  # "*" for a city operator
    role: Mapped[str] = mapped_column(String(16))  # "hub" or "admin"
    label: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ReceivedOp(Base):
    """Every op ever received, keyed by its office and id: a repeat gets the stored result, never a second apply.

    Op ids are one namespace per office: another office's op with the same id is another op.
    """

    __tablename__ = "received_op"
    __table_args__ = (Index("ix_received_op_agency_received", "agency_code", "received_at", "op_id"),)

    agency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    op_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dossier_code: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(String(16))  # ok or rejected
    reason: Mapped[str] = mapped_column(Text, default="")
    reason_vi: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime]


class CityDossier(Base):
    """The city's copy of a dossier: the hub's intake data, and the status whoever owns it set last."""

    __tablename__ = "city_dossier"
    __table_args__ = (Index("ix_city_dossier_agency_status", "agency_code", "status"),)

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(32))
    status: Mapped[int] = mapped_column(Integer)
    intake: Mapped[dict[str, Any]]  # the hub's snapshot at intake (hub-owned)
    received_at: Mapped[datetime]
    due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(nullable=True)
    results: Mapped[dict[str, Any]] = mapped_column(default=dict)  # city-owned: results, processing notes
    hub_event_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # the last hub event applied
    updated_at: Mapped[datetime]
    # What the live view counts by (`sync.server.tally`): how it came in (1 counter, 2 online, 3 post), when
    # it was taken in (None: registered online or sent back to complete, not received yet), the due time the
    # law set (an apology's new date does not move it), when its result was first ready and
    # when its status last changed, as the office lived them.
    channel: Mapped[int] = mapped_column(SmallInteger, default=1)
    reception_at: Mapped[datetime | None] = mapped_column(nullable=True)
    legal_due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    settled_at: Mapped[datetime | None] = mapped_column(nullable=True)
    status_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ChangeRow(Base):
    """What hubs must pull, in one server-wide order. `agency_code` "*" is for every hub (catalog)."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_agency_seq", "agency_code", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), Identity(), primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    dossier_code: Mapped[str] = mapped_column(String(64), default="")
    body: Mapped[dict[str, Any]]
    at: Mapped[datetime]


class CatalogVersion(Base):
    __tablename__ = "catalog_version"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class ChainAnchor(Base):
    """An office's event-log head as it pushed (sequence and hash), kept outside the office's own file.

    The first hash the city hears for a sequence number is the one kept: a different one later is a
    log rewritten at the office, and is logged, not stored.
    """

    __tablename__ = "chain_anchor"

    agency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]


class SupersededAnchor(Base):
    """A head the office told the city about before it restored a backup older than it: kept as evidence
    (when, and which restore), no longer checked against the office's log."""

    __tablename__ = "chain_anchor_superseded"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), Identity(), primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(32), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]
    superseded_at: Mapped[datetime]
    restored_head_seq: Mapped[int] = mapped_column(BigInteger)  # where the restored log ended


class LookupKey(Base):
    """An office's key for the check its receipts' QR carries (`counter_app.rules.lookup_check`): made by the
    city on the office's first asking, fetched by its hub over the sync credential, never shown elsewhere."""

    __tablename__ = "lookup_key"

    agency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))  # 32 random bytes, hex
    created_at: Mapped[datetime]


class LookupAttempt(Base):
    """Lookups from one client address in one minute: the public page's throttle, shared by every worker."""

    __tablename__ = "lookup_attempt"

    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # Unix time // 60
    count: Mapped[int] = mapped_column(Integer, default=0)


class PointTally(Base):
    """The live view's counts, kept as pushes arrive (`sync.server.tally`): per office, day and measure.

    A measure is a dossier's state on a day: received (by channel) on its reception day, settled on time or
    late on the day its result was ready, refused or withdrawn on that day, and still open on its legal due
    day (so "overdue" is the open ones whose day is before today). The table always equals what
    `tally.rebuild` counts from the dossiers.
    """

    __tablename__ = "point_tally"
    __table_args__ = (Index("ix_point_tally_measure_day", "measure", "day"),)  # the month's cells, the open ones

    agency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    measure: Mapped[str] = mapped_column(String(24), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PointLink(Base):
    """What each office's hub said with its last sync round: its queue now and its outbox, and when."""

    __tablename__ = "point_link"

    agency_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    heard_at: Mapped[datetime]  # the city's clock when the snapshot arrived
    taken_at: Mapped[datetime]  # the hub's clock when it took it
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    longest_wait_s: Mapped[int] = mapped_column(Integer, default=0)
    counters_open: Mapped[int] = mapped_column(Integer, default=0)
    ops_waiting: Mapped[int] = mapped_column(Integer, default=0)
    ops_refused: Mapped[int] = mapped_column(Integer, default=0)


class Operator(Base):
    """A person at the city centre (role "city": every point) or a point's leader (role "point": their own)."""

    __tablename__ = "operator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[str] = mapped_column(String(32), default="")  # a point leader's office
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None] = mapped_column(nullable=True)


class OperatorSession(Base):
    """A signed-in operator's browser: only the sha256 of its cookie is kept, so any worker can check it."""

    __tablename__ = "operator_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    operator_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
