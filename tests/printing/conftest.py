"""Fixtures for printing tests: an office with tickets and dossiers in every state a slip is about."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from counter_app.rules.clock import TZ
from counter_app.views.dossiers import DocumentIn
from counter_app.views.queue import TicketView, WaitEstimate
from tests.conftest import make_form

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "printing"


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture
def ticket() -> TicketView:
    at = datetime(2026, 11, 23, 9, 5, tzinfo=TZ)
    return TicketView(
        id=7, day=date(2026, 11, 23), label="B012", lane_prefix="B", lane_name="Chứng thực",
        priority="elderly", priority_label="Người cao tuổi", state="waiting", state_label="Đang chờ",
        issued_at=at, arrival_at=at, people_ahead=7, estimate=WaitEstimate(low_min=10, high_min=18),
    )


@pytest.fixture
def dossiers(office, clock):
    """Codes of a received, a supplement-requested, a refused and a returned (late, rescheduled) dossier."""
    received = office.receive(make_form("ht.khai-sinh"), actor="canbo1")
    supplement = office.receive(make_form("1.004222", name="Trần Thị Hương"), actor="canbo2")
    office.request_supplement(
        supplement.code, missing=[DocumentIn(name="Giấy tờ chứng minh chỗ ở hợp pháp", originals=1, copies=2)],
        reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp", actor="canbo2")
    form = make_form("1.004222", name="Lê Văn Ấn")
    form.outcome, form.reason = "refuse", "Không thuộc thẩm quyền giải quyết của phường"
    refused = office.receive(form, actor="canbo1")
    late = office.receive(make_form("1.004222", name="Phạm Thị Ngọc Ánh", id_number="001190012346"), actor="canbo1")
    office.start_processing(late.code, actor="canbo1")
    clock.set(2026, 12, 10, 9, 0)
    office.reschedule(late.code, reason="Cần xác minh thêm thông tin cư trú",
                      new_due=datetime(2026, 12, 15, 17, 0, tzinfo=TZ), actor="canbo1")
    office.result_ready(late.code, actor="canbo1")
    clock.set(2026, 12, 11, 10, 15)
    office.return_result(late.code, to_whom="Phạm Thị Ngọc Ánh", id_checked=True, id_number="001190012346",
                         actor="canbo3")
    return {"received": received.code, "supplement": supplement.code, "refused": refused.code, "returned": late.code}
