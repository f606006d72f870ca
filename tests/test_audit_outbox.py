import json
import sqlite3

from sqlmodel import col, select

from counter_app.rules.canonical import sha256
from counter_app.store.models import Event, Outbox
from tests.conftest import make_form


def _walk(office):
    d = office.receive(make_form(), actor="canbo1")
    office.start_processing(d.code, actor="canbo1")
    office.result_ready(d.code, actor="canbo1")
    return d.code


def test_every_city_event_has_one_outbox_op_with_a_matching_hash(office):
    code = _walk(office)
    with office.store.read() as s:
        events = s.exec(select(Event).where(Event.subject == f"dossier:{code}").order_by(col(Event.seq))).all()
        ops = s.exec(select(Outbox).order_by(col(Outbox.id))).all()
    assert [o.event_seq for o in ops] == [e.seq for e in events]
    assert [o.kind for o in ops] == ["receive", "start_processing", "result_ready"]
    for op in ops:
        assert op.sha256 == sha256(op.payload)
        body = json.loads(op.payload)
        assert body["op_id"] == op.op_id and body["dossier_code"] == code and op.state == "pending"
    assert json.loads(ops[0].payload)["dossier"]["applicant_name"] == "Nguyễn Văn Đức"
    assert [json.loads(o.payload)["to"] for o in ops] == [2, 4, 9]


def test_refused_transition_writes_nothing(office):
    code = _walk(office)
    with office.store.read() as s:
        before = (len(s.exec(select(Event)).all()), len(s.exec(select(Outbox)).all()))
    try:
        office.start_processing(code, actor="canbo1")
    except Exception as exc:
        assert "Đã xử lý xong" in exc.message_vi
    with office.store.read() as s:
        assert (len(s.exec(select(Event)).all()), len(s.exec(select(Outbox)).all())) == before


def _tamper(path, sql, *args):
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute(sql, args)
    con.commit()
    con.close()


def test_chain_verifies_and_names_the_first_tampered_event(office):
    _walk(office)
    report = office.verify_log()
    # office setup, catalog import, four staff accounts, three dossier events
    assert report.ok and report.checked == 9
    _tamper(office.store.path, "UPDATE event SET actor = 'someone else' WHERE seq = 8")
    report = office.verify_log()
    assert (report.broken_seq, report.checked) == (8, 7)
    assert "hash" in report.reason


def test_chain_names_a_deleted_event(office):
    _walk(office)
    _tamper(office.store.path, "DELETE FROM event WHERE seq = 3")
    report = office.verify_log()
    assert report.broken_seq == 3 and "missing" in report.reason


def test_chain_detects_a_rewritten_hash(office):
    _walk(office)
    _tamper(office.store.path, "UPDATE event SET details = '{\"x\": 1}', hash = ? WHERE seq = 2", "0" * 64)
    assert office.verify_log().broken_seq == 2


def test_prune_removes_only_ops_the_city_acknowledged_long_enough_ago(office, clock):
    from datetime import timedelta

    from counter_app.city import outbox

    _walk(office)
    _walk(office)
    with office.store.write() as s:
        ops = s.exec(select(Outbox).order_by(col(Outbox.id))).all()
        ops[0].state, ops[0].acked_at = "acked", clock.at - timedelta(days=40)
        ops[1].state, ops[1].acked_at = "acked", clock.at - timedelta(days=5)
        ops[2].state = "rejected"
        s.add_all(ops[:3])
    with office.store.write() as s:
        assert outbox.prune_acked(s, acked_before=clock.at - timedelta(days=30)) == 1
    with office.store.read() as s:
        left = s.exec(select(Outbox).order_by(col(Outbox.id))).all()
    assert [o.id for o in left] == [o.id for o in ops[1:]]
    assert office.verify_log().ok  # the event log keeps the history the op carried


def test_json_columns_keep_vietnamese_readable_in_the_file(office):
    form = make_form().model_copy(update={"outcome": "refuse", "reason": "Không thuộc thẩm quyền của phường"})
    office.receive(form, actor="canbo1")
    con = sqlite3.connect(office.store.path)
    raw = [r[0] for r in con.execute("SELECT details FROM event WHERE kind = 'dossier.refuse'")]
    con.close()
    assert raw and "Không thuộc thẩm quyền" in raw[0] and "\\u" not in raw[0]
