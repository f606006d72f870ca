"""Who may do what at the hub: machine tokens, revocation, clerk sessions as the actor, counter binding."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from datetime import date

import httpx
import pytest

from counter_app import machines
from counter_app.accounts import SYSTEM
from counter_app.errors import (
    DuplicateSubmission,
    Forbidden,
    HubUnreachable,
    InvalidTransition,
    MachineRefused,
    NotFound,
    SignInFailed,
)
from counter_app.events import HubConnection, QueueChanged
from counter_app.lan.office import LanOffice
from counter_app.remote_ops import operations
from counter_app.rules.clock import now
from counter_app.store import Store
from counter_app.views.accounts import AccountIn
from tests.conftest import STAFF_PASSWORD, make_form
from tests.hub.conftest import Hub, post_op, running_hub
from tests.sync.conftest import free_port


def test_lan_office_offers_every_operation_of_the_interface():
    assert all(callable(getattr(LanOffice, name, None)) for name in operations())
    assert {"receive", "call_next", "issue_ticket", "dossier_page", "submit_print"} <= set(operations())


def test_every_request_needs_a_registered_machine(hub: Hub):
    assert httpx.post(f"{hub.url}/api/ops/info", json={}).status_code == 401
    wrong = httpx.post(f"{hub.url}/api/ops/info", json={}, headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401
    assert "chưa được đăng ký" in wrong.json()["message_vi"]
    with pytest.raises(MachineRefused):
        LanOffice(hub.url, "not-a-token").info()
    assert hub.client("bang-1").info().agency_code


def test_tokens_are_stored_hashed(hub: Hub):
    store = Store.open(hub.db_path)
    try:
        raw = store.path.read_bytes()
        assert all(token.encode() not in raw for token in hub.tokens.values())
    finally:
        store.close()


def test_a_revoked_machine_is_refused_at_once_and_its_stream_closed(tmp_path):
    with contextmanager(running_hub)(tmp_path, heartbeat_s=0.5) as running:
        board = running.client("bang-1")
        seen: list[object] = []
        board.subscribe(seen.append)
        assert board.queue_status() is not None
        time.sleep(0.3)
        store = Store.open(running.db_path)  # the administrator's `counter-app machines revoke` on the hub PC
        with store.write() as s:
            machines.revoke(s, "bang-1", at=now(), actor=SYSTEM)
        store.close()
        with pytest.raises(MachineRefused) as refused:
            board.queue_status()
        assert "thu hồi" in refused.value.message_vi
        deadline = time.monotonic() + 5
        while not any(isinstance(e, HubConnection) and not e.online for e in seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(isinstance(e, HubConnection) and not e.online for e in seen), seen
        assert running.client("bang-2").queue_status() is not None  # the other board carries on


def test_machines_do_only_what_their_kind_allows(hub: Hub):
    kiosk, board = hub.client("kiosk"), hub.client("bang-1")
    ticket = kiosk.issue_ticket(lane="A")
    assert board.ticket(ticket.label).label == ticket.label
    for call in (lambda: kiosk.call_next(1, actor="canbo1"), lambda: board.issue_ticket(lane="A"),
                 lambda: board.search("Nguyễn"), lambda: kiosk.sign_in("canbo1", STAFF_PASSWORD)):
        with pytest.raises(Forbidden) as refused:
            call()
        assert refused.value.message_vi.endswith("không được phép thực hiện thao tác này.")


def test_actions_run_as_the_signed_in_clerk_never_as_a_name_the_client_sends(hub: Hub):
    counter = hub.client("quay-1")
    session = counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    made = counter.receive(make_form(), actor="canbo1")  # the actor picks the session; the name does not travel
    assert made.clerk == "canbo1"
    assert post_op(hub, "receive", {"form": make_form().model_dump(mode="json")}).status_code == 401  # no session
    spoof = post_op(hub, "refuse", {"code": made.code, "reason": "thử", "actor": SYSTEM}, session=session.token)
    assert spoof.status_code == 422  # no such argument
    stopped = post_op(hub, "stop", {"code": made.code, "reason": "thử", "actor": SYSTEM}, session=session.token)
    assert stopped.status_code == 403 and "Tổ trưởng" in stopped.json()["message_vi"]  # refused at the door
    with pytest.raises(SignInFailed):
        counter.stop(made.code, reason="thử", actor="truongbp")  # truongbp never signed in here
    counter.sign_out(session.token)
    assert post_op(hub, "refuse", {"code": made.code, "reason": "x"}, session=session.token).status_code == 401


def test_a_counter_pc_acts_for_its_own_counter_unless_a_supervisor_signs_in(hub: Hub):
    hub.client("kiosk").issue_ticket(lane="A")
    counter = hub.client("quay-1")
    counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    with pytest.raises(Forbidden) as refused:
        counter.call_next(2, actor="canbo1")
    assert "quầy 1" in refused.value.message_vi
    with pytest.raises(Forbidden):
        counter.sign_in("canbo2", STAFF_PASSWORD, counter_no=2)
    counter.sign_in("truongbp", STAFF_PASSWORD, counter_no=None)
    assert counter.call_next(2, actor="truongbp") is not None


def test_errors_come_back_as_the_embedded_hub_raises_them(hub: Hub):
    counter = hub.client("quay-1")
    counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    with pytest.raises(NotFound) as missing:
        counter.dossier("000.00.73.H26-261123-9999")
    assert missing.value.message_vi
    form = make_form()
    first = counter.receive(form, actor="canbo1")
    with pytest.raises(DuplicateSubmission) as twice:
        counter.receive(form, actor="canbo1")
    assert twice.value.code == first.code


def test_a_write_sent_twice_with_one_key_is_carried_out_once(hub: Hub):
    first = post_op(hub, "issue_ticket", {"lane": "B"}, machine="kiosk", key="k-123")
    again = post_op(hub, "issue_ticket", {"lane": "B"}, machine="kiosk", key="k-123")
    assert first.status_code == again.status_code == 200
    assert first.json()["label"] == again.json()["label"]
    assert again.headers.get("Idempotent-Replay") == "true"
    assert [t.label for t in hub.client("quay-1").tickets_of_day()] == [first.json()["label"]]
    other_body = post_op(hub, "issue_ticket", {"lane": "A"}, machine="kiosk", key="k-123")
    assert other_body.status_code == 409 and "đã được dùng" in other_body.json()["message_vi"]
    clerk = hub.client("quay-2").sign_in("canbo2", STAFF_PASSWORD, counter_no=2)
    other_machine = post_op(hub, "issue_ticket", {"lane": "B"}, machine="quay-2", session=clerk.token, key="k-123")
    assert other_machine.status_code == 409
    assert [t.label for t in hub.client("quay-1").tickets_of_day()] == [first.json()["label"]]  # nothing more done


def test_a_key_sent_again_for_another_dossier_does_nothing_to_it(hub: Hub):
    counter = hub.client("quay-1")
    session = counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    one, two = (counter.receive(make_form(), actor="canbo1") for _ in range(2))
    first = post_op(hub, "start_processing", {"code": one.code}, session=session.token, key="k-9")
    assert first.status_code == 200
    reused = post_op(hub, "start_processing", {"code": two.code}, session=session.token, key="k-9")
    assert reused.status_code == 409 and reused.json()["kind"] == "KeyReused"
    assert counter.dossier(two.code).status == two.status  # the second action was not done, and said so
    other_clerk = hub.client("quay-1").sign_in("canbo2", STAFF_PASSWORD, counter_no=1)
    assert post_op(hub, "start_processing", {"code": one.code}, session=other_clerk.token, key="k-9").status_code == 409
    replay = post_op(hub, "start_processing", {"code": one.code}, session=session.token, key="k-9")
    assert replay.status_code == 200 and replay.headers.get("Idempotent-Replay") == "true"


def test_the_same_key_at_the_same_instant_is_carried_out_once(hub: Hub):
    answers: list[httpx.Response] = []
    start = threading.Barrier(6)

    def send() -> None:
        start.wait()
        answers.append(post_op(hub, "issue_ticket", {"lane": "C"}, machine="kiosk", key="same-instant"))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(hub.client("quay-1").tickets_of_day()) == 1
    done = [a for a in answers if a.status_code == 200]
    assert done and {a.json()["label"] for a in done} == {"C001"}
    assert all(a.status_code in (200, 409) for a in answers)


def test_an_unreachable_hub_is_said_plainly_and_announced(tmp_path):
    office = LanOffice(f"http://127.0.0.1:{free_port()}", "token", retry_for_s=0.3)
    seen: list[object] = []
    office.bus.subscribe(seen.append)
    started = time.monotonic()
    with pytest.raises(HubUnreachable) as down:
        office.issue_ticket(lane="A")
    assert time.monotonic() - started < 3
    assert "Không kết nối được máy chủ văn phòng" in down.value.message_vi
    assert "giữ nguyên" in down.value.message_vi
    assert seen == [HubConnection(False, seen[0].message_vi)]
    with pytest.raises(HubUnreachable):  # known down: no retrying again, so closing a screen is quick
        office.queue_status()
    office.close()


def test_events_reach_every_follower(hub: Hub):
    followers = [hub.client(name) for name in ("bang-1", "bang-2", "quay-3")]
    seen: list[list[object]] = [[] for _ in followers]
    for office, box in zip(followers, seen, strict=True):
        office.subscribe(box.append)
    deadline = time.monotonic() + 5
    while hub_listeners(hub) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    ticket = hub.client("kiosk").issue_ticket(lane="A")
    deadline = time.monotonic() + 5
    want = QueueChanged(ticket.label, "waiting", "issue", None)
    while not all(want in box for box in seen) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert all(want in box for box in seen)


def hub_listeners(hub: Hub) -> int:
    return httpx.get(f"{hub.url}/api/health").json()["listeners"]


def test_a_session_works_only_at_the_machine_it_was_opened_at(hub: Hub):
    at_nine = hub.client("quay-9").sign_in("canbo1", STAFF_PASSWORD, counter_no=9)
    assert post_op(hub, "recent", {}, machine="quay-9", session=at_nine.token).status_code == 200
    taken = post_op(hub, "recent", {}, machine="quay-1", session=at_nine.token)  # carried to counter 1's PC
    assert taken.status_code == 401 and "không thuộc máy" in taken.json()["message_vi"]
    assert post_op(hub, "recent", {}, machine="quay-1").status_code == 401  # and no clerk at all


def test_personal_data_needs_a_clerk_signed_in_at_that_counter(hub: Hub):
    counter = hub.client("quay-1")
    counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    made = counter.receive(make_form(), actor="canbo1")
    for operation, body in (("dossier", {"code": made.code}), ("search", {"query": "Nguyễn"}),
                            ("known_applicant", {"id_number": "001090012345"}), ("recent", {}),
                            ("register_entries", {"date_from": "2026-01-01", "date_to": "2026-12-31"})):
        answer = post_op(hub, operation, body)  # the counter PC's token alone
        assert answer.status_code == 401, operation
        assert "001090012345" not in answer.text and "Nguyễn" not in answer.text
    assert counter.dossier(made.code).id_number == "001090012345"  # with the clerk's session
    with pytest.raises(Forbidden):
        counter.daily_report()  # figures by clerk: a supervisor's
    with pytest.raises(Forbidden):
        counter.period_report(date(2026, 1, 1), date(2026, 12, 31))
    counter.sign_in("truongbp", STAFF_PASSWORD, counter_no=1)
    assert counter.daily_report().received >= 1
    year = counter.period_report(date(2026, 1, 1), date(2026, 12, 31))  # across the LAN, whole
    assert year.total.received >= 1 and year.per_clerk[0].label == "Nguyễn Thị Lan"


def test_revoking_a_machine_or_disabling_an_account_ends_its_sessions_for_good(hub: Hub):
    counter, other = hub.client("quay-1"), hub.client("quay-2")
    at_one = counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    at_two = other.sign_in("canbo2", STAFF_PASSWORD, counter_no=2)
    store = Store.open(hub.db_path)
    try:
        with store.write() as s:
            machines.revoke(s, "quay-1", at=now(), actor=SYSTEM)
            _view, hub.tokens["quay-1"] = machines.register(s, "quay-1", machines.MachineKind.COUNTER, counter_no=1,
                                                            at=now(), actor=SYSTEM)
        assert post_op(hub, "recent", {}, session=at_one.token).status_code == 401  # the PC is back; its session not
        admin = LanOffice(hub.url, hub.tokens["quay-1"])
        hub.clients.append(admin)
        admin.sign_in("admin", STAFF_PASSWORD, counter_no=1)
        account = next(a for a in admin.accounts() if a.username == "canbo2")
        off = AccountIn(username="canbo2", full_name=account.full_name, role=account.role, active=False)
        admin.save_account(off, actor="admin")
        assert post_op(hub, "recent", {}, machine="quay-2", session=at_two.token).status_code == 401
        admin.save_account(off.model_copy(update={"active": True}), actor="admin")
        assert post_op(hub, "recent", {}, machine="quay-2", session=at_two.token).status_code == 401  # not revived
        assert other.sign_in("canbo2", STAFF_PASSWORD, counter_no=2).username == "canbo2"
    finally:
        store.close()


def test_the_citizen_rates_on_the_screen_facing_the_counter_never_with_the_clerk_s_session(hub: Hub):
    """Issue 21 item 3: a rating tablet (machine kind `rating`) for counter 1, the counter PC's own second
    screen, and a clerk trying to rate their own service."""
    counter = hub.client("quay-1")  # and "danhgia-1", the tablet facing counter 1 (tests/hub/conftest.py)
    session = counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    counter.set_counter_open(1, True, actor="canbo1")
    hub.client("kiosk").issue_ticket(lane="A")
    counter.call_next(1, actor="canbo1")
    counter.start_serving(1, actor="canbo1")
    counter.finish_ticket(1, actor="canbo1")
    tablet = hub.client("danhgia-1")
    question = tablet.rating_question(1)
    assert question is not None and question.clerk_name == "Nguyễn Thị Lan"
    with pytest.raises(Forbidden):
        tablet.rating_question(2)  # the tablet faces counter 1 only
    mine = post_op(hub, "rate", {"counter_no": 1, "question_id": question.id, "choice": "very_satisfied"},
                   session=session.token, key="k-rate-1")
    assert mine.status_code == 403 and "phiên đăng nhập của cán bộ" in mine.json()["message_vi"]
    with pytest.raises(Forbidden):
        tablet.rate(2, question.id, "satisfied")
    counter.rate(1, question.id, "satisfied")  # the counter PC's second screen: sent without the clerk's session
    with pytest.raises(InvalidTransition):
        tablet.rate(1, question.id, "very_satisfied")  # one rating per service
    assert post_op(hub, "rating_question", {"counter_no": 1}, machine="kiosk").status_code == 403
