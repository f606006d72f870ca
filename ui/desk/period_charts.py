"""The charts a supervisor would rather look at than read: received per day, wait by hour, on time per field."""

from __future__ import annotations

import math
from datetime import timedelta

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter

from counter_app.views.reports import PeriodReport

BLUE, ORANGE, GREEN = QColor("#1d4ed8"), QColor("#c2410c"), QColor("#15803d")


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(chart.margins() * 0)
    return chart


def _view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(200)
    return view


def _value_axis(top: float, title: str) -> QValueAxis:
    """Whole numbers from 0, five steps or fewer: a count of 2 is not labelled 0, 0, 1, 1, 2."""
    step = max(1, math.ceil(top / 5))
    axis = QValueAxis()
    axis.setRange(0, step * max(1, math.ceil(top / step)))
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")
    axis.setTitleText(title)
    return axis


def _received_buckets(report: PeriodReport) -> tuple[str, list[tuple[str, int]]]:
    """Per day up to a month, per week up to two, per month beyond: the bars stay readable."""
    days = report.received_per_day
    span = (report.date_to - report.date_from).days + 1
    if span <= 31:  # every day of it so far, a quiet one too
        counts = dict(days)
        last = min(report.date_to, report.at.date())
        every = [report.date_from + timedelta(days=i) for i in range(max(0, (last - report.date_from).days + 1))]
        return "ngày", [(f"{d:%d}", counts.get(d, 0)) for d in every]  # the month is in the report's title
    buckets: dict[str, int] = {}
    for d, n in days:
        key = f"Tuần {d - timedelta(days=d.weekday()):%d/%m}" if span <= 62 else f"{d:%m/%Y}"
        buckets[key] = buckets.get(key, 0) + n
    return ("tuần" if span <= 62 else "tháng"), list(buckets.items())


def received_per_day(report: PeriodReport) -> QChartView:
    unit, buckets = _received_buckets(report)
    chart = _chart(f"Hồ sơ tiếp nhận theo {unit}")
    bars = QBarSet("Tiếp nhận")
    bars.setColor(BLUE)
    bars.append([n for _label, n in buckets])
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append([label for label, _n in buckets])
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    axis_y = _value_axis(max((n for _label, n in buckets), default=0), "hồ sơ")
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    chart.legend().hide()
    return _view(chart)


def wait_by_hour(report: PeriodReport) -> QChartView:
    hours = report.queue_per_hour
    chart = _chart("Thời gian chờ theo giờ đến (phút)" + ("" if hours else ": không có vé nào trong kỳ"))
    median, p90 = QBarSet("Trung vị"), QBarSet("90% người chờ không quá")
    median.setColor(BLUE)
    p90.setColor(ORANGE)
    median.append([h.wait_median or 0 for h in hours])
    p90.append([h.wait_p90 or 0 for h in hours])
    series = QBarSeries()
    series.append([median, p90])
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append([f"{h.key}h" for h in hours])
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    axis_y = _value_axis(max((h.wait_p90 or 0 for h in hours), default=0), "phút")
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)
    return _view(chart)


def on_time_per_field(report: PeriodReport) -> QChartView:
    chart = _chart("Tỷ lệ giải quyết đúng hạn theo lĩnh vực (%)")
    rows = [r for r in report.per_field if r.on_time_rate is not None]
    bars = QBarSet("Đúng hạn")
    bars.setColor(GREEN)
    bars.append([round(r.on_time_rate * 100, 1) for r in rows if r.on_time_rate is not None])
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    chart.addSeries(series)
    axis_y = QBarCategoryAxis()
    axis_y.append([r.label if len(r.label) <= 34 else r.label[:33] + "…" for r in rows])
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    axis_x = QValueAxis()
    axis_x.setRange(0, 100)
    axis_x.setLabelFormat("%.0f")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_y)
    series.attachAxis(axis_x)
    chart.legend().hide()
    return _view(chart)
