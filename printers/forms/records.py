"""The office's own records: the process control sheet of a dossier and the dossier register (forms 5 and 6)."""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from counter_app.rules.display import fmt_date, fmt_datetime
from counter_app.views.dossiers import DossierDetail, EventView, OfficeInfo
from counter_app.views.printing import RegisterEntry
from printers.forms.style import (
    CENTER_ITALIC,
    TITLE,
    build,
    esc,
    field,
    frame_width,
    grid,
    header,
    p,
    signatures,
    title_with_code,
)

ONE_STOP = "Bộ phận Một cửa"


def timeliness(at: datetime, due: datetime | None) -> str:
    """Trước hạn (a day or more early), đúng hạn, quá hạn: the words of the control sheet."""
    if due is None:
        return ""
    if at > due:
        return "Quá hạn"
    return "Trước hạn" if at.date() < due.date() else "Đúng hạn"


def _steps(d: DossierDetail, office: OfficeInfo) -> list[tuple[str, EventView, str]]:
    """One (who handed over → who received, event, result) per hand-over of the dossier."""
    agency = d.handling_agency or office.name
    steps = []
    for e in d.events:
        kind = e.kind.removeprefix("dossier.")
        if kind == "receive":
            steps.append((f"Giao: {d.applicant_name} — Nhận: {ONE_STOP}", e, ""))
        elif kind == "hand_over":
            steps.append((f"Giao: {ONE_STOP} — Nhận: {e.details.get('agency', agency)}", e, ""))
        elif kind == "start_processing":
            steps.append((f"Nhận xử lý: {agency}", e, ""))
        elif kind == "result_ready":
            steps.append((f"Giao: {agency} — Nhận: {ONE_STOP}", e, timeliness(e.at, d.due_at)))
        elif kind == "return_result":
            steps.append((f"Giao: {ONE_STOP} — Nhận: {e.details.get('to') or d.applicant_name}", e,
                          timeliness(e.at, d.due_at)))
    return steps


def control_sheet(office: OfficeInfo, d: DossierDetail, *, link: str) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ, filled from the dossier's own event history."""
    w = frame_width()
    rows: list[list] = [["TÊN CƠ QUAN, BỘ PHẬN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", "NGƯỜI THỰC HIỆN",
                         "KẾT QUẢ GIẢI QUYẾT (trước/đúng/quá hạn)", "GHI CHÚ"]]
    for who, e, result in _steps(d, office):
        rows.append([who, fmt_datetime(e.at), e.signed_by, result,
                     str(e.details.get("note") or "")])
    story: list[Flowable] = [
        *header(office, w),
        title_with_code("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", d.code, link, w,
                        subtitle="(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)"),
        field("Người nộp hồ sơ", d.applicant_name), field("Nội dung yêu cầu giải quyết", d.procedure_name),
        field("Thời gian nhận hồ sơ", fmt_datetime(d.received_at)),
        field("Thời gian hẹn trả kết quả", fmt_datetime(d.due_at)),
        field("Cơ quan chủ trì giải quyết", d.handling_agency or office.name),
        Spacer(1, 2 * mm),
        grid(rows, [w * 0.28, w * 0.18, w * 0.16, w * 0.18, w * 0.20]),
    ]
    return build([story], title=f"Phiếu kiểm soát {d.code}")


def _day(value: datetime | None) -> str:
    return fmt_date(value.date()) if value else ""


def register(office: OfficeInfo, entries: list[RegisterEntry], date_from: date, date_to: date, *,
             printed_on: date) -> bytes:
    """Sổ theo dõi hồ sơ for a day or a date range, landscape, one row per dossier in register order."""
    w = frame_width(landscape_page=True)
    span = (f"Ngày {fmt_date(date_from)}" if date_from == date_to
            else f"Từ ngày {fmt_date(date_from)} đến ngày {fmt_date(date_to)}")
    rows: list[list] = [["Số thứ tự", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên cá nhân, tổ chức",
                         "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày nhận hồ sơ",
                         "Ngày hẹn trả kết quả", "Ngày trả kết quả", "Phương thức nhận kết quả", "Ký nhận"]]
    for e in entries:
        rows.append([
            f"{e.row}/{e.book}", e.code, e.procedure_name, e.applicant_name,
            ", ".join(x for x in (e.address, e.phone) if x), e.handling_agency, fmt_date(e.received_at.date()),
            _day(e.due_at), _day(e.returned_at),
            "Bưu chính công ích" if e.result_delivery == "post" else "Trực tiếp", "",
        ])
    shares = [0.055, 0.175, 0.13, 0.10, 0.13, 0.085, 0.078, 0.078, 0.078, 0.056, 0.035]
    story: list[Flowable] = [
        *header(office, w, on=printed_on),
        p("SỔ THEO DÕI HỒ SƠ", TITLE),
        p(esc(span) + f" — {len(entries)} hồ sơ", CENTER_ITALIC),
        Spacer(1, 3 * mm),
        grid(rows, [w * s for s in shares], size=9, padding=3),
        signatures(w, [("", ""), ("NGƯỜI LẬP SỔ", "")]),
    ]
    return build([story], title=f"Sổ theo dõi hồ sơ {span}", landscape_page=True)


def test_page(office: OfficeInfo, printer_name: str, at: datetime, sample: str) -> bytes:
    """A one-page A4 test print: the header, the font's Vietnamese letters, a QR code."""
    w = frame_width()
    story: list[Flowable] = [
        *header(office, w, on=at.date()),
        title_with_code("TRANG IN THỬ", "000.00.00.H00-000000-0000", "https://dichvucong.hanoi.gov.vn", w),
        field("Máy in", printer_name), field("Thời gian in", fmt_datetime(at)), p(esc(sample)),
        signatures(w, [("NGƯỜI KIỂM TRA", ""), ("CÁN BỘ KỸ THUẬT", "")]),
    ]
    return build([story], title=f"Trang in thử {printer_name}")
