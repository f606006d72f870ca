"""Odd cases against the real city server on PostgreSQL: a poison op, a hub clock far off, the catalog
changing while ops wait."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col
from sqlmodel import select as hub_select

from counter_app.dossiers import catalog
from counter_app.errors import NotFound
from counter_app.rules.canonical import dumps, sha256
from counter_app.rules.clock import now
from counter_app.rules.clock_guard import ClockWrong
from counter_app.store.models import Dossier, Outbox
from sync.client import SyncClient
from sync.server import crud
from sync.server.models import CityDossier, ReceivedOp
from tests.conftest import AGENCY, make_form


def _client(city, office, clock) -> SyncClient:
    return SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock)


def _spoil_last_op(office, code: str, spoil) -> str:
    """Make the dossier's newest op one the city cannot apply, hashed as the hub would (a hub bug)."""
    with office.store.write() as s:
        op = s.exec(hub_select(Outbox).join(Dossier, col(Dossier.id) == col(Outbox.dossier_id))
                    .where(Dossier.code == code).order_by(col(Outbox.id).desc())).first()
        payload = json.loads(op.payload)
        spoil(payload)
        op.payload = dumps(payload)
        op.sha256 = sha256(op.payload)
        return op.op_id


def test_a_poison_op_is_refused_with_its_reason_and_stops_nothing_else(pg_city, office, clock, caplog):
    x, y, z, w = (office.receive(make_form(name=f"Lê Văn {n}"), actor="canbo1").code for n in "ABCD")
    for code in (x, y, z, w):
        office.start_processing(code, actor="canbo1")
    bad_date = _spoil_last_op(office, x, lambda p: p.update(due_at="31/12/2026"))
    bad_number = _spoil_last_op(office, y, lambda p: p.update(event_seq="mười hai"))  # breaks int() at the city
    too_big = _spoil_last_op(office, z, lambda p: p.update(event_seq=10**20))  # PostgreSQL's bigint refuses it
    office.result_ready(x, actor="canbo1")  # waits behind x's poison op
    report = _client(pg_city, office, clock).round()  # no exception: the round finishes
    assert (report.acked, report.rejected) == (5, 3)
    status = office.sync_status()
    refused = {r.op_id: r for r in status.rejected}
    assert set(refused) == {bad_date, bad_number, too_big} and status.pending == 1
    assert refused[bad_date].reason_vi == "Dữ liệu gửi lên có thời điểm không hợp lệ."
    assert refused[bad_number].reason_vi == "Máy chủ thành phố không xử lý được thao tác này; đã báo kỹ thuật viên."
    assert refused[too_big].reason_vi == refused[bad_number].reason_vi and "DataError" in refused[too_big].reason
    assert "ValueError" in refused[bad_number].reason and "could not be applied" in caplog.text
    with Session(pg_city.engine) as s:
        statuses = [s.get(CityDossier, code).status for code in (x, y, z, w)]
        rows = s.scalar(select(func.count()).select_from(ReceivedOp))
    assert statuses == [2, 2, 2, 4]
    office.resend_op(bad_number, actor="truongbp")  # re-sent before the city was fixed: refused again, once
    _client(pg_city, office, clock).round()
    assert {r.op_id for r in office.sync_status().rejected} == {bad_date, bad_number, too_big}
    with Session(pg_city.engine) as s:
        assert s.scalar(select(func.count()).select_from(ReceivedOp)) == rows


def test_a_hub_clock_days_off_or_in_1970_still_syncs(pg_city, office, clock):
    a = office.receive(make_form(), actor="canbo1").code
    client = _client(pg_city, office, clock)
    clock.at += timedelta(days=3)  # ahead: the dossiers are dated wrong but nothing else breaks
    office.start_processing(a, actor="canbo1")
    expected = (clock() - now()).total_seconds()
    assert client.round().acked == 2
    assert abs(office.sync_status().clock_skew_s - expected) <= 5
    b = office.receive(make_form(name="Lê Thị Mai"), actor="canbo1").code
    with Session(pg_city.engine) as s, s.begin():  # the city acts while the hub's clock is in 1970
        crud.city_action(s, a, "result_ready", at=now(), actor="Sở")
    clock.set(1970, 1, 1, 8, 0)
    report = client.round()
    assert (report.acked, report.pulled) == (1, 1) and office.dossier(a).status == 9
    status = office.sync_status()
    assert status.clock_skew_s < -50 * 365 * 86400 and status.last_success_at == clock.at
    with pytest.raises(ClockWrong):  # no dossier is dated 1970, even after a city event was recorded then
        office.receive(make_form(), actor="canbo1")
    clock.set(2026, 11, 18, 10, 0)  # set back to five days behind the day it started
    office.start_processing(b, actor="canbo1")
    assert client.round().acked == 1 and office.sync_status().pending == 0
    with Session(pg_city.engine) as s:
        assert s.get(CityDossier, b).status == 4
        assert s.scalar(select(func.count()).select_from(ReceivedOp)) == 4


def test_the_catalog_changes_while_ops_wait(pg_city, office, clock):
    old = office.receive(make_form("1.004222"), actor="canbo1")
    office.start_processing(old.code, actor="canbo1")
    newer = catalog.bundled_catalog()
    newer = newer.model_copy(update={"version": "2027.1",
                                     "procedures": [p for p in newer.procedures if p.code != "1.004222"]})
    with Session(pg_city.engine) as s, s.begin():  # the city drops a procedure while the hub is offline
        crud.publish_catalog(s, "2027.1", newer.model_dump(mode="json"), at=now())
    report = _client(pg_city, office, clock).round()
    assert (report.acked, report.catalogs) == (2, ("2027.1",))
    assert office.info().catalog_version == "2027.1"
    kept = office.dossier(old.code)  # received under 2026.1 and still read as it was
    assert (kept.catalog_version, kept.procedure_name) == (old.catalog_version, old.procedure_name)
    with pytest.raises(NotFound):
        office.receive(make_form("1.004222"), actor="canbo1")
    fresh = office.receive(make_form("ct.ban-sao"), actor="canbo1")
    assert fresh.catalog_version == "2027.1"
    assert _client(pg_city, office, clock).round().acked == 1
    with Session(pg_city.engine) as s:
        assert s.get(CityDossier, old.code).intake["catalog_version"] == old.catalog_version
