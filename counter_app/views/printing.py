"""Printers, print jobs and print settings as they cross the `Office` interface (plain pydantic data).

The core only stores and hands out print jobs; the `printers` package renders and sends them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from counter_app.errors import InvalidInput

# What a job prints, its Vietnamese name, and which kind of printer it goes to.
JOB_KINDS: dict[str, tuple[str, str]] = {
    "ticket": ("Phiếu số thứ tự", "ticket"),
    "receipt_summary": ("Phiếu hẹn (khổ nhỏ)", "slip"),
    "result_notice": ("Thông báo có kết quả (khổ nhỏ)", "slip"),
    "receipt": ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "a4"),
    "supplement": ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "a4"),
    "refusal": ("Phiếu từ chối tiếp nhận giải quyết hồ sơ", "a4"),
    "apology": ("Phiếu xin lỗi và hẹn lại ngày trả kết quả", "a4"),
    "control_sheet": ("Phiếu kiểm soát quá trình giải quyết hồ sơ", "a4"),
    "register": ("Sổ theo dõi hồ sơ", "a4"),
    "result_slip": ("Phiếu trả kết quả", "a4"),
    "fee_receipt": ("Biên lai thu phí, lệ phí", "a4"),
    "fee_receipt_slip": ("Biên lai thu phí, lệ phí (khổ nhỏ)", "slip"),
    "test_page": ("Trang in thử", ""),
}
PURPOSES = {"ticket": "vé xếp hàng", "slip": "phiếu khổ nhỏ", "a4": "biểu mẫu A4"}
PRINTER_KINDS = {"thermal": "máy in nhiệt", "a4": "máy in A4"}
JOB_STATES = {"pending": "Đang chờ in", "printing": "Đang in", "done": "Đã in", "cancelled": "Đã hủy"}


def fits_printer(kind: str, printer_kind: str) -> bool:
    """A4 forms need an A4 printer, tickets and slips a thermal one; a test page fits any printer."""
    purpose = JOB_KINDS[kind][1]
    return not purpose or (purpose == "a4") == (printer_kind == "a4")


class PrintSettings(BaseModel):
    """Office-wide print settings. The lookup addresses are *unconfirmed* defaults (DOMAIN.md)."""

    # The city's public lookup page (its `/tra-cuu`); when set, a receipt's QR opens the dossier's status
    # there with its signed check. Empty: `dossier_lookup_url`, the national portal's (unconfirmed) address.
    public_lookup_url: str = Field(default="", pattern=r"^(https?://[^\s?#]+)?$")
    dossier_lookup_url: str = "https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma={code}"
    ticket_lookup_url: str = "https://dichvucong.hanoi.gov.vn/tra-cuu-so-thu-tu?don-vi={agency}&ngay={day}&so={label}"
    receipt_copies: int = Field(default=2, ge=1, le=4)  # the receipt is made in two copies
    result_place: str = ""  # where results are collected; empty: the office's one-stop section
    ticket_footer: str = "Vui lòng chú ý màn hình và loa gọi số."
    # The office's account for fees paid by transfer: the receipt shows a VietQR for the amount ("": none).
    bank_bin: str = Field(default="", pattern=r"^(\d{6})?$")
    bank_account: str = Field(default="", pattern=r"^[0-9A-Za-z]{0,19}$")
    bank_account_name: str = Field(default="", max_length=100)

    def dossier_link(self, code: str, check: str = "") -> str:
        if self.public_lookup_url:
            return f"{self.public_lookup_url.rstrip('/')}/tra-cuu/{code}" + (f"?k={check}" if check else "")
        return self.dossier_lookup_url.replace("{code}", code)

    def ticket_link(self, agency: str, day: date, label: str) -> str:
        return (self.ticket_lookup_url.replace("{agency}", agency)
                .replace("{day}", day.strftime("%Y%m%d")).replace("{label}", label))


class Connection(BaseModel):
    """How the PC reaches a printer. Only the fields of `type` matter."""

    type: Literal["usb", "serial", "network", "spooler", "file"] = "file"
    usb_vendor: int | None = None  # e.g. 0x04B8 (Epson)
    usb_product: int | None = None
    serial_port: str = ""  # COM3, /dev/ttyUSB0
    baudrate: int = 9600
    host: str = ""
    tcp_port: int = Field(default=9100, ge=1, le=65535)
    queue: str = ""  # CUPS queue or Windows printer name; empty: the system default
    folder: str = ""  # file output: where the files go; empty: the installation's preview folder

    def label_vi(self) -> str:
        if self.type == "usb":
            return f"USB {self.usb_vendor or 0:04x}:{self.usb_product or 0:04x}"
        if self.type == "serial":
            return f"cổng nối tiếp {self.serial_port} ({self.baudrate} baud)"
        if self.type == "network":
            return f"mạng {self.host}:{self.tcp_port}"
        if self.type == "spooler":
            return f"hàng đợi in của hệ thống “{self.queue or 'mặc định'}”"
        return f"tệp trong thư mục {self.folder or 'xem trước'}"


class PrinterConfig(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    kind: Literal["thermal", "a4"]
    paper_mm: Literal[58, 80] = 80  # thermal only
    profile: str = "default"  # python-escpos printer profile (thermal)
    text_mode: bool = False  # thermal: print text with a Vietnamese code page instead of a raster image
    connection: Connection = Connection()
    purposes: list[Literal["ticket", "slip", "a4"]] = []
    counters: list[int] = []  # empty: every counter
    enabled: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> PrinterConfig:
        c = self.connection
        problems = {
            "usb": (c.usb_vendor is None or c.usb_product is None, "Cần mã nhà sản xuất và mã sản phẩm USB."),
            "serial": (not c.serial_port, "Cần tên cổng nối tiếp (ví dụ COM3 hoặc /dev/ttyUSB0)."),
            "network": (not c.host, "Cần địa chỉ IP hoặc tên máy in mạng."),
        }
        missing, message = problems.get(c.type, (False, ""))
        if missing:
            raise InvalidInput(f"printer {self.name}: incomplete {c.type} connection", message)
        if self.kind == "a4" and c.type in ("usb", "serial", "network"):
            raise InvalidInput(f"printer {self.name}: A4 printers go through the spooler or a file",
                               "Máy in A4 phải dùng hàng đợi in của hệ thống hoặc xuất ra tệp.")
        if self.kind == "a4" and set(self.purposes) - {"a4"}:
            raise InvalidInput(f"printer {self.name}: an A4 printer cannot print tickets or slips",
                               "Máy in A4 chỉ in biểu mẫu A4.")
        if self.kind == "thermal" and "a4" in self.purposes:
            raise InvalidInput(f"printer {self.name}: a thermal printer cannot print A4 forms",
                               "Máy in nhiệt không in được biểu mẫu A4.")
        return self


class PrinterView(PrinterConfig):
    pending_jobs: int = 0
    problem_vi: str = ""  # the last error of its oldest waiting job, if any

    @property
    def state_vi(self) -> str:
        if not self.enabled:
            return "Tạm ngừng"
        return self.problem_vi or ("Sẵn sàng" if not self.pending_jobs else f"Đang in ({self.pending_jobs} lệnh)")


class PrintRequest(BaseModel):
    """What to print. `code` for dossier slips; `event_seq` picks the event a slip is about."""

    kind: str
    code: str = ""
    event_seq: int | None = None
    ticket: dict | None = None  # a frozen TicketView: the ticket prints what was true when it was taken
    date_from: date | None = None
    date_to: date | None = None
    counter_no: int | None = None
    printer: str = ""  # empty: the printer set up for this purpose and counter

    @model_validator(mode="after")
    def _known(self) -> PrintRequest:
        if self.kind not in JOB_KINDS:
            raise InvalidInput(f"unknown print kind {self.kind!r}", f"Không có loại phiếu “{self.kind}”.")
        return self


class PrintJobView(BaseModel):
    id: int
    kind: str
    request: PrintRequest
    printer: str
    state: str
    attempts: int
    copies: int
    actor: str
    created_at: datetime
    updated_at: datetime
    next_try_at: datetime | None = None
    last_error_vi: str = ""

    @property
    def title_vi(self) -> str:
        name = JOB_KINDS[self.kind][0]
        subject = self.request.code or (self.request.ticket or {}).get("label", "")
        return f"{name} {subject}".strip()

    @property
    def state_vi(self) -> str:
        return JOB_STATES.get(self.state, self.state)


class RegisterEntry(BaseModel):
    """One row of the dossier register (sổ theo dõi hồ sơ)."""

    book: str
    row: int
    code: str
    procedure_name: str
    applicant_name: str
    address: str
    phone: str
    handling_agency: str
    received_at: datetime
    due_at: datetime | None
    returned_at: datetime | None
    result_delivery: str
    status_label: str
