"""A store restored from last night's backup gets back from the city everything that reached it since."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session as CitySession
from sqlmodel import col, select

from counter_app.audit import verify_chain
from counter_app.backups import sealed
from counter_app.backups.restore import restore
from counter_app.backups.service import BackupPlan, make_backup
from counter_app.cli.city import check_log
from counter_app.dossiers import recovery
from counter_app.local.office import LocalOffice
from counter_app.rules.clock import TZ
from counter_app.store import Store
from counter_app.store.models import Dossier, DossierDocument, Event, Outbox, SyncState
from counter_app.store.private import with_companions
from counter_app.views.dossiers import DocumentIn
from sync.client import SyncClient, SyncError
from sync.server.models import ChainAnchor, SupersededAnchor
from tests.conftest import AGENCY, make_form


@pytest.fixture
def plan(tmp_path: Path) -> BackupPlan:
    return BackupPlan(folders=(tmp_path / "backups",), key=sealed.new_key(), state_file=tmp_path / "state.json")


def _facts(store: Store) -> dict[str, tuple]:
    """Every dossier as a clerk sees it: status, times, recipient, its papers by kind, and its history's steps."""
    with store.read() as s:
        docs: dict[int, list] = {}
        for d in s.exec(select(DossierDocument).order_by(col(DossierDocument.id))):
            docs.setdefault(d.dossier_id, []).append((d.role, d.name, d.provided))
        steps: dict[int, list] = {}
        for e in s.exec(select(Event).where(col(Event.dossier_id).is_not(None)).order_by(col(Event.seq))):
            steps.setdefault(e.dossier_id, []).append((e.kind, e.actor, e.from_status, e.to_status))
        return {d.code: (d.applicant_name, d.id_number, d.status, d.due_at, d.original_due_at, d.returned_to,
                         d.handling_agency, d.register_row, sorted(docs.get(d.id, [])), steps.get(d.id, []))
                for d in s.exec(select(Dossier))}


def _wipe(db_path: Path) -> None:
    for part in with_companions(db_path):
        part.unlink(missing_ok=True)


def _restored(office, made, plan, db_path, clock) -> Store:
    """The PC's disk died: last night's backup put back, its recovery due at the next round."""
    office.store.close()
    _wipe(db_path)
    restore(made.path, plan.key, db_path, at=clock())
    store = Store.open(db_path)
    with store.write() as s:
        recovery.mark_due(s)
    return store


def test_restore_then_recover_brings_back_all_500_dossiers_with_their_history(city, office, plan, clock, db_path,
                                                                             capsys):
    client = SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock)
    first = [office.receive(make_form(name=f"Người Thứ {i}"), actor="canbo1").code for i in range(300)]
    for code in first[:20]:
        office.start_processing(code, actor="canbo1")
    client.round()
    made = make_backup(office.store, plan, kind="daily", at=clock()).made

    clock.set(2026, 11, 25, 10, 0)  # two days on, before anyone restores
    later = [office.receive(make_form(name=f"Người Sau {i}"), actor="canbo2").code for i in range(200)]
    office.request_supplement(later[0], missing=[DocumentIn(name="Bản sao giấy chứng sinh")], reason="Thiếu giấy",
                              actor="canbo2")
    office.receive_supplement(later[0], actor="canbo2")
    office.result_ready(first[1], actor="canbo1", results=["Giấy khai sinh (bản chính)"])
    office.return_result(first[1], to_whom="Người Thứ 1", id_checked=True, actor="canbo1")
    admin = city.client(city.token("*", role="admin"))
    assert admin.post(f"/v1/admin/dossiers/{first[2]}/result_ready", json={"results": ["Giấy xác nhận"]}).is_success
    client.round()  # the city's decision comes down, then the office hands the result back
    clock.set(2026, 11, 25, 15, 0)
    office.return_result(first[2], to_whom="Người Thứ 2", id_checked=True, actor="canbo1")
    office.reschedule(later[1], reason="Chờ xác minh", new_due=datetime(2026, 12, 10, 16, tzinfo=TZ),
                      actor="truongbp")
    client.round()
    before = _facts(office.store)
    assert len(before) == 500

    office.store.close()
    _wipe(db_path)  # the PC's disk died; last night's backup is all there is
    restore(made.path, plan.key, db_path, at=clock())
    store = Store.open(db_path)
    try:
        assert len(_facts(store)) == 300
        with store.write() as s:
            recovery.mark_due(s)
        again = SyncClient(store, city.client(city.token(AGENCY)), clock=clock)
        report = again.round()  # recovers first, then has nothing new to push
        assert report.pushed == 0
        assert _facts(store) == before
        with store.read() as s:
            assert verify_chain(s).ok
            assert s.exec(select(Outbox).where(Outbox.state != "acked")).all() == []
            recovered = s.exec(select(Event).where(Event.kind == "dossier.receive")
                               .order_by(col(Event.seq).desc())).first()
        assert recovered.details["recovered_op"]  # a rebuilt event says which op it came from
        assert again.check_anchors().ok
        assert check_log(city.engine, AGENCY, db_path) == 0  # the operator's check, with the restore named
        assert "restored a backup ending at event" in capsys.readouterr().out
        with CitySession(city.engine) as cs:  # the lost log's heads are kept as evidence, no longer checked
            assert cs.query(SupersededAnchor).filter_by(agency_code=AGENCY).count() >= 1
            assert all(a.seq <= made.events for a in cs.query(ChainAnchor).filter_by(agency_code=AGENCY))

        back = LocalOffice(store, clock=clock)
        fresh = back.receive(make_form(name="Người Mới"), actor="canbo1").code
        assert fresh not in before  # the running numbers moved past the dossiers that came back
        assert again.round().acked == 1
        assert again.recover().replayed == 0  # running it twice changes nothing
        assert len(_facts(store)) == 501
    finally:
        store.close()


def test_a_backup_that_disagrees_with_the_city_is_not_built_on(city, office, plan, clock, db_path):
    client = SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock)
    codes = [office.receive(make_form(), actor="canbo1").code for _ in range(5)]
    client.round()
    made = make_backup(office.store, plan, kind="daily", at=clock()).made
    office.store.close()
    _wipe(db_path)
    restore(made.path, plan.key, db_path, at=clock())
    store = Store.open(db_path)
    try:
        with store.write() as s:  # a backup someone altered: the last event's actor changed, chain recomputed
            last = s.exec(select(Event).order_by(col(Event.seq).desc())).first()
            from counter_app.audit import event_hash
            last.actor = "canbo2"
            last.hash = event_hash(last)
            s.add(last)
            recovery.mark_due(s)
        again = SyncClient(store, city.client(city.token(AGENCY)), clock=clock)
        with pytest.raises(SyncError) as err:
            again.round()
        assert "không khớp" in err.value.message_vi
        with store.read() as s:
            assert s.exec(select(Outbox).where(Outbox.state == "pending")).all() == []
            assert len(s.exec(select(Dossier)).all()) == len(codes)
    finally:
        store.close()


def test_the_city_hands_an_office_only_its_own_ops(city, office, clock):
    SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock).round()
    office.receive(make_form(), actor="canbo1")
    SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock).round()
    other = city.client(city.token("99999"))
    page = other.get("/v1/sync/ops", params={"since": "2025-07-01T00:00:00+07:00"}).json()
    assert page == {"ops": [], "more": False}
    since = {"since": "2025-07-01T00:00:00+07:00"}
    mine = city.client(city.token(AGENCY)).get("/v1/sync/ops", params=since).json()
    assert [json.loads(o["payload"])["agency"] for o in mine["ops"]] == [AGENCY]
    assert city.client("not-a-token").get("/v1/sync/ops", params=since).status_code == 401
    admin = city.client(city.token("*", role="admin"))  # an operator reads ops through the export, not here
    assert admin.get("/v1/sync/ops", params=since).status_code == 403
    naive = city.client(city.token(AGENCY)).get("/v1/sync/ops", params={"since": "2025-07-01T00:00:00"})
    assert naive.status_code == 422


def test_the_restore_command_recovers_at_once_or_leaves_it_to_the_next_round(city, office, plan, clock, db_path,
                                                                              tmp_path, capsys):
    from counter_app.cli.main import main

    token = city.token(AGENCY)
    client = SyncClient(office.store, city.client(token), clock=clock)
    office.receive(make_form(), actor="canbo1")
    client.round()
    made = make_backup(office.store, plan, kind="daily", at=clock()).made
    office.receive(make_form(name="Trần Thị Hai"), actor="canbo1")
    office.receive(make_form(name="Lê Văn Ba"), actor="canbo1")
    client.round()
    office.store.close()
    key_file = tmp_path / "key.txt"
    key_file.write_text(sealed.key_text(plan.key), encoding="utf-8")
    settings = tmp_path / "settings.toml"
    down = f'city_url = "http://127.0.0.1:9"\ncity_token = "{token}"\n'  # the link is down during the restore
    settings.write_text(down, encoding="utf-8")
    args = ["--db", str(db_path), "--settings", str(settings)]
    assert main(["restore", str(made.path), "--key-file", str(key_file), *args]) == 3
    assert "Chưa lấy lại được dữ liệu từ thành phố" in capsys.readouterr().err
    settings.write_text(f'city_url = "{city.url}"\ncity_token = "{token}"\n', encoding="utf-8")
    assert main(["sync", "now", *args]) == 0  # the next round recovers before it pushes
    assert "pushed 0 ops" in capsys.readouterr().out
    store = Store.open(db_path)
    try:
        with store.read() as s:
            assert sorted(d.applicant_name for d in s.exec(select(Dossier))) == ["Lê Văn Ba", "Nguyễn Văn Đức",
                                                                                 "Trần Thị Hai"]
            assert not s.get(SyncState, 1).recovery_due
    finally:
        store.close()
    assert main(["restore", str(made.path), "--key-file", str(key_file), *args]) == 0  # again, the link up
    assert "recovered from the city: 2 changes made again" in capsys.readouterr().out


def test_a_fee_collected_reaches_the_city_and_comes_back_after_a_restore(city, office, plan, clock, db_path):
    client = SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock)
    made = make_backup(office.store, plan, kind="daily", at=clock()).made
    code = office.receive(make_form("ct.chu-ky"), actor="canbo1").code
    office.collect_fees(code, method="cash", actor="canbo1")
    report = client.round()
    assert (report.acked, report.rejected) == (2, 0)
    store = _restored(office, made, plan, db_path, clock)
    try:
        SyncClient(store, city.client(city.token(AGENCY)), clock=clock).round()
        back = LocalOffice(store, clock=clock)
        (fee,) = back.dossier(code).fees
        assert (fee.paid, fee.method, fee.receipt_no) == (True, "cash", "BL26-0000001")
        other = back.receive(make_form("ct.chu-ky"), actor="canbo1").code
        assert back.collect_fees(other, method="cash", actor="canbo1").fees[0].receipt_no == "BL26-0000002"
    finally:
        store.close()


def test_a_citizen_s_rating_given_after_the_backup_comes_back(city, office, plan, clock, db_path):
    from datetime import date, timedelta

    from counter_app.store.models import Rating

    client = SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock)
    made = make_backup(office.store, plan, kind="daily", at=clock()).made
    office.set_counter_open(1, True, actor="canbo1")
    office.issue_ticket(lane="A")
    office.call_next(1, actor="canbo1")
    office.start_serving(1, actor="canbo1")
    clock.at += timedelta(minutes=5)
    office.finish_ticket(1, actor="canbo1")
    question = office.rating_question(1)
    clock.at += timedelta(seconds=10)
    office.rate(1, question.id, "not_satisfied", ["wait"])
    assert client.round().acked == 1
    store = _restored(office, made, plan, db_path, clock)
    try:
        again = SyncClient(store, city.client(city.token(AGENCY)), clock=clock)
        assert again.recover().replayed == 1
        with store.read() as s:
            (rating,) = s.exec(select(Rating)).all()
            assert (rating.id, rating.counter_no, rating.clerk, rating.choice, rating.reasons) == (
                question.id, 1, "canbo1", "not_satisfied", ["wait"])
            assert verify_chain(s).ok and s.exec(select(Outbox).where(Outbox.state != "acked")).all() == []
        assert again.recover().replayed == 0  # twice changes nothing
        back = LocalOffice(store, clock=clock)
        day = clock().date()
        report = back.period_report(date(day.year, day.month, 1), day)
        assert (report.ratings_total.services, report.ratings_total.not_satisfied) == (1, 1)
        assert [r.key for r in report.ratings_per_clerk] == ["canbo1"]
        assert again.round().pushed == 0  # nothing goes up a second time
    finally:
        store.close()
