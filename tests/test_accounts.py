"""Staff accounts: argon2 hashes, lock-out, sessions bound to a counter, and roles enforced by the services."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_app.accounts import MAX_FAILED, SYSTEM
from counter_app.cli.main import main
from counter_app.dossiers import catalog
from counter_app.errors import Forbidden, InvalidInput, SignInFailed
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


def test_failed_attempts_lock_the_account_for_a_while(office, clock):
    for _ in range(MAX_FAILED):
        with pytest.raises(SignInFailed):
            office.sign_in("canbo2", "doan-thu")
    with pytest.raises(SignInFailed) as locked:  # even the right password is refused now
        office.sign_in("canbo2", STAFF_PASSWORD)
    assert "tạm khóa" in locked.value.message_vi and "15 phút" in locked.value.message_vi
    assert any(a.username == "canbo2" and a.locked_until for a in office.accounts())

    clock.at += timedelta(minutes=16)
    assert office.sign_in("canbo2", STAFF_PASSWORD).username == "canbo2"


def test_an_administrator_unlocks_and_disables(office):
    for _ in range(MAX_FAILED):
        with pytest.raises(SignInFailed):
            office.sign_in("canbo2", "doan-thu")
    office.save_account(AccountIn(username="canbo2", full_name="Trần Văn Minh"), actor="admin", unlock=True)
    token = office.sign_in("canbo2", STAFF_PASSWORD).token

    office.save_account(AccountIn(username="canbo2", full_name="Trần Văn Minh", active=False), actor="admin")
    with pytest.raises(SignInFailed) as disabled:
        office.sign_in("canbo2", STAFF_PASSWORD)
    assert "đã bị khóa" in disabled.value.message_vi
    with pytest.raises(SignInFailed):  # an open session of a disabled account ends at once
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
