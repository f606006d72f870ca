"""Dossiers in the national portal's record shape (DOMAIN.md: MaHoSo, TrangThaiHoSo, …).

Dates are `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh. The mapping from our fields is kept here, in one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.rules.clock import TZ
from sync.server.models import CityDossier

# How the result is collected (HinhThuc): 0 at the counter, 1 by public post.
DELIVERY = {"counter": 0, "post": 1}


def national_date(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.astimezone(TZ).strftime("%Y%m%d%H%M%S")


def national_record(d: CityDossier) -> dict[str, Any]:
    intake = d.intake
    return {
        "MaHoSo": d.code,
        "MaTTHC": intake.get("procedure_code", ""),
        "TenTTHC": intake.get("procedure_name", ""),
        "MaLinhVuc": intake.get("procedure_field", ""),
        "KenhThucHien": intake.get("channel", 1),
        "ChuHoSo": intake.get("applicant_name", ""),
        "SoGiayToChuHoSo": intake.get("id_number", ""),
        "LoaiDoiTuong": intake.get("applicant_type", 1),
        "SoDienThoai": intake.get("phone", ""),
        "TrichYeuHoSo": intake.get("summary", ""),
        "NgayTiepNhan": national_date(d.received_at),
        "NgayHenTra": national_date(d.due_at),
        "TrangThaiHoSo": d.status,
        "NgayTra": national_date(d.returned_at),
        "HinhThuc": DELIVERY.get(intake.get("result_delivery", "counter"), 0),
        "TaiLieuNop": [{"TenTepDinhKem": doc.get("name", ""), "SoBanChinh": doc.get("originals", 0),
                        "SoBanSao": doc.get("copies", 0) + doc.get("certified", 0)}
                       for doc in intake.get("documents", []) if doc.get("provided", True)],
        "DanhSachLePhi": [{"TenPhiLePhi": fee.get("name", ""), "MucPhi": fee.get("amount", 0)}
                          for fee in intake.get("fees", [])],
    }


def national_records(session: Session, *, agency_code: str = "") -> list[dict[str, Any]]:
    stmt = select(CityDossier).order_by(CityDossier.received_at)
    if agency_code:
        stmt = stmt.where(CityDossier.agency_code == agency_code)
    return [national_record(d) for d in session.scalars(stmt)]
