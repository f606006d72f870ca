"""The city's live view for its operators (`/dieu-hanh`): every point on one page, one point's page with its
30 days, the same figures as CSV and Excel. Rendered on the server (Jinja2); a small same-origin script
refreshes the figures every few seconds without reloading (with scripts off the page reloads itself).

Signed in with an operator account (`sync.server.operators`): a city operator sees every point, a point's
leader only their own; anyone else is sent to the sign-in form, and a leader asking for another point's
page or export is refused.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations (see app.py).
import csv
import io
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from counter_app.rules.clock import TZ
from counter_app.rules.lifecycle import Status
from sync.server import charts, lookup, operators, points
from sync.server.pages import TEMPLATES
from sync.server.points import FILTERS, SORTS, PointFigures

log = logging.getLogger(__name__)

BASE = "/dieu-hanh"
COOKIE = "city_session"
REFRESH_S = 5
STATIC = Path(__file__).with_name("static")
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff",
           "X-Frame-Options": "DENY",
           "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; "
                                      "style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
                                      "frame-ancestors 'none'; base-uri 'none'"}
REFUSED_VI = "Sai tên đăng nhập hoặc mật khẩu."
TOO_MANY_VI = "Đăng nhập sai quá nhiều lần trong một phút. Xin thử lại sau ít phút."
# The export's columns: (heading, how to read it off a point's figures).
EXPORT: list[tuple[str, Callable[[PointFigures], object]]] = [
    ("Mã đơn vị", lambda p: p.agency_code),
    ("Điểm phục vụ", lambda p: p.name),
    ("Tiếp nhận hôm nay: trực tiếp", lambda p: p.today.get("received_counter", 0)),
    ("Tiếp nhận hôm nay: trực tuyến", lambda p: p.today.get("received_online", 0)),
    ("Tiếp nhận hôm nay: bưu chính", lambda p: p.today.get("received_post", 0)),
    ("Tiếp nhận trong tháng: trực tiếp", lambda p: p.month.get("received_counter", 0)),
    ("Tiếp nhận trong tháng: trực tuyến", lambda p: p.month.get("received_online", 0)),
    ("Tiếp nhận trong tháng: bưu chính", lambda p: p.month.get("received_post", 0)),
    ("Có kết quả đúng hạn (tháng)", lambda p: p.month.get("settled_on_time", 0)),
    ("Có kết quả trễ hạn (tháng)", lambda p: p.month.get("settled_late", 0)),
    ("Tỷ lệ đúng hạn (%)", lambda p: round(100 * p.on_time_rate, 1) if p.on_time_rate is not None else ""),
    ("Đang giải quyết", lambda p: p.open),
    ("Quá hạn", lambda p: p.overdue),
    ("Không tiếp nhận (tháng)", lambda p: p.month.get("refused", 0)),
    ("Rút hồ sơ (tháng)", lambda p: p.month.get("withdrawn", 0)),
    ("Đang chờ tại quầy", lambda p: p.link.waiting if p.link else ""),
    ("Chờ lâu nhất (phút)", lambda p: p.link.longest_wait_s // 60 if p.link else ""),
    ("Quầy đang mở", lambda p: p.link.counters_open if p.link else ""),
    ("Liên lạc lần cuối", lambda p: f"{p.link.heard_at.astimezone(TZ):%d/%m/%Y %H:%M}" if p.link else ""),
    ("Thao tác chờ gửi", lambda p: p.link.ops_waiting if p.link else ""),
    ("Thao tác bị từ chối", lambda p: p.link.ops_refused if p.link else ""),
    ("Lệch giờ (giây)", lambda p: p.skew_s if p.skew_s is not None else ""),
    ("Mất liên lạc quá 1 ngày làm việc", lambda p: "Có" if p.silent else ""),
]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _ago(at: datetime, then: datetime | None) -> str:
    if then is None:
        return "chưa từng"
    minutes = max(0, int((at - then).total_seconds() // 60))
    if minutes < 1:
        return "vừa xong"
    if minutes < 60:
        return f"{minutes} phút trước"
    if minutes < 48 * 60:
        return f"{minutes // 60} giờ trước"
    return f"{minutes // (24 * 60)} ngày trước"


def _wait(seconds: int) -> str:
    return f"{seconds // 60} phút" if seconds >= 60 else f"{seconds} giây"


def _skew(seconds: int | None) -> str:
    """How far the hub's clock is off, in words: "nhanh 3 phút", "chậm 2 ngày" (within a minute: "đúng giờ")."""
    if seconds is None:
        return "—"
    size = abs(seconds)
    if size < 60:
        return "đúng giờ" if size < 5 else f"{'nhanh' if seconds > 0 else 'chậm'} {size} giây"
    amount = (f"{size // 86400} ngày" if size >= 2 * 86400 else f"{size // 3600} giờ" if size >= 2 * 3600
              else f"{size // 60} phút")
    return f"{'nhanh' if seconds > 0 else 'chậm'} {amount}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%".replace(".", ",")


def _page(name: str, status: int = 200, **context: object) -> HTMLResponse:
    html = TEMPLATES.get_template(name).render(base=BASE, ago=_ago, wait=_wait, rate=_rate, skew=_skew,
                                               refresh_s=REFRESH_S, **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _choice(value: str, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else allowed[0]


def add_live_view(app: FastAPI, engine: Engine, clock: Callable[[], datetime]) -> None:
    def viewer(request: Request) -> operators.Viewer | None:
        with Session(engine) as s:
            return operators.viewer(s, request.cookies.get(COOKIE, ""), clock())

    def to_sign_in(request: Request) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{BASE}/dang-nhap?{urlencode({'tiep': target})}", status_code=303)

    def board(who: operators.Viewer, sort: str, show: str) -> dict:
        at = clock()
        with Session(engine) as s:
            found = points.all_points(s, at, only=who.only)
        shown = points.arrange(found, sort=sort, show=show)
        totals = {"received": sum(p.received("today") for p in found), "overdue": sum(p.overdue for p in found),
                  "silent": sum(p.silent for p in found), "points": len(found),
                  "waiting": sum(p.link.waiting for p in found if p.link)}
        query = urlencode({"sap": sort, "loc": show})
        return {"points": shown, "totals": totals, "at": at, "local": at.astimezone(TZ), "sort": sort, "show": show,
                "query": query, "who": who}

    @app.get(BASE, response_class=HTMLResponse, include_in_schema=False)
    def all_points(request: Request, sap: str = "code", loc: str = "all") -> Response:
        who = viewer(request)
        if who is None:
            return to_sign_in(request)
        return _page("live_points.html", **board(who, _choice(sap, SORTS), _choice(loc, FILTERS)))

    @app.get(BASE + "/bang", response_class=HTMLResponse, include_in_schema=False)
    def all_points_part(request: Request, sap: str = "code", loc: str = "all") -> Response:
        """The figures alone, for the page's refresh (401 once the session has ended: the page reloads)."""
        who = viewer(request)
        if who is None:
            return Response(status_code=401, headers=HEADERS)
        return _page("live_points_part.html", **board(who, _choice(sap, SORTS), _choice(loc, FILTERS)))

    def point_context(who: operators.Viewer, agency: str) -> dict | None:
        at = clock()
        with Session(engine) as s:
            found = points.all_points(s, at, only=agency)
            if not found:
                return None
            trend = points.trend(s, agency, at)
            late = points.overdue(s, agency, at)
        series = trend.series
        received = charts.stacked_bars(trend.days, [
            ("Trực tiếp", "#1d4ed8", series["received_counter"]), ("Trực tuyến", "#0d9488", series["received_online"]),
            ("Bưu chính", "#a16207", series["received_post"])], label="Hồ sơ tiếp nhận mỗi ngày trong 30 ngày")
        settled = charts.stacked_bars(trend.days, [
            ("Đúng hạn", "#15803d", series["settled_on_time"]), ("Trễ hạn", "#b91c1c", series["settled_late"])],
            label="Hồ sơ có kết quả mỗi ngày trong 30 ngày")
        return {"p": found[0], "received_chart": received, "settled_chart": settled, "late": late, "at": at,
                "local": at.astimezone(TZ), "who": who, "status_label": lambda v: Status(v).label_vi,
                "tz": TZ}

    @app.get(BASE + "/diem/{agency}", response_class=HTMLResponse, include_in_schema=False)
    def one_point(agency: str, request: Request) -> Response:
        who = viewer(request)
        if who is None:
            return to_sign_in(request)
        if not who.may_see(agency):
            log.warning("operator %s refused another point's page", who.login)
            return _page("live_refused.html", 403, who=who)
        context = point_context(who, agency)
        if context is None:
            return _page("live_refused.html", 404, who=who, missing=True)
        return _page("live_point.html", **context)

    @app.get(BASE + "/diem/{agency}/phan", response_class=HTMLResponse, include_in_schema=False)
    def one_point_part(agency: str, request: Request) -> Response:
        who = viewer(request)
        if who is None or not who.may_see(agency):
            return Response(status_code=401 if who is None else 403, headers=HEADERS)
        context = point_context(who, agency)
        if context is None:
            return Response(status_code=404, headers=HEADERS)
        return _page("live_point_part.html", **context)

    def rows(who: operators.Viewer) -> list[list[object]]:
        at = clock()
        with Session(engine) as s:
            found = points.arrange(points.all_points(s, at, only=who.only), sort="code", show="all")
        return [[heading for heading, _ in EXPORT], *[[read(p) for _, read in EXPORT] for p in found]]

    def download(body: bytes, media: str, suffix: str) -> Response:
        name = f"diem-phuc-vu-{clock().astimezone(TZ):%Y%m%d-%H%M}.{suffix}"
        return Response(body, media_type=media,
                        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

    @app.get(BASE + "/xuat.csv", include_in_schema=False)
    def export_csv(request: Request) -> Response:
        who = viewer(request)
        if who is None:
            return to_sign_in(request)
        out = io.StringIO()
        csv.writer(out).writerows(rows(who))
        return download(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", "csv")  # BOM: Excel

    @app.get(BASE + "/xuat.xlsx", include_in_schema=False)
    def export_xlsx(request: Request) -> Response:
        from openpyxl import Workbook

        who = viewer(request)
        if who is None:
            return to_sign_in(request)
        book = Workbook()
        sheet = book.active
        sheet.title = "Điểm phục vụ"
        for row in rows(who):
            sheet.append(row)
        sheet.freeze_panes = "C2"
        out = io.BytesIO()
        book.save(out)
        return download(out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")

    @app.get(BASE + "/live.js", include_in_schema=False)
    def script() -> Response:
        return Response((STATIC / "live.js").read_bytes(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"})

    @app.get(BASE + "/dang-nhap", response_class=HTMLResponse, include_in_schema=False)
    def sign_in_form(tiep: str = "") -> HTMLResponse:
        return _page("live_sign_in.html", next=_safe_next(tiep))

    def sign_in(request: Request, login: str, password: str, target: str) -> Response:
        at = clock()
        with Session(engine) as s, s.begin():
            if not lookup.admitted(s, "sign-in " + _client(request), at):
                log.warning("operator sign-in throttled for a client address")
                return _page("live_sign_in.html", 429, message=TOO_MANY_VI, next=target)
            token = operators.sign_in(s, login, password, at)
        if token is None:
            return _page("live_sign_in.html", 401, message=REFUSED_VI, next=target, login=login[:64])
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, token, max_age=int(operators.SESSION_HOURS.total_seconds()), path=BASE,
                            httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return response

    @app.post(BASE + "/dang-nhap", include_in_schema=False)
    async def sign_in_post(request: Request) -> Response:
        form = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=8)
        login, password = (form.get("ten") or [""])[0], (form.get("mat_khau") or [""])[0]
        target = _safe_next((form.get("tiep") or [""])[0])
        if not login.strip() or not password:
            return _page("live_sign_in.html", 400, message="Cần nhập tên đăng nhập và mật khẩu.", next=target)
        return await run_in_threadpool(sign_in, request, login, password[:200], target)  # argon2 off the loop

    @app.post(BASE + "/dang-xuat", include_in_schema=False)
    def sign_out(request: Request) -> Response:
        token = request.cookies.get(COOKIE, "")
        if token:
            with Session(engine) as s, s.begin():
                operators.sign_out(s, token)
        response = RedirectResponse(f"{BASE}/dang-nhap", status_code=303)
        response.delete_cookie(COOKIE, path=BASE)
        return response


def _safe_next(target: str) -> str:
    """Only a page of the live view itself (never another site: no open redirect)."""
    if target.startswith(BASE) and not target.startswith("//") and "\\" not in target and "\n" not in target:
        return target
    return BASE
