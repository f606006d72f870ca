"""The city server as an outsider or a careless hub would try it: limits before work, op ids per office,
times from another century, characters no field may hold, a cursor past any number, and its log."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy.orm import Session

from counter_app.rules.canonical import sha256
from sync.server.models import CityDossier
from tests.conftest import AGENCY, make_form
from tests.sync.test_city_server import _ops
from tests.uploads import MB, chunked_upload

OTHER = "000.00.73.H99"


def _retarget(op: dict, old: str, new: str) -> dict:
    payload = op["payload"].replace(old, new)
    return {**op, "payload": payload, "sha256": sha256(payload), "dossier_code": op["dossier_code"].replace(old, new)}


def _edit(op: dict, change) -> dict:
    payload = json.loads(op["payload"])
    change(payload)
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return {**op, "payload": text, "sha256": sha256(text)}


def test_op_ids_are_one_namespace_per_office(city, office):
    office.receive(make_form(), actor="canbo1")
    (op,) = _ops(office)
    theirs = _retarget(op, AGENCY, OTHER)  # another office's op that happens to carry the same id
    with city.client(city.token(AGENCY)) as ours_http, city.client(city.token(OTHER)) as theirs_http:
        assert ours_http.post("/v1/sync/push", json={"ops": [op]}).json()["results"][0]["result"] == "ok"
        reply = theirs_http.post("/v1/sync/push", json={"ops": [theirs]})
        assert reply.status_code == 200 and reply.json()["results"][0]["result"] == "ok"
        again = ours_http.post("/v1/sync/push", json={"ops": [op]})
        assert again.json()["results"][0]["result"] == "duplicate"  # each office's own record stands
    with Session(city.engine) as s:
        assert s.get(CityDossier, theirs["dossier_code"]).agency_code == OTHER


@pytest.mark.parametrize("change, fragment", [
    (lambda p: p["dossier"].update(received_at="9999-01-01T08:00:00+07:00"), "outside"),
    (lambda p: p["dossier"].update(received_at="1970-01-01T08:00:00+07:00"), "outside"),
    (lambda p: p.update(due_at="2090-01-01T08:00:00+07:00"), "outside"),
    (lambda p: p["dossier"].update(applicant_name="Nguyễn\x00Văn"), "NUL"),
    (lambda p: p["dossier"].update(applicant_name="\u202eĐức"), "bidirectional"),
    (lambda p: p["dossier"].update(address="x" * 10_000), "characters"),
])
def test_a_payload_with_edges_is_rejected_with_a_reason_never_a_500(city, office, change, fragment):
    office.receive(make_form(), actor="canbo1")
    (op,) = _ops(office)
    with city.client(city.token(AGENCY)) as http:
        reply = http.post("/v1/sync/push", json={"ops": [_edit(op, change)]})
    assert reply.status_code == 200, reply.text
    (result,) = reply.json()["results"]
    assert result["result"] == "rejected" and fragment in result["reason"] and result["reason_vi"]


def test_a_cursor_past_any_number_is_refused_not_a_500(city):
    with city.client(city.token(AGENCY)) as http:
        assert http.get("/v1/sync/changes", params={"since": 2**63}).status_code == 422
        assert http.get("/v1/sync/changes", params={"since": 2**62}).status_code == 200


def test_an_unknown_credential_is_refused_before_its_upload_is_read(city):
    upload = chunked_upload(f"{city.url}/v1/sync/push", "not-a-token", megabytes=150)
    assert upload.status in (401, None) and upload.sent < 150 * MB


def test_a_hubs_chunked_push_is_cut_off_at_ten_megabytes(city):
    upload = chunked_upload(f"{city.url}/v1/sync/push", city.token(AGENCY), megabytes=150, head=b'{"ops": [',
                            tail=b"]}", filler=b" ")
    assert upload.status in (413, None) and upload.sent < 150 * MB
    with city.client(city.token(AGENCY, role="admin")) as http:  # an operator is no hub
        assert http.post("/v1/sync/push", json={"ops": []}).status_code == 403


def test_the_city_log_holds_no_citizens_data(city, office, caplog):
    office.receive(make_form(name="Hoàng Thị Bímật", id_number="079188004321"), actor="canbo1")
    (op,) = _ops(office)
    poison = _edit(op, lambda p: p["dossier"].update(applicant_name="Hoàng Thị Bímật\x00"))
    with caplog.at_level(logging.DEBUG), city.client(city.token(AGENCY)) as http:
        http.post("/v1/sync/push", json={"ops": [poison]})
        http.post("/v1/sync/push", json={"ops": [_edit(op, lambda p: p.update(to="bốn"))]})
    logged = "\n".join(r.getMessage() + (str(r.exc_info[1]) if r.exc_info else "") for r in caplog.records)
    assert "rejected" in logged
    assert "Bímật" not in logged and "079188004321" not in logged
