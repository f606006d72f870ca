"""A period's report as tables with Vietnamese headings: what the Excel sheets, the CSV and the PDF show,
with the same columns in each."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.views.reports import DossierFigures, PeriodReport, QueueFigures, RatingFigures

Cell = str | int | float | None

DOSSIER_HEADINGS = [
    "Tiếp nhận tại quầy", "Tiếp nhận trực tuyến", "Tiếp nhận qua bưu chính", "Kỳ trước chuyển sang",
    "Tổng số phải giải quyết", "Đã giải quyết trước hạn", "Đã giải quyết đúng hạn", "Đã giải quyết quá hạn",
    "Đang giải quyết trong hạn", "Đang giải quyết quá hạn", "Từ chối", "Rút hồ sơ", "Dừng xử lý",
    "Yêu cầu bổ sung", "Tỷ lệ đúng hạn (%)",
]
QUEUE_HEADINGS = [
    "Số vé", "Đã phục vụ", "Vắng mặt", "Lượt chuyển", "Chờ – trung vị (phút)", "Chờ – 90% (phút)",
    "Đi tới quầy – trung vị (phút)", "Phục vụ – trung vị (phút)", "Được gọi trong 15 phút (%)",
]


@dataclass(frozen=True)
class ReportTable:
    sheet: str  # an Excel sheet's name: 31 characters at most
    title: str
    headings: list[str]
    rows: list[list[Cell]]


def _percent(share: float | None) -> float | None:
    return round(share * 100, 1) if share is not None else None


def dossier_cells(f: DossierFigures) -> list[Cell]:
    return [f.received_counter, f.received_online, f.received_post, f.carried_over, f.to_handle, f.settled_early,
            f.settled_on_time, f.settled_late, f.in_progress_on_time, f.in_progress_overdue, f.refused, f.withdrawn,
            f.stopped, f.supplement, _percent(f.on_time_rate)]


def queue_cells(q: QueueFigures) -> list[Cell]:
    return [q.tickets, q.served, q.no_shows, q.transfers, q.wait_median, q.wait_p90, q.walk_median,
            q.service_median, _percent(q.called_within_15)]


RATING_HEADINGS = ["Lượt phục vụ", "Đã đánh giá", "Rất hài lòng", "Hài lòng", "Chưa hài lòng", "Hài lòng (%)",
                   "Lý do chưa hài lòng"]


def rating_cells(r: RatingFigures) -> list[Cell]:
    reasons = "; ".join(f"{label}: {n}" for label, n in sorted(r.reasons.items(), key=lambda kv: -kv[1]))
    return [r.services, r.answered, r.very_satisfied, r.satisfied, r.not_satisfied, _percent(r.satisfied_rate),
            reasons]


def _ratings(sheet: str, title: str, first: str, rows: list[RatingFigures], total: RatingFigures) -> ReportTable:
    body: list[list[Cell]] = [[r.label, *rating_cells(r)] for r in rows]
    body.append([total.label, *rating_cells(total)])
    return ReportTable(sheet, title, [first, *RATING_HEADINGS], body)


def _dossiers(sheet: str, title: str, first: str, rows: list[DossierFigures], total: DossierFigures) -> ReportTable:
    body: list[list[Cell]] = [[i, r.label, *dossier_cells(r)] for i, r in enumerate(rows, 1)]
    body.append(["", total.label, *dossier_cells(total)])
    return ReportTable(sheet, title, ["STT", first, *DOSSIER_HEADINGS], body)


def _queue(sheet: str, title: str, first: str, rows: list[QueueFigures], total: QueueFigures) -> ReportTable:
    body: list[list[Cell]] = [[r.label, *queue_cells(r)] for r in rows]
    body.append([total.label, *queue_cells(total)])
    return ReportTable(sheet, title, [first, *QUEUE_HEADINGS], body)


def report_tables(report: PeriodReport) -> list[ReportTable]:
    return [
        _dossiers("Theo lĩnh vực", "Tình hình, kết quả giải quyết hồ sơ theo lĩnh vực", "Lĩnh vực",
                  report.per_field, report.total),
        _dossiers("Theo thủ tục", "Tình hình, kết quả giải quyết hồ sơ theo thủ tục", "Thủ tục hành chính",
                  report.per_procedure, report.total),
        _dossiers("Theo cán bộ", "Tình hình, kết quả giải quyết hồ sơ theo cán bộ tiếp nhận", "Cán bộ",
                  report.per_clerk, report.total),
        ReportTable("Tiếp nhận theo ngày", "Hồ sơ tiếp nhận theo ngày", ["Ngày", "Số hồ sơ tiếp nhận"],
                    [[f"{day:%d/%m/%Y}", n] for day, n in report.received_per_day]),
        _queue("Hàng chờ theo quầy", "Hàng chờ theo lĩnh vực (hàng)", "Hàng chờ", report.queue_per_lane,
               report.queue_total),
        _queue("Hàng chờ theo giờ", "Hàng chờ theo giờ đến", "Giờ đến", report.queue_per_hour, report.queue_total),
        _ratings("Đánh giá theo cán bộ", "Đánh giá của người dân theo cán bộ", "Cán bộ", report.ratings_per_clerk,
                 report.ratings_total),
        _ratings("Đánh giá theo quầy", "Đánh giá của người dân theo hàng chờ", "Hàng chờ", report.ratings_per_lane,
                 report.ratings_total),
    ]


def cell_text(cell: Cell) -> str:
    """A cell as the PDF and the screen show it: Vietnamese decimals, a dash for nothing to tell."""
    if cell is None:
        return "–"
    if isinstance(cell, float):
        return f"{cell:.1f}".replace(".", ",")
    return str(cell)


def period_text(report: PeriodReport) -> str:
    if report.date_from == report.date_to:
        return f"Ngày {report.date_from:%d/%m/%Y}"
    return f"Từ ngày {report.date_from:%d/%m/%Y} đến ngày {report.date_to:%d/%m/%Y}"
