"""The content of the thermal slips: queue ticket, receipt summary, result-ready notice, test page."""

from __future__ import annotations

from datetime import datetime

from counter_app.rules.citizen_id import mask_id
from counter_app.rules.display import fmt_date, fmt_datetime, fmt_money
from counter_app.rules.money_words import in_words
from counter_app.views.dossiers import PAY_METHODS, DossierDetail, OfficeInfo
from counter_app.views.queue import TicketView
from printers.thermal_layout import QR, Block, Row, Rule, Space, Text

VIETNAMESE_SAMPLE = (
    "Tiếng Việt: Ă Â Đ Ê Ô Ơ Ư – ă â đ ê ô ơ ư; à ả ã á ạ ằ ẳ ẵ ắ ặ ầ ẩ ẫ ấ ậ; "
    "è ẻ ẽ é ẹ ề ể ễ ế ệ; ì ỉ ĩ í ị; ò ỏ õ ó ọ ồ ổ ỗ ố ộ ờ ở ỡ ớ ợ; ù ủ ũ ú ụ ừ ử ữ ứ ự; ỳ ỷ ỹ ý ỵ"
)


def _header(office: OfficeInfo) -> list[Block]:
    return [Text(office.name.upper(), size=24, bold=True, fit=True)]


def ticket_blocks(ticket: TicketView, office: OfficeInfo, link: str) -> list[Block]:
    """The queue ticket (DOMAIN.md, Queue): office, big number, lane, priority, time, people ahead, wait, QR."""
    blocks: list[Block] = [
        *_header(office),
        Text("PHIẾU SỐ THỨ TỰ", size=26),
        Text(ticket.label, size=150, bold=True, fit=True),
        Text(ticket.lane_name, size=30, bold=True),
    ]
    if ticket.priority:
        blocks.append(Text(f"ƯU TIÊN: {ticket.priority_label}", size=28, bold=True, invert=True))
    blocks += [Space(6), Rule(dashed=True)]
    if ticket.people_ahead is not None:
        blocks.append(Row("Số người chờ trước quý vị:", str(ticket.people_ahead)))
    if ticket.estimate is not None:
        blocks.append(Row("Thời gian chờ dự kiến:", ticket.estimate.label_vi))
    blocks += [
        Row("Lấy số lúc:", fmt_datetime(ticket.issued_at)),
        Rule(dashed=True),
        QR(link, share=0.42, caption="Quét mã để xem lượt gọi"),
        Text("Vui lòng chú ý màn hình và loa gọi số.", size=22),
    ]
    return blocks


def receipt_summary_blocks(dossier: DossierDetail, office: OfficeInfo, link: str) -> list[Block]:
    """A short receipt the citizen keeps in a pocket (the A4 receipt stays the official one)."""
    due = dossier.original_due_at or dossier.due_at
    blocks: list[Block] = [
        *_header(office),
        Text("PHIẾU HẸN TRẢ KẾT QUẢ", size=30, bold=True),
        Text(dossier.code, size=30, bold=True, fit=True),
        Rule(),
        Text(f"Người nộp: {dossier.applicant_name}", align="left", size=24),
    ]
    if dossier.id_number:
        blocks.append(Text(f"Số định danh: {mask_id(dossier.id_number)}", align="left", size=24))
    blocks += [
        Text(f"Thủ tục: {dossier.procedure_name}", align="left", size=24),
        Row("Nhận lúc:", fmt_datetime(dossier.received_at)),
        Row("Hẹn trả:", fmt_datetime(due) if due else "chưa xác định"),
        Rule(),
        QR(link, share=0.42, caption="Quét mã để tra cứu tình trạng hồ sơ"),
        Text("Vui lòng mang theo phiếu này khi đến nhận kết quả.", size=22),
    ]
    return blocks


def fee_receipt_blocks(dossier: DossierDetail, office: OfficeInfo, receipt_no: str, method: str,
                       collector: str) -> list[Block]:
    """Biên lai thu phí, lệ phí on a thermal printer: series and number, payer, each fee, total in words."""
    fees = [f for f in dossier.fees if f.receipt_no == receipt_no] or [f for f in dossier.fees if f.paid]
    total = sum(f.amount for f in fees)
    series, _, serial = receipt_no.partition("-")
    blocks: list[Block] = [
        *_header(office),
        Text("BIÊN LAI THU PHÍ, LỆ PHÍ", size=28, bold=True),
        Row("Ký hiệu:", series), Row("Số:", serial),
        Rule(),
        Text(f"Người nộp: {dossier.signer}", align="left", size=24),
        Text(f"Hồ sơ: {dossier.code}", align="left", size=22),
    ]
    for fee in fees:
        blocks += [Text(fee.name, align="left", size=22), Row(fee.basis or "", fmt_money(fee.amount), size=22)]
    blocks += [
        Rule(),
        Row("Tổng cộng:", fmt_money(total)),
        Text(f"Bằng chữ: {in_words(total)}", align="left", size=22),
        Row("Hình thức:", PAY_METHODS.get(method, method)),
        Row("Người thu:", collector),
    ]
    return blocks


def result_notice_blocks(dossier: DossierDetail, office: OfficeInfo, place: str) -> list[Block]:
    """Result-ready notice: the result is waiting at the counter."""
    blocks: list[Block] = [
        *_header(office),
        Text("THÔNG BÁO CÓ KẾT QUẢ", size=30, bold=True),
        Text(dossier.code, size=30, bold=True, fit=True),
        Rule(),
        Text(f"Kính gửi: {dossier.applicant_name}", align="left", size=24),
        Text(f"Thủ tục: {dossier.procedure_name}", align="left", size=24),
        Text(f"Kết quả đã có. Mời ông/bà đến nhận tại {place}.", align="left", size=24),
    ]
    if dossier.id_number:
        blocks.append(Text(f"Mang theo giấy tờ tùy thân số {mask_id(dossier.id_number)}.", align="left", size=22))
    return blocks


def test_page_blocks(printer_name: str, paper_mm: int, profile: str, office: OfficeInfo, at: datetime) -> list[Block]:
    return [
        *_header(office),
        Text("TRANG IN THỬ", size=34, bold=True),
        Row("Máy in:", printer_name),
        Row("Khổ giấy:", f"{paper_mm} mm"),
        Row("Cấu hình:", profile),
        Row("Ngày:", fmt_date(at.date())),
        Rule(),
        Text(VIETNAMESE_SAMPLE, align="left", size=24),
        Space(8),
        Text("A001", size=120, bold=True, fit=True),
        QR("https://dichvucong.hanoi.gov.vn", share=0.35),
    ]
