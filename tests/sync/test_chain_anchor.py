"""The event log anchored outside the office: what the city was told catches what the file alone cannot."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import col, delete, select

from counter_app.audit import check_anchors, event_hash, verify_chain
from counter_app.cli.main import main
from counter_app.store.models import Event, Outbox
from sync.client import SyncClient
from sync.server.models import ChainAnchor
from tests.conftest import AGENCY, make_form


@pytest.fixture
def synced(city, office, clock) -> SyncClient:
    """Ten dossiers received and synced: the city keeps the head of the log as it was then."""
    client = SyncClient(office.store, city.client(city.token(AGENCY)), clock=clock)
    for i in range(10):
        code = office.receive(make_form(name=f"Người Thứ {i}"), actor="canbo1").code
        office.start_processing(code, actor="canbo1")
    client.round()
    return client


def _last_seq(office) -> int:
    with office.store.read() as s:
        return s.exec(select(Event.seq).order_by(col(Event.seq).desc())).first()


def _both(office, client) -> tuple[bool, str]:
    with office.store.read() as s:
        local = verify_chain(s)
    anchored = client.check_anchors()
    return local.ok, anchored.reason if not anchored.ok else ""


def test_an_untouched_log_matches_what_the_city_keeps(synced, office, city):
    from sqlalchemy.orm import Session

    with Session(city.engine) as s:
        heads = s.query(ChainAnchor).filter_by(agency_code=AGENCY).all()
    assert [h.seq for h in heads] == [_last_seq(office)]
    assert _both(office, synced) == (True, "")


def test_a_chain_recomputed_after_changing_an_actor_is_caught(synced, office):
    with office.store.write() as s:  # what someone with the file and the source code could do
        events = s.exec(select(Event).where(Event.seq >= 5).order_by(col(Event.seq))).all()
        prev = s.exec(select(Event.hash).where(Event.seq == 4)).one()
        for event in events:
            if event.seq == 5:
                event.actor = "canbo2"
            event.prev_hash = prev
            event.hash = prev = event_hash(event)
            s.add(event)
    local_ok, reason = _both(office, synced)
    assert local_ok  # the file alone looks intact
    assert f"event {_last_seq(office)} is not the one the city was told of" in reason


def test_the_last_events_deleted_are_caught(synced, office):
    last = _last_seq(office)
    with office.store.write() as s:
        s.exec(delete(Outbox).where(col(Outbox.event_seq) > last - 15))
        s.exec(delete(Event).where(col(Event.seq) > last - 15))
    local_ok, reason = _both(office, synced)
    assert local_ok and f"event {last} is missing" in reason and "deleted" in reason


def test_a_changed_event_is_caught_by_the_chain_itself(synced, office):
    with office.store.write() as s:
        event = s.exec(select(Event).where(Event.seq == 3)).one()
        event.actor = "canbo2"
        s.add(event)
    with office.store.read() as s:
        report = verify_chain(s)
    assert not report.ok and report.broken_seq == 3


def test_a_rewritten_log_sent_again_is_refused_by_the_city(synced, office, city, caplog):
    last = _last_seq(office)
    with office.store.write() as s:  # the last event replaced by another with its number
        s.exec(delete(Outbox).where(col(Outbox.event_seq) == last))
        s.exec(delete(Event).where(col(Event.seq) == last))
    office.receive(make_form(name="Người Khác"), actor="canbo1")
    assert _last_seq(office) == last
    with caplog.at_level(logging.ERROR, logger="sync.server.crud"):
        synced.round()
    assert any("log was rewritten" in r.getMessage() for r in caplog.records)
    with office.store.read() as s:
        anchors = synced.anchors()
        assert not check_anchors(s, anchors).ok  # the city kept the first hash it heard


def test_verify_log_compares_with_the_city(synced, office, city, tmp_path, capsys):
    settings = tmp_path / "settings.toml"
    settings.write_text(f'city_url = "{city.url}"\ncity_token = "{city.token(AGENCY)}"\n', encoding="utf-8")
    args = ["--db", str(office.store.path), "--settings", str(settings), "verify-log"]
    assert main(args) == 0
    assert "matches the 1 heads of the log the city keeps" in capsys.readouterr().out
    last = _last_seq(office)
    with office.store.write() as s:
        s.exec(delete(Outbox).where(col(Outbox.event_seq) > last - 3))
        s.exec(delete(Event).where(col(Event.seq) > last - 3))
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "event log intact" in out and f"does NOT match what the city was told: event {last} is missing" in out


def test_heads_are_read_by_their_own_office_and_by_an_operator_only(synced, office, city):
    last = _last_seq(office)
    other = city.client(city.token("000.00.99.H26")).get("/v1/sync/chain-heads")
    assert other.status_code == 200 and other.json()["heads"] == []  # another office sees none of these
    hub = city.client(city.token(AGENCY))
    assert [h["seq"] for h in hub.get("/v1/sync/chain-heads").json()["heads"]] == [last]
    assert hub.get(f"/v1/admin/offices/{AGENCY}/chain-heads").status_code == 403  # a hub is no operator
    operator = city.client(city.token("*", role="admin"))
    answer = operator.get(f"/v1/admin/offices/{AGENCY}/chain-heads")
    assert answer.status_code == 200 and [h["seq"] for h in answer.json()["heads"]] == [last]
    assert city.client("no-such-token").get("/v1/sync/chain-heads").status_code == 401


def test_the_city_operator_checks_an_office_s_store_from_the_city(synced, office, city, capsys):
    url = city.engine.url.render_as_string(hide_password=False)
    db = str(office.store.path)
    assert main(["city", "--db-url", url, "check-log", AGENCY, db]) == 0
    assert "matches the 1 heads" in capsys.readouterr().out
    last = _last_seq(office)
    with office.store.write() as s:  # the last events cut off, as someone hiding a day's work would
        s.exec(delete(Outbox).where(col(Outbox.event_seq) > last - 3))
        s.exec(delete(Event).where(col(Event.seq) > last - 3))
    assert main(["city", "--db-url", url, "check-log", AGENCY, db]) == 1
    out = capsys.readouterr().out
    assert "event chain intact" in out and f"event {last} is missing" in out
