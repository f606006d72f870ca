"""The hub's sync client against the real city server: push, acknowledgements, pull, authority, failures."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col
from sqlmodel import select as hub_select

from counter_app.city import changes as city_changes
from counter_app.city import outbox
from counter_app.store.models import Outbox
from sync.client import SyncClient, SyncError
from sync.server.models import CityDossier, ReceivedOp
from tests.conftest import AGENCY, make_form


def _client(city, office, clock) -> SyncClient:
    return SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock)


def _states(office) -> dict[str, int]:
    with office.store.read() as s:
        rows = s.exec(hub_select(Outbox.state, func.count()).group_by(Outbox.state)).all()
    return dict(rows)


def test_a_round_pushes_everything_once(city, office, clock):
    a = office.receive(make_form(), actor="canbo1").code
    b = office.receive(make_form(name="Lê Thị Mai"), actor="canbo2").code
    office.start_processing(a, actor="canbo1")
    client = _client(city, office, clock)
    report = client.round()
    assert (report.pushed, report.acked, report.rejected) == (3, 3, 0)
    assert _states(office) == {"acked": 3}
    assert client.round().pushed == 0  # nothing left, nothing sent twice
    with Session(city.engine) as s:
        assert s.scalar(select(func.count()).select_from(ReceivedOp)) == 3
        assert (s.get(CityDossier, a).status, s.get(CityDossier, b).status) == (4, 2)
    with office.store.read() as s:
        st = city_changes.peek(s)
        assert st.last_success_at == clock.at and st.failures == 0


def test_an_answer_lost_after_the_city_committed_is_not_applied_twice(city, office, clock):
    office.receive(make_form(), actor="canbo1")
    client = _client(city, office, clock)
    with office.store.read() as s:
        ((op, code),) = outbox.next_batch(s, limit=100, max_bytes=10**6)
        raw = {"op_id": op.op_id, "dossier_code": code, "kind": op.kind, "payload": op.payload, "sha256": op.sha256}
    assert client.http.post("/v1/sync/push", json={"ops": [raw]}).status_code == 200  # the answer never came back
    report = client.round()
    assert (report.pushed, report.acked) == (1, 1) and _states(office) == {"acked": 1}
    with Session(city.engine) as s:
        assert s.scalar(select(func.count()).select_from(ReceivedOp)) == 1
        assert s.scalar(select(func.count()).select_from(CityDossier)) == 1


def test_a_rejected_op_holds_back_only_its_dossier_and_can_be_sent_again(city, office, clock):
    bad = office.receive(make_form(), actor="canbo1").code
    good = office.receive(make_form(name="Lê Thị Mai"), actor="canbo1").code
    office.start_processing(bad, actor="canbo1")
    office.start_processing(good, actor="canbo1")
    with office.store.write() as s:  # the first op reached the city damaged once (say, a bad disk sector)
        first = s.exec(hub_select(Outbox).order_by(col(Outbox.id))).first()
        kept, first.payload = first.payload, first.payload + " "
        s.add(first)
    report = _client(city, office, clock).round()
    assert (report.acked, report.rejected) == (2, 1)
    assert _states(office) == {"acked": 2, "rejected": 1, "pending": 1}  # bad's second op waits behind it
    with office.store.read() as s:
        ((op, code),) = outbox.rejected(s)
        assert code == bad and "sha256" in op.last_error
    with office.store.write() as s:  # a supervisor has it repaired and sends it again
        s.exec(hub_select(Outbox).where(Outbox.op_id == op.op_id)).one().payload = kept
        outbox.resend(s, op.op_id)
    report = _client(city, office, clock).round()
    assert (report.acked, report.rejected) == (2, 0) and _states(office) == {"acked": 4}
    with Session(city.engine) as s:
        assert s.get(CityDossier, good).status == 4 and s.get(CityDossier, bad).status == 4


def test_pulled_city_decisions_change_status_but_never_intake_data(city, office, clock):
    code = office.receive(make_form(), actor="canbo1").code
    client = _client(city, office, clock)
    client.round()
    with city.client(city.token("*", role="admin")) as admin:
        admin.post(f"/v1/admin/dossiers/{code}/start_processing", json={"actor": "Công an phường"})
        admin.post(f"/v1/admin/dossiers/{code}/result_ready", json={"results": ["Sổ hộ khẩu điện tử"]})
    clock.at += timedelta(hours=2)
    report = client.round()
    assert report.pulled == 2
    d = office.dossier(code)
    assert d.status == 9 and d.applicant_name == "Nguyễn Văn Đức" and d.phone == "0912345678"
    assert [(e.kind, e.actor, e.to_status) for e in d.events[-2:]] == [
        ("city.start_processing", "city:Công an phường", 4), ("city.result_ready", "city:test *", 9)]
    assert d.events[-1].details["results"] == ["Sổ hộ khẩu điện tử"]
    assert client.round().pulled == 0  # the cursor moved with the changes
    assert _states(office) == {"acked": 1}  # city decisions are not sent back up


def test_a_failed_round_is_recorded_in_vietnamese_and_the_next_one_recovers(city, office, clock):
    office.receive(make_form(), actor="canbo1")
    dead = SyncClient(office.store, httpx.Client(base_url="http://127.0.0.1:9", timeout=2), clock=clock)
    with pytest.raises(SyncError) as err:
        dead.round()
    assert err.value.message_vi == "Không kết nối được máy chủ thành phố."
    with office.store.read() as s:
        st = city_changes.peek(s)
        assert (st.failures, st.last_error_vi) == (1, "Không kết nối được máy chủ thành phố.")
    assert _states(office) == {"pending": 1}
    _client(city, office, clock).round()
    with office.store.read() as s:
        st = city_changes.peek(s)
        assert (st.failures, st.last_error_vi) == (0, "") and outbox.pending_count(s) == 0


def test_a_catalog_published_by_the_city_is_pulled_and_activated(city, office, clock):
    from counter_app.dossiers import catalog

    newer = catalog.bundled_catalog().model_copy(update={"version": "2027.1"})
    newer.procedures[0] = newer.procedures[0].model_copy(update={"name": "Đăng ký khai sinh (mẫu mới)"})
    office.receive(make_form("ht.khai-sinh"), actor="canbo1")
    with city.client(city.token("*", role="admin")) as admin:
        assert admin.post("/v1/admin/catalog", json={"version": "2027.1",
                                                     "catalog": newer.model_dump(mode="json")}).status_code == 200
    seen: list[str] = []
    client = _client(city, office, clock)
    client.on_catalog = seen.append
    report = client.round()
    assert report.catalogs == ("2027.1",) and seen == ["2027.1"]
    assert office.info().catalog_version == "2027.1"
    assert office.procedure("ht.khai-sinh").name == "Đăng ký khai sinh (mẫu mới)"
    assert client.round().catalogs == ()  # announced once


def test_a_citizen_s_rating_reaches_the_city_with_the_next_round_and_holds_back_nothing(city, office, clock):
    """Issue 21 item 3: ratings are synced to the city; they name no dossier and change none."""
    from counter_app.ratings.service import rating_subject

    office.set_counter_open(1, True, actor="canbo1")
    office.issue_ticket(lane="A")
    office.call_next(1, actor="canbo1")
    office.start_serving(1, actor="canbo1")
    office.finish_ticket(1, actor="canbo1")
    question = office.rating_question(1)
    office.rate(1, question.id, "not_satisfied", ["wait"])
    made = office.receive(make_form(), actor="canbo1").code
    report = _client(city, office, clock).round()
    assert (report.pushed, report.acked, report.rejected) == (2, 2, 0)
    assert office.sync_status().pending == 0
    with Session(city.engine) as s:
        (op,) = s.scalars(select(ReceivedOp).where(ReceivedOp.kind == "rating")).all()
        assert op.dossier_code == rating_subject(AGENCY, question.id) and op.result == "ok"
        payload = json.loads(op.payload)["rating"]
        assert (payload["choice"], payload["reasons"], payload["clerk"], payload["counter"]) == (
            "not_satisfied", ["wait"], "canbo1", 1)
        assert s.get(CityDossier, made) is not None
        assert s.scalar(select(func.count()).select_from(CityDossier)) == 1  # the rating made no dossier
