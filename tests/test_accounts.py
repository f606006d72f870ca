"""Staff accounts: argon2 hashes, sign-in throttling, sessions bound to a counter and a day, roles in the services."""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_app.accounts import SYSTEM
from counter_app.cli.main import main
from counter_app.dossiers import catalog
from counter_app.errors import Forbidden, InvalidInput, SessionElsewhere, SignInFailed
from counter_app.rules.clock import TZ
from counter_app.rules.throttle import FREE_TRIES
from counter_app.rules.workcal import OfficeHours, session_end
from counter_app.store.models import Account, ClerkSession, Event
from counter_app.views.accounts import AccountIn, Role
from counter_app.views.printing import PrinterConfig, PrintSettings
from tests.conftest import STAFF_PASSWORD, make_form


def test_sign_in_binds_the_clerk_to_a_counter_and_is_recorded(office):
    session = office.sign_in("CanBo1 ", STAFF_PASSWORD, counter_no=3)
    assert (session.username, session.full_name, session.role, session.counter_no) == (
        "canbo1", "Nguyễn Thị Lan", Role.CLERK, 3)
    assert office.session(session.token).counter_no == 3
    with office.store.read() as s:
        stored = s.exec(select(ClerkSession)).one()
        account = s.exec(select(Account).where(Account.username == "canbo1")).one()
        event = s.exec(select(Event).order_by(col(Event.seq).desc())).first()
    assert stored.token_hash != session.token and len(stored.token_hash) == 64  # only the hash is kept
    assert account.password_hash.startswith("$argon2id$") and STAFF_PASSWORD not in account.password_hash
    assert (event.kind, event.actor, event.details) == ("account.signed_in", "canbo1", {"counter": 3})

    office.sign_out(session.token)
    with pytest.raises(SignInFailed) as err:
        office.session(session.token)
    assert "đăng nhập lại" in err.value.message_vi


def test_wrong_password_and_unknown_name_get_the_same_message(office):
    with pytest.raises(SignInFailed) as wrong:
        office.sign_in("canbo1", "sai-mat-khau")
    with pytest.raises(SignInFailed) as unknown:
        office.sign_in("khongco", "sai-mat-khau")
    assert wrong.value.message_vi == unknown.value.message_vi == "Sai tên đăng nhập hoặc mật khẩu."


def test_failures_slow_that_name_at_that_machine_only_and_never_lock_the_account(office, clock):
    for _ in range(FREE_TRIES):
        with pytest.raises(SignInFailed):
            office.sign_in("canbo2", "doan-thu", machine="quay-9")
    with pytest.raises(SignInFailed) as slowed:  # even the right password waits now, at that machine
        office.sign_in("canbo2", STAFF_PASSWORD, machine="quay-9")
    assert "thử lại sau 5 giây" in slowed.value.message_vi
    assert office.sign_in("canbo2", STAFF_PASSWORD, machine="quay-2").username == "canbo2"  # at their own PC
    assert not any(a.locked_until for a in office.accounts())
    clock.at += timedelta(seconds=5)
    with pytest.raises(SignInFailed):
        office.sign_in("canbo2", "doan-lan-nua", machine="quay-9")
    with pytest.raises(SignInFailed) as longer:
        office.sign_in("canbo2", STAFF_PASSWORD, machine="quay-9")
    assert "10 giây" in longer.value.message_vi  # each failure doubles the wait
    for _ in range(FREE_TRIES):  # a name that is no account is slowed just the same
        with pytest.raises(SignInFailed):
            office.sign_in("khongco", "doan-thu", machine="quay-9")
    with pytest.raises(SignInFailed) as unknown_slowed:
        office.sign_in("khongco", "doan-thu", machine="quay-9")
    assert "thử lại sau 5 giây" in unknown_slowed.value.message_vi
    clock.at += timedelta(seconds=10)
    with pytest.raises(SessionElsewhere):  # the right password, and canbo2 is still signed in at quay-2
        office.sign_in("canbo2", STAFF_PASSWORD, machine="quay-9")
    assert office.sign_in("canbo2", STAFF_PASSWORD, machine="quay-9", replace=True).username == "canbo2"


def test_wrong_name_wrong_password_disabled_and_locked_look_alike(office, clock):
    office.save_account(AccountIn(username="canbo1", full_name="Nguyễn Thị Lan", active=False), actor="admin")
    with office.store.write() as s:
        account = s.exec(select(Account).where(Account.username == "truongbp")).one()
        account.locked_until = clock.at + timedelta(hours=1)  # a lock written by an older release
        s.add(account)
    cases = {"unknown": ("khongco", STAFF_PASSWORD), "wrong": ("canbo2", "sai-mat-khau"),
             "disabled": ("canbo1", STAFF_PASSWORD), "locked": ("truongbp", STAFF_PASSWORD)}
    times: dict[str, list[float]] = {case: [] for case in cases}
    for round_no in range(12):
        for case, (name, password) in cases.items():
            started = time.perf_counter()
            with pytest.raises(SignInFailed) as refused:
                office.sign_in(name, password, machine=f"quay-{round_no}")  # a machine each round: no waits
            times[case].append(time.perf_counter() - started)
            assert refused.value.message_vi == "Sai tên đăng nhập hoặc mật khẩu."
            assert str(refused.value) == "sign-in refused"
    medians = {case: statistics.median(t) for case, t in times.items()}
    assert max(medians.values()) < 1.5 * min(medians.values()), medians  # one argon2 check each, nothing written


def test_an_administrator_unlocks_and_disables(office, clock):
    for _ in range(FREE_TRIES + 1):
        with pytest.raises(SignInFailed):
            office.sign_in("canbo2", "doan-thu")
    office.save_account(AccountIn(username="canbo2", full_name="Trần Văn Minh"), actor="admin", unlock=True)
    token = office.sign_in("canbo2", STAFF_PASSWORD).token

    office.save_account(AccountIn(username="canbo2", full_name="Trần Văn Minh", active=False), actor="admin")
    with pytest.raises(SignInFailed) as disabled:
        office.sign_in("canbo2", STAFF_PASSWORD)
    assert disabled.value.message_vi == "Sai tên đăng nhập hoặc mật khẩu."
    with pytest.raises(SignInFailed):  # an open session of a disabled account ends at once
        office.session(token)
    office.save_account(AccountIn(username="canbo2", full_name="Trần Văn Minh", active=True), actor="admin")
    with pytest.raises(SignInFailed):  # and does not come back when the account is enabled again
        office.session(token)


def test_a_clerk_cannot_change_catalog_printers_settings_or_accounts(office, tmp_path: Path):
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(catalog.bundled_catalog().model_dump_json(), encoding="utf-8")
    refused = [
        lambda: office.import_catalog(catalog_file, actor="canbo1"),
        lambda: office.save_printer(PrinterConfig(name="Vé", kind="thermal", purposes=["ticket"]), actor="canbo1"),
        lambda: office.remove_printer("Vé", actor="canbo1"),
        lambda: office.save_print_settings(PrintSettings(receipt_copies=1), actor="canbo1"),
        lambda: office.save_account(AccountIn(username="canbo1", full_name="X", role=Role.ADMINISTRATOR,
                                              password="mat-khau-moi"), actor="canbo1"),
        lambda: office.close_queue_day(actor="canbo1"),
        lambda: office.save_printer(PrinterConfig(name="Vé", kind="thermal"), actor="someone-unknown"),
    ]
    for attempt in refused:
        with pytest.raises(Forbidden) as err:
            attempt()
        assert "không có quyền" in err.value.message_vi
    assert office.printers() == [] and office.print_settings().receipt_copies == 2
    assert {a.username: a.role for a in office.accounts()}["canbo1"] is Role.CLERK


def test_stopping_a_dossier_needs_a_supervisor(office):
    code = office.receive(make_form(), actor="canbo1").code
    with pytest.raises(Forbidden):
        office.stop(code, reason="Công dân không bổ sung", actor="canbo1")
    assert office.dossier(code).status == 2
    assert office.stop(code, reason="Công dân không bổ sung", actor="truongbp").status == 8
    assert office.dossier(code).events[-1].actor == "truongbp"


def test_administrator_creates_accounts_with_checked_names_and_passwords(office):
    created = office.save_account(AccountIn(username="Canbo5", full_name="  Vũ   Thị  Hoa ", role=Role.CLERK,
                                            password="hoa-2026-mk"), actor="admin")
    assert (created.username, created.full_name) == ("canbo5", "Vũ Thị Hoa")
    assert office.sign_in("canbo5", "hoa-2026-mk").full_name == "Vũ Thị Hoa"
    with pytest.raises(InvalidInput) as short:
        office.save_account(AccountIn(username="canbo6", full_name="A", password="ngan"), actor="admin")
    assert "ít nhất 8 ký tự" in short.value.message_vi
    with pytest.raises(InvalidInput):
        AccountIn(username="cán bộ", full_name="A")
    with pytest.raises(InvalidInput):
        office.save_account(AccountIn(username=SYSTEM, full_name="Hệ thống", password="12345678"), actor="admin")
    with pytest.raises(InvalidInput):  # an administrator cannot lock themself out
        office.save_account(AccountIn(username="admin", full_name="Quản Trị Viên", role=Role.CLERK), actor="admin")


def test_accounts_command_adds_and_lists(tmp_path, capsys, monkeypatch):
    import io

    db = str(tmp_path / "o.sqlite3")
    assert main(["--db", db, "office", "setup", "--ward", "73", "--agency-code", "000.00.73.H26"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-tot\n"))
    assert main(["--db", db, "accounts", "add", "totruong", "--name", "Phạm Quang Huy",
                 "--role", "supervisor", "--password-stdin"]) == 0
    assert main(["--db", db, "accounts", "disable", "totruong"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "accounts", "list"]) == 0
    assert "totruong         supervisor     Phạm Quang Huy (khóa)" in capsys.readouterr().out


def test_a_session_ends_with_its_working_day(office, clock):
    token = office.sign_in("canbo1", STAFF_PASSWORD, counter_no=1).token  # Monday 9:30; the office closes at 17:00
    clock.at = clock.at.replace(hour=18, minute=59)
    assert office.session(token).username == "canbo1"  # finishing the last dossiers after closing
    clock.at = clock.at.replace(hour=19, minute=0)
    with pytest.raises(SignInFailed):
        office.session(token)
    late = office.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)  # overtime: two hours from now, not past midnight
    clock.at = clock.at.replace(hour=20, minute=59)
    assert office.session(late.token).username == "canbo1"
    clock.at = clock.at.replace(hour=21, minute=0)
    with pytest.raises(SignInFailed):
        office.session(late.token)


def test_session_end_rules():
    hours = OfficeHours.default()
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=TZ)
    assert session_end(monday, hours) == monday.replace(hour=19, minute=0)
    assert session_end(monday.replace(hour=23), hours) == datetime(2026, 11, 24, 0, 0, tzinfo=TZ)
    saturday = datetime(2026, 11, 28, 8, 0, tzinfo=TZ)  # a make-up working day with no set hours
    assert session_end(saturday, hours) == datetime(2026, 11, 29, 0, 0, tzinfo=TZ)


def test_one_clerk_one_session(office):
    at_three = office.sign_in("canbo1", STAFF_PASSWORD, counter_no=3, machine="quay-3")
    again = office.sign_in("canbo1", STAFF_PASSWORD, counter_no=3, machine="quay-3")  # the screen was locked
    with pytest.raises(SignInFailed):
        office.session(at_three.token)  # the same machine: the earlier session ends by itself
    with pytest.raises(SessionElsewhere) as elsewhere:
        office.sign_in("canbo1", STAFF_PASSWORD, counter_no=5, machine="quay-5")
    assert "quầy 3" in elsewhere.value.message_vi
    assert office.session(again.token).counter_no == 3  # nothing ended until the clerk confirms
    with pytest.raises(SignInFailed) as wrong:
        office.sign_in("canbo1", "sai-mat-khau", counter_no=5, machine="quay-5")
    assert wrong.value.message_vi == "Sai tên đăng nhập hoặc mật khẩu."  # where one is signed in, only for the clerk
    moved = office.sign_in("canbo1", STAFF_PASSWORD, counter_no=5, machine="quay-5", replace=True)
    with pytest.raises(SignInFailed):
        office.session(again.token)
    assert office.session(moved.token).counter_no == 5
