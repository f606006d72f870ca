"""The city's public pages: the status lookup a citizen reaches from the receipt's QR or by typing the code
and the phone's last four digits. Rendered on the server (Jinja2), no script: a cheap phone with
JavaScript off sees all of it. No sign-in; throttled per client address.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations (see app.py).
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine, Row
from starlette.concurrency import run_in_threadpool

from counter_app.rules.clock import TZ
from counter_app.rules.display import fmt_datetime
from counter_app.views.dossiers import PublicStatus
from sync.server import lookup

log = logging.getLogger(__name__)

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                        autoescape=select_autoescape(["html"]))
NOT_FOUND = ("Không tìm thấy hồ sơ với thông tin đã nhập. Xin kiểm tra lại mã hồ sơ trên giấy tiếp nhận và "
             "4 số cuối điện thoại của người nộp.")
TOO_MANY = "Bạn đã tra cứu quá nhiều lần trong một phút. Xin thử lại sau ít phút."
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"}


def _when(value: datetime | None) -> str:
    return fmt_datetime(value.astimezone(TZ)) if value else ""


def _page(name: str, status: int = 200, **context: object) -> HTMLResponse:
    html = TEMPLATES.get_template(name).render(when=_when, **context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _collect(dossier: Row, found: PublicStatus) -> str:
    intake = dossier.intake
    if intake.get("result_delivery") == "post":
        return "Kết quả được gửi qua bưu chính công ích đến địa chỉ người nộp đã đăng ký."
    place = str(intake.get("handling_agency") or "bộ phận một cửa nơi đã nộp hồ sơ")
    when = f" từ {_when(found.due_at)}" if found.due_at and not found.result_ready else ""
    return f"Tại {place}{when}, mang theo giấy tiếp nhận và giấy tờ tùy thân."


def add_lookup_pages(app: FastAPI, engine: Engine, clock: Callable[[], datetime]) -> None:
    reading = engine.execution_options(isolation_level="AUTOCOMMIT")

    def answer(request: Request, code: str, *, check: str = "", phone_tail: str = "") -> HTMLResponse:
        client = request.client.host if request.client else "unknown"
        with reading.connect() as conn:  # each statement its own transaction: no BEGIN and COMMIT round trips
            if not lookup.admitted(conn, client, clock()):
                log.warning("public lookup throttled for a client address")
                return _page("form.html", 429, message=TOO_MANY, code="")
            found = lookup.find(conn, code, check=check, phone_tail=phone_tail)
        if found is None:
            log.info("public lookup: nothing found (%s)", "by QR" if check else "by code and phone")
            return _page("form.html", 404, message=NOT_FOUND, code=code[:64])
        status, dossier = found
        return _page("status.html", s=status, collect=_collect(dossier, status))

    @app.get("/tra-cuu", response_class=HTMLResponse, include_in_schema=False)
    def lookup_form(ma: str = "") -> HTMLResponse:
        return _page("form.html", code=ma[:64])

    @app.get("/tra-cuu/{code}", response_class=HTMLResponse, include_in_schema=False)
    def lookup_by_qr(code: str, request: Request, k: str = "") -> HTMLResponse:
        if not k:  # a code alone (typed, or a QR printed before the office had its key): ask for the phone
            return _page("form.html", code=code[:64])
        return answer(request, code, check=k[:16])

    @app.post("/tra-cuu", response_class=HTMLResponse, include_in_schema=False)
    async def lookup_by_phone(request: Request) -> HTMLResponse:
        form = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=8)
        code, tail = (form.get("ma") or [""])[0], (form.get("sdt") or [""])[0]
        if not code.strip() or not tail.strip():
            return _page("form.html", 400, message="Cần nhập mã hồ sơ và 4 số cuối điện thoại.", code=code[:64])
        return await run_in_threadpool(answer, request, code, phone_tail=tail[:8])  # the database off the loop
