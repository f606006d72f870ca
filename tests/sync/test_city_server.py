"""The city server's push, change feed, authority and auth, with ops made by a real office hub."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col
from sqlmodel import select as hub_select

from counter_app.rules.canonical import sha256
from counter_app.store.models import Outbox
from sync.protocol import MAX_OPS
from sync.server.models import CityDossier, ReceivedOp
from tests.conftest import AGENCY, make_form


def _ops(office) -> list[dict]:
    """The hub's outbox as the sync client sends it."""
    with office.store.read() as s:
        rows = s.exec(hub_select(Outbox).order_by(col(Outbox.id))).all()
        return [{"op_id": o.op_id, "dossier_code": json.loads(o.payload)["dossier_code"], "kind": o.kind,
                 "payload": o.payload, "sha256": o.sha256} for o in rows]


def _stored(city) -> int:
    with Session(city.engine) as s:
        return s.scalar(select(func.count()).select_from(ReceivedOp))


def test_push_applies_each_op_once_and_repeats_get_the_stored_result(city, office):
    code = office.receive(make_form(), actor="canbo1").code
    office.start_processing(code, actor="canbo1")
    ops = _ops(office)
    with city.client(city.token(AGENCY)) as http:
        first = http.post("/v1/sync/push", json={"ops": ops})
        again = http.post("/v1/sync/push", json={"ops": ops})  # the answer was lost: sent again
    assert first.status_code == 200 and [r["result"] for r in first.json()["results"]] == ["ok", "ok"]
    assert [r["result"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
    assert _stored(city) == 2
    with Session(city.engine) as s:
        d = s.get(CityDossier, code)
        assert (d.status, d.agency_code, d.intake["applicant_name"]) == (4, AGENCY, "Nguyễn Văn Đức")


def test_same_op_id_with_another_payload_is_a_conflict(city, office):
    office.receive(make_form(), actor="canbo1")
    (op,) = _ops(office)
    changed = op["payload"].replace("Nguyễn Văn Đức", "Nguyễn Văn Đạt")
    with city.client(city.token(AGENCY)) as http:
        assert http.post("/v1/sync/push", json={"ops": [op]}).status_code == 200
        reply = http.post("/v1/sync/push", json={"ops": [dict(op, payload=changed, sha256=sha256(changed))]})
    assert reply.status_code == 409
    (result,) = reply.json()["results"]
    assert result["result"] == "rejected" and "another payload" in result["reason"]
    with Session(city.engine) as s:
        assert s.get(CityDossier, op["dossier_code"]).intake["applicant_name"] == "Nguyễn Văn Đức"


def test_a_rejected_op_does_not_stop_the_others(city, office):
    first = office.receive(make_form(), actor="canbo1").code
    second = office.receive(make_form(name="Lê Thị Mai"), actor="canbo1").code
    office.start_processing(second, actor="canbo1")
    ops = _ops(office)
    broken = dict(ops[0], payload=ops[0]["payload"] + " ")  # damaged on the way: hash no longer matches
    with city.client(city.token(AGENCY)) as http:
        reply = http.post("/v1/sync/push", json={"ops": [broken, *ops[1:]]}).json()["results"]
    assert [r["result"] for r in reply] == ["rejected", "ok", "ok"]
    assert "sha256" in reply[0]["reason"] and reply[0]["reason_vi"]
    with Session(city.engine) as s:
        assert s.get(CityDossier, first) is None and s.get(CityDossier, second).status == 4
    with city.client(city.token(AGENCY)) as http:  # the stored rejection is what a repeat gets
        assert http.post("/v1/sync/push", json={"ops": [broken]}).json()["results"][0]["result"] == "rejected"


def test_a_hub_writes_only_its_own_office(city, office):
    office.receive(make_form(), actor="canbo1")
    ops = _ops(office)
    with city.client(city.token("000.00.99.H26")) as http:
        reply = http.post("/v1/sync/push", json={"ops": ops}).json()["results"]
    assert reply[0]["result"] == "rejected" and "may not write" in reply[0]["reason"]


def test_city_actions_flow_down_and_the_city_owns_processing_after(city, office):
    code = office.receive(make_form(), actor="canbo1").code
    hub_token, operator = city.token(AGENCY), city.token("*", role="admin")
    with city.client(hub_token) as http:
        http.post("/v1/sync/push", json={"ops": _ops(office)})
        assert http.get("/v1/sync/changes", params={"since": 0}).json()["changes"] == []
    with city.client(operator) as admin:
        assert admin.post(f"/v1/admin/dossiers/{code}/start_processing", json={"actor": "Sở Tư pháp"}).json() == {
            "code": code, "status": 4}
        done = admin.post(f"/v1/admin/dossiers/{code}/result_ready", json={"results": ["Giấy xác nhận"]})
        assert done.status_code == 200
        assert admin.post(f"/v1/admin/dossiers/{code}/stop", json={}).status_code == 409  # not from status 9
    with city.client(hub_token) as http:
        page = http.get("/v1/sync/changes", params={"since": 0, "limit": 1}).json()
        assert page["more"] and page["changes"][0]["body"]["action"] == "start_processing"
        rest = http.get("/v1/sync/changes", params={"since": page["next_since"]}).json()
        assert [c["body"]["status"] for c in rest["changes"]] == [9] and not rest["more"]
        assert rest["changes"][0]["body"]["results"] == ["Giấy xác nhận"]
    with city.client(city.token("000.00.99.H26")) as other:  # another office sees none of it
        assert other.get("/v1/sync/changes", params={"since": 0}).json()["changes"] == []

    office.start_processing(code, actor="canbo1")  # a late hub op about processing is kept, not applied
    with city.client(hub_token) as http:
        assert http.post("/v1/sync/push", json={"ops": _ops(office)[1:]}).json()["results"][0]["result"] == "ok"
    with Session(city.engine) as s:
        assert s.get(CityDossier, code).status == 9


def test_every_request_is_authenticated(city, office):
    import httpx

    with httpx.Client(base_url=city.url) as anonymous:
        assert anonymous.get("/health").json()["status"] == "ok"
        assert anonymous.post("/v1/sync/push", json={"ops": []}).status_code == 401
        assert anonymous.get("/v1/sync/changes").status_code == 401
    token = city.token(AGENCY)
    with city.client(token) as http:
        assert http.post("/v1/admin/catalog", json={"version": "x", "catalog": {}}).status_code == 403
        assert http.post("/v1/sync/push", json={"ops": [_fake(i) for i in range(MAX_OPS + 1)]}).status_code == 422
    from counter_app.rules.clock import now
    from sync.server import crud

    with Session(city.engine) as s, s.begin():
        assert crud.revoke_credentials(s, agency_code=AGENCY, at=now()) == 1
    with city.client(token) as http:
        assert http.get("/v1/sync/changes").status_code == 401  # revoked: refused at once


def test_export_in_the_national_record_shape(city, office):
    code = office.receive(make_form("ht.khai-sinh"), actor="canbo1").code
    with city.client(city.token(AGENCY)) as http:
        http.post("/v1/sync/push", json={"ops": _ops(office)})
    with city.client(city.token("*", role="admin")) as admin:
        (record,) = admin.get("/v1/admin/export").json()
    assert record["MaHoSo"] == code and record["MaTTHC"] == "1.001193" and record["TrangThaiHoSo"] == 2
    assert record["ChuHoSo"] == "Nguyễn Văn Đức" and record["NgayTiepNhan"] == "20261123093000"
    assert record["NgayHenTra"] == "20261123170000" and record["KenhThucHien"] == 1
    assert record["TaiLieuNop"] and all("TenTepDinhKem" in t for t in record["TaiLieuNop"])


def _fake(i: int) -> dict:
    payload = json.dumps({"i": i})
    return {"op_id": f"fake-op-{i:04d}", "dossier_code": f"{AGENCY}-261123-{i:04d}", "kind": "receive",
            "payload": payload, "sha256": sha256(payload)}


def test_two_workers_given_the_same_pushes_at_once_apply_each_op_once(pg_city, office):
    """Workers share nothing but the database: a hub's retry landing on another worker while the first
    is still busy gets the stored result, never a second apply."""
    import threading

    from sync.server.db import make_engine
    from tests.sync.conftest import serving

    codes = [office.receive(make_form(name=f"Người Dân {i}"), actor="canbo1").code for i in range(40)]
    for code in codes[::2]:
        office.start_processing(code, actor="canbo1")
    ops = _ops(office)
    other_engine = make_engine(pg_city.engine.url.render_as_string(hide_password=False))
    token = pg_city.token(AGENCY)
    answers: list[list[str]] = []
    start = threading.Barrier(6)

    def push(url: str) -> None:
        import httpx

        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            start.wait()
            for chunk in (ops[:25], ops[25:]):
                answer = http.post("/v1/sync/push", json={"ops": chunk})
                assert answer.status_code == 200, answer.text
                answers.append([r["result"] for r in answer.json()["results"]])

    with serving(other_engine) as other:
        pushers = [threading.Thread(target=push, args=(url,)) for url in (pg_city.url, other.url) * 3]
        for t in pushers:
            t.start()
        for t in pushers:
            t.join(timeout=60)
    other_engine.dispose()
    results = [r for answer in answers for r in answer]
    assert len(answers) == 12 and results.count("ok") == len(ops) and set(results) == {"ok", "duplicate"}
    assert _stored(pg_city) == len(ops)
    with Session(pg_city.engine) as s:
        statuses = dict(s.execute(select(CityDossier.code, CityDossier.status)).all())
    assert statuses == {code: 4 if i % 2 == 0 else 2 for i, code in enumerate(codes)}


def test_a_rating_is_kept_as_received_and_a_forged_one_refused(city):
    """A rating names no dossier; one with an unknown choice, or under another office's name, is rejected."""
    from counter_app.rules.canonical import dumps

    def op(op_id: str, agency: str, choice: str) -> dict:
        payload = dumps({"op_id": op_id, "kind": "rating", "agency": agency, "dossier_code": f"{agency}-DG-{op_id}",
                         "event_seq": 1, "at": "2026-11-30T10:00:00+07:00",
                         "rating": {"choice": choice, "counter": 1, "reasons": [], "clerk": "canbo1"}})
        return {"op_id": op_id, "dossier_code": f"{agency}-DG-{op_id}", "kind": "rating", "payload": payload,
                "sha256": sha256(payload)}

    with city.client(city.token(AGENCY)) as http:
        answer = http.post("/v1/sync/push", json={"ops": [op("r0000001", AGENCY, "satisfied"),
                                                          op("r0000002", AGENCY, "so-so"),
                                                          op("r0000003", "000.00.01.H26", "satisfied")]})
    results = [r["result"] for r in answer.json()["results"]]
    assert results == ["ok", "rejected", "rejected"]
    with Session(city.engine) as s:
        assert s.scalar(select(func.count()).select_from(CityDossier)) == 0
