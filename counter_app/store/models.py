"""SQLModel tables of the office store.

The schema is owned by the Alembic migrations in `migrations/versions/`; a test checks that
these classes and the migrated database agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from counter_app.store.types import AwareDateTime


def _dt(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(AwareDateTime(), nullable=nullable, index=index))


def _json(default: Any) -> Any:
    return Field(default_factory=lambda: default.copy(), sa_column=Column(JSON, nullable=False))


class OfficeRow(SQLModel, table=True):
    """The one office this store belongs to (id is always 1)."""

    __tablename__ = "office"

    id: int = Field(default=1, primary_key=True)
    ward_code: int
    ward_name: str
    province_code: int
    province_name: str
    agency_code: str
    name: str  # as printed on slips, e.g. "UBND PHƯỜNG CỬA NAM"
    parent_name: str = ""  # the line above the name on forms
    address: str = ""
    phone: str = ""
    email: str = ""
    hours: list = _json([])  # [[weekday, "08:00", "12:00"], ...]
    same_day_cutoff: str = "15:00"
    queue: dict = _json({})  # queue settings; see counter_app.rules.queue.QueueSettings
    printing: dict = _json({})  # print settings; see counter_app.views.printing.PrintSettings
    created_at: datetime = _dt()


class Lane(SQLModel, table=True):
    """A queue lane (service group) with its ticket prefix and the procedure fields it takes."""

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(unique=True, max_length=2)
    name: str
    groups: list = _json([])  # lane groups (procedure.lane) it takes
    sort: int = 0


class Counter(SQLModel, table=True):
    """A counter (quầy) and the ordered lanes it serves."""

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    name: str
    lanes: list = _json([])
    active: bool = True
    is_open: bool = False  # a clerk has the counter open and takes tickets


class CalendarDay(SQLModel, table=True):
    """An office's own exception to the national calendar: an extra day off or a make-up working day."""

    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    kind: str  # "off" or "work"
    note: str = ""


class CatalogVersion(SQLModel, table=True):
    __tablename__ = "catalog_version"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(unique=True)
    issued: str = ""
    source: str = ""
    imported_at: datetime = _dt()
    procedure_count: int = 0


class Procedure(SQLModel, table=True):
    """One procedure as a given catalog version describes it; old versions are kept for old dossiers."""

    __table_args__ = (UniqueConstraint("catalog_version_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    catalog_version_id: int = Field(foreign_key="catalog_version.id", index=True)
    key: str = Field(index=True)  # stable across versions, also when the national code is unknown
    code: str = ""  # national procedure database code; empty when unconfirmed
    name: str
    field: str
    lane: str
    time_kind: str  # "same_day" or "working_days"
    time_days: int = 0
    handled_by: str = "commune"  # "commune" or "transfer" (liên thông)
    handling_agency: str = ""
    fees: list = _json([])
    documents: list = _json([])
    results: list = _json([])
    unconfirmed: list = _json([])
    cases: list = _json([])  # [{"name", "documents"}]: situations with their own papers
    time_by_method: dict = _json({})  # {"online"|"post": {"kind", "days"}} where a method takes another time
    active: bool = True


class Dossier(SQLModel, table=True):
    """A dossier (hồ sơ): the applicant's request, its documents, times and status."""

    __table_args__ = (
        Index("ix_dossier_status_due", "status", "due_at"),
        Index("ix_dossier_received", "received_at"),
        Index("ix_dossier_clerk_received", "clerk", "received_at"),
        Index("ix_dossier_procedure_received", "procedure_key", "received_at"),
        Index("ix_dossier_status_received", "status", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    submission_id: str = Field(unique=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    procedure_key: str
    procedure_code: str = ""
    procedure_name: str
    catalog_version: str
    channel: int = 1  # 1 in person, 2 online, 3 public post
    applicant_type: int = 1  # 1 citizen, 2 enterprise, 3 state agency, 4 other organisation
    applicant_name: str
    representative: str = ""  # the person acting for an organisation
    representative_id: str = ""  # their citizen ID number (the organisation's own code is `id_number`)
    id_number: str = Field(default="", index=True)
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    summary: str = ""  # trích yếu
    # Whom the dossier concerns when that is not the applicant (the child of a birth registration, the
    # deceased of a death registration, the ward of a guardianship): see rules.applicant.SUBJECTS.
    subject_name: str = ""
    subject_birth_date: date | None = None
    subject_id_number: str = ""
    sets: int = 1
    status: int
    supplement_from: int | None = None  # status to return to when a supplement arrives
    received_at: datetime = _dt()
    due_at: datetime | None = _dt(nullable=True)
    original_due_at: datetime | None = _dt(nullable=True)
    returned_at: datetime | None = _dt(nullable=True)
    returned_to: str = ""
    returned_id_checked: bool = False
    result_delivery: str = "counter"  # "counter" or "post"
    post_tracking: str = ""
    handling_agency: str = ""
    clerk: str
    counter_no: int | None = None
    register_book: str
    register_row: int
    updated_at: datetime = _dt()


class DossierDocument(SQLModel, table=True):
    """A paper of a dossier: submitted at intake, missing (asked in a supplement), or a result."""

    __tablename__ = "dossier_document"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    # "submitted" (handed in at intake), "missing" (asked for, not yet handed in), "supplement" (handed in
    # later, answering a request) or "result" (issued by the office)
    role: str = "submitted"
    name: str
    originals: int = 0
    certified: int = 0
    copies: int = 0
    mandatory: bool = False
    provided: bool = True


class DossierFee(SQLModel, table=True):
    """A fee or charge of a dossier; payment fields are filled when it is paid."""

    __tablename__ = "dossier_fee"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    name: str
    unit_amount: int
    quantity: int = 1
    amount: int
    basis: str = ""  # how it was counted, as the receipt prints it ("2 bản × 3 trang (…)")
    paid: bool = False
    method: str = ""  # "cash", "transfer", ...
    receipt_no: str = ""
    paid_at: datetime | None = _dt(nullable=True)


class Event(SQLModel, table=True):
    """Append-only history; each row is chained to the previous one by `prev_hash`."""

    __table_args__ = (Index("ix_event_at", "at"),)

    seq: int = Field(primary_key=True)  # assigned by the audit module, gapless
    at: datetime = _dt()
    actor: str
    subject: str  # "dossier:<code>", "office", "catalog", "ticket:<id>"
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id", index=True)
    kind: str
    from_status: int | None = None
    to_status: int | None = None
    details: dict = _json({})
    prev_hash: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))  # sha256 digest
    hash: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))


class Outbox(SQLModel, table=True):
    """An operation the city must receive, written in the same transaction as its change."""

    id: int | None = Field(default=None, primary_key=True)
    op_id: str = Field(unique=True)
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id", index=True)
    event_seq: int = Field(foreign_key="event.seq")
    kind: str
    payload: str  # canonical JSON, frozen once queued
    sha256: str
    state: str = Field(default="pending", index=True)  # pending, acked (the city has stored it), rejected
    attempts: int = 0
    next_try_at: datetime | None = _dt(nullable=True)
    last_error: str = ""  # why the city refused it (English, for the log)
    last_error_vi: str = ""  # the same for the supervisor
    created_at: datetime = _dt()
    acked_at: datetime | None = _dt(nullable=True)


class Ticket(SQLModel, table=True):
    """A queue ticket (A001…) of one day; its state and the time of every step."""

    __table_args__ = (
        UniqueConstraint("day", "label"),
        Index("ix_ticket_day_state_lane", "day", "state", "lane_id", "priority", "arrival_at"),
        Index("ix_ticket_target_counter", "target_counter"),
        # The wait estimate reads a lane's last finished tickets: newest first, never the year behind them.
        Index("ix_ticket_lane_state_done", "lane_id", "state", "done_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    day: date
    label: str  # "A001": the lane prefix at issue and the day's number; never changes
    number: int
    lane_id: int = Field(foreign_key="lane.id")  # the lane it waits in now (changes on transfer)
    priority: str = ""  # "" or a key of rules.queue.PRIORITY_LABELS
    procedure_key: str = ""  # when the reception desk picked the procedure
    source: str = "kiosk"  # "kiosk" or "reception"
    state: str = "waiting"
    counter_no: int | None = None  # the counter that called, serves or holds it
    target_counter: int | None = None  # transferred to one counter rather than a lane
    recalls: int = 0
    transfers: int = 0
    issued_at: datetime = _dt()
    arrival_at: datetime = _dt()  # place in the queue; kept on transfer
    first_called_at: datetime | None = _dt(nullable=True)
    called_at: datetime | None = _dt(nullable=True)
    serving_at: datetime | None = _dt(nullable=True)
    done_at: datetime | None = _dt(nullable=True)
    dossier_codes: list = _json([])
    closed_reason: str = ""


class TicketCall(SQLModel, table=True):
    """One announcement of a ticket to a counter (a call or a recall); the board follows these."""

    __tablename__ = "ticket_call"
    # A counter's calls of today (the priority streak), without walking back through every past day.
    __table_args__ = (Index("ix_ticket_call_counter_at", "counter_no", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    label: str
    counter_no: int
    at: datetime = _dt()
    recall: bool = False
    priority: bool = False


class SequenceCounter(SQLModel, table=True):
    """Running numbers (dossier codes per day, register rows per year); they only ever go up."""

    __tablename__ = "sequence_counter"

    name: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    value: int = 0


class Printer(SQLModel, table=True):
    """A printer of the office: its connection, paper and what it prints (a PrinterConfig as JSON)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    config: dict = _json({})
    updated_at: datetime = _dt()


class PrintJob(SQLModel, table=True):
    """A print request, kept until printed or cancelled so nothing is lost across a restart.

    A worker claims a job with a lease; a job whose worker died is taken again when the lease ends.
    """

    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_state_printer", "state", "printer", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    request: dict = _json({})
    printer: str = ""  # empty: no printer set up for it yet
    state: str = "pending"  # pending, printing, done, cancelled
    copies: int = 1
    attempts: int = 0
    actor: str
    worker: str = ""
    created_at: datetime = _dt()
    updated_at: datetime = _dt()
    next_try_at: datetime | None = _dt(nullable=True)
    lease_until: datetime | None = _dt(nullable=True)
    fault: str = ""  # why the last try failed: "printer" (holds the printer's later jobs) or "job" (only this one)
    last_error_en: str = ""
    last_error_vi: str = ""


class Account(SQLModel, table=True):
    """A member of staff who signs in: a clerk, a supervisor or an administrator."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)  # stored folded to lower case
    full_name: str
    role: str  # clerk, supervisor, administrator
    password_hash: str  # argon2id, with its parameters
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = _dt(nullable=True)
    created_at: datetime = _dt()
    updated_at: datetime = _dt()


class ClerkSession(SQLModel, table=True):
    """One sign-in: who, at which counter and machine, from when to when. Only the token's sha256 is kept."""

    __tablename__ = "clerk_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    counter_no: int | None = None
    machine: str = Field(default="", index=True, sa_column_kwargs={"server_default": ""})  # "": the hub PC itself
    started_at: datetime = _dt()
    ends_at: datetime | None = _dt(nullable=True)  # closing time of its day, fixed at sign-in
    ended_at: datetime | None = _dt(nullable=True)


class SyncState(SQLModel, table=True):
    """The hub's side of the city sync (one row): the change-feed cursor and how the last tries went."""

    __tablename__ = "sync_state"

    id: int = Field(default=1, primary_key=True)
    cursor: int = 0  # the server sequence number of the last change applied
    last_success_at: datetime | None = _dt(nullable=True)
    last_attempt_at: datetime | None = _dt(nullable=True)
    failures: int = 0  # failed rounds in a row (for the back-off)
    next_try_at: datetime | None = _dt(nullable=True)
    last_error_en: str = ""
    last_error_vi: str = ""
    clock_skew_s: int | None = None  # this PC's clock minus the city's, seen at the last answer
    # A backup was restored: what happened after it must be fetched back from the city before the next push.
    recovery_due: bool = False
    # The city's key for the check the receipts' QR carries (hex; "" until the city gave it): never crosses the LAN.
    lookup_key: str = ""


class Rating(SQLModel, table=True):
    """A citizen's rating of one service: asked when the clerk finishes a ticket or hands back a result,
    answered at most once, on the citizen's screen at that counter (never from the clerk's session)."""

    __table_args__ = (Index("ix_rating_counter_asked", "counter_no", "asked_at"),
                      Index("ix_rating_answered", "answered_at"))

    id: int | None = Field(default=None, primary_key=True)
    service: str = Field(unique=True)  # "ticket:<id>" or "result:<dossier code>": one rating per service
    counter_no: int
    clerk: str  # the clerk who served
    lane_id: int | None = None  # the ticket's lane (a returned result: the procedure's)
    dossier_code: str = ""
    asked_at: datetime = _dt()
    choice: str = ""  # "" until answered; see rules.rating.CHOICES
    reasons: list = _json([])  # for "not_satisfied": keys of rules.rating.REASONS
    answered_at: datetime | None = _dt(nullable=True)


class Machine(SQLModel, table=True):
    """A PC allowed to reach the hub over the LAN (a counter, the kiosk, the board); only its token's sha256 is kept."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str  # counter, kiosk, board, rating
    counter_no: int | None = None  # the counter a counter PC serves, or a rating screen faces
    token_hash: str = Field(unique=True)
    created_at: datetime = _dt()
    created_by: str
    revoked_at: datetime | None = _dt(nullable=True)


class HubRequest(SQLModel, table=True):
    """A write request the hub has carried out, by its idempotency key, with the answer it gave.

    The row is added in the same transaction as the write, so a request sent again (its answer was
    lost on the LAN) is answered from here and never carried out twice.
    """

    __tablename__ = "hub_request"

    key: str = Field(primary_key=True)
    machine: str
    operation: str
    request_hash: str = Field(default="", sa_column_kwargs={"server_default": ""})  # who asked what (sha256)
    at: datetime = _dt(index=True)
    status: int | None = None  # the HTTP status of the answer, once stored
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
