"""What crosses the `Office` interface: forms coming in, views going out (plain pydantic data)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from counter_app.rules.text import clean


class DocumentIn(BaseModel):
    """A paper of the dossier; `provided=False` marks it missing (for a supplement request)."""

    name: str
    originals: int = Field(ge=0, default=1)
    certified: int = Field(ge=0, default=0)
    copies: int = Field(ge=0, default=0)
    mandatory: bool = False
    provided: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return clean(value, field="document.name", field_vi="Tên giấy tờ", max_len=300)


# Applicant types of the national record (LoaiDoiTuong), with the words the screens use.
APPLICANT_TYPES = {1: "Công dân", 2: "Doanh nghiệp", 3: "Cơ quan nhà nước", 4: "Tổ chức khác"}


class ApplicantIn(BaseModel):
    type: int = Field(ge=1, le=4, default=1)  # 1 citizen, 2 enterprise, 3 state agency, 4 other organisation
    name: str = ""
    representative: str = ""
    representative_id: str = ""  # the representative's citizen ID (an organisation's own code is id_number)
    id_number: str = ""
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""

    @field_validator("name", "representative", "representative_id", "id_number", "phone", "email", "address")
    @classmethod
    def _text(cls, value: str, info: ValidationInfo) -> str:
        field_vi, max_len = APPLICANT_FIELDS[str(info.field_name)]
        return clean(value, field=f"applicant.{info.field_name}", field_vi=field_vi, max_len=max_len)


APPLICANT_FIELDS = {"name": ("Họ tên", 120), "representative": ("Người đại diện", 120),
                    "representative_id": ("Số căn cước người đại diện", 20),
                    "id_number": ("Số định danh", 20), "phone": ("Số điện thoại", 20),
                    "email": ("Thư điện tử", 254), "address": ("Địa chỉ", 300)}


class SubjectIn(BaseModel):
    """Whom a dossier concerns besides its applicant: the child being registered, the deceased, the ward."""

    name: str = ""
    birth_date: date | None = None
    id_number: str = ""

    @field_validator("name", "id_number")
    @classmethod
    def _text(cls, value: str, info: ValidationInfo) -> str:
        field_vi = {"name": "Họ tên người được đăng ký", "id_number": "Số định danh người được đăng ký"}
        return clean(value, field=f"subject.{info.field_name}", field_vi=field_vi[str(info.field_name)],
                     max_len=120 if info.field_name == "name" else 20)


class IntakeForm(BaseModel):
    """One intake at the counter. `submission_id` is made once per form so a double submit is caught."""

    submission_id: str
    procedure: str  # catalog key or national code
    applicant: ApplicantIn
    documents: list[DocumentIn] | None = None  # None: every document of the catalog, all provided
    fee_quantities: dict[str, int] = {}  # copies (a per-copy or per-page fee) or cases, by fee name
    fee_pages: dict[str, int] = {}  # pages of each copy, for a per-page fee
    fee_exempt: dict[str, str] = {}  # the exempt group the applicant belongs to, by fee name
    channel: int = Field(ge=1, le=3, default=1)
    sets: int = Field(ge=1, default=1)
    summary: str = ""
    result_delivery: Literal["counter", "post"] = "counter"
    counter_no: int | None = None
    outcome: Literal["receive", "supplement", "refuse"] = "receive"
    reason: str = ""
    subject: SubjectIn | None = None  # whom it concerns, for procedures that have such a person
    case: str = ""  # the procedure's situation the clerk picked (its papers are the checklist's)

    @field_validator("submission_id", "procedure")
    @classmethod
    def _key(cls, value: str, info: ValidationInfo) -> str:
        return clean(value, field=f"form.{info.field_name}", field_vi="Mã biểu mẫu", max_len=64)

    @field_validator("summary", "reason")
    @classmethod
    def _prose(cls, value: str, info: ValidationInfo) -> str:
        field_vi = {"summary": "Trích yếu", "reason": "Lý do"}[str(info.field_name)]
        return clean(value, field=f"form.{info.field_name}", field_vi=field_vi, max_len=2000, multiline=True)


class DocumentView(BaseModel):
    role: str
    name: str
    originals: int
    certified: int
    copies: int
    mandatory: bool
    provided: bool


class FeeView(BaseModel):
    name: str
    unit_amount: int
    quantity: int
    amount: int
    basis: str = ""
    paid: bool
    method: str = ""  # "cash" or "transfer", once paid
    receipt_no: str = ""  # the fee receipt's series and number ("BL26-0000012")
    paid_at: datetime | None = None


class EventView(BaseModel):
    seq: int
    at: datetime
    actor: str  # the login (or "system", or a city department)
    kind: str
    from_status: int | None
    to_status: int | None
    details: dict
    actor_name: str = ""  # the member of staff's full name, as slips print it ("" when no account)
    actor_title: str = ""  # their title ("Cán bộ tiếp nhận")

    @property
    def signed_by(self) -> str:
        """Who did it, as a citizen reads it: the full name, never the login."""
        return self.actor_name or self.actor


class DossierSummary(BaseModel):
    code: str
    status: int
    status_label: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    subject_name: str = ""  # whom it concerns, when not the applicant
    phone: str
    received_at: datetime
    due_at: datetime | None
    overdue: bool
    due_today: bool = False  # due later today, no result yet
    clerk: str = ""


# How a fee was paid, as receipts and screens say it.
PAY_METHODS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản"}


class DossierDetail(DossierSummary):
    clerk_name: str = ""  # the receiving clerk's full name and title, as slips print them
    clerk_title: str = ""
    as_of: datetime | None = None  # the office's time when this view was read (what "overdue" was judged at)
    procedure_key: str
    catalog_version: str
    channel: int
    applicant_type: int
    representative: str
    representative_id: str = ""
    id_number: str
    birth_date: date | None
    subject_label: str = ""  # "Người được khai sinh" … ("" when the procedure has no such person)
    subject_birth_date: date | None = None
    subject_id_number: str = ""
    email: str
    address: str
    summary: str
    sets: int
    original_due_at: datetime | None
    returned_at: datetime | None
    returned_to: str
    returned_id_checked: bool
    result_delivery: str
    handling_agency: str
    counter_no: int | None
    register_book: str
    register_row: int
    documents: list[DocumentView]
    fees: list[FeeView]
    events: list[EventView]
    allowed_actions: list[str]
    lookup_check: str = ""  # the signed check the receipt's QR carries ("" until the city gave the office its key)

    @property
    def signer(self) -> str:
        """Who signs and pays for the applicant: an organisation through its representative, by name."""
        return self.representative if self.applicant_type != 1 and self.representative else self.applicant_name


class ProcedureInfo(BaseModel):
    key: str
    code: str
    name: str
    field: str
    lane: str
    time_kind: str
    time_days: int
    time_label: str
    handled_by: str
    handling_agency: str
    fees: list[dict]
    documents: list[dict]
    results: list[str]
    unconfirmed: list[str]
    catalog_version: str
    cases: list[dict] = []  # [{"name", "documents"}]


class OfficeInfo(BaseModel):
    ward_code: int
    ward_name: str
    province_name: str
    agency_code: str
    name: str
    parent_name: str
    address: str
    phone: str
    email: str
    hours: list[list]
    same_day_cutoff: str
    catalog_version: str | None
    lanes: list[dict]
    counters: list[dict]


class PublicStep(BaseModel):
    at: datetime
    what: str  # "Tiếp nhận hồ sơ", "Yêu cầu bổ sung hồ sơ", …


class PublicStatus(BaseModel):
    """What anyone holding the receipt may see of a dossier: never the ID, address or phone; the name masked."""

    code: str
    procedure_name: str
    applicant: str  # masked: "Nguyễn V. A."
    status_label: str
    received_at: datetime
    due_at: datetime | None
    rescheduled_from: datetime | None = None
    reschedule_reason: str = ""
    missing: list[str] = []  # what a supplement request asks for, while it waits
    result_ready: bool = False
    steps: list[PublicStep] = []
