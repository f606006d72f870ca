"""`counter-app accounts …`: the office operator's staff accounts (list, add, change, lock, unlock).

Runs as the office operator (`accounts.SYSTEM`) on the hub PC. Passwords are asked without echo, or
read from standard input with `--password-stdin` for scripted set-ups.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from counter_app.accounts import SYSTEM
from counter_app.errors import InvalidInput, NotFound
from counter_app.local.office import LocalOffice
from counter_app.rules.display import fmt_datetime
from counter_app.store import Store
from counter_app.views.accounts import AccountIn, Role


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("accounts", help="staff accounts: clerks, supervisors, administrators")
    acts = parser.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)
    acts.add_parser("list", help="accounts with their role and state")
    add = acts.add_parser("add", help="add an account or change one (name, role, password)")
    add.add_argument("username")
    add.add_argument("--name", help="full name (required for a new account)")
    add.add_argument("--role", choices=[r.value for r in Role], help="default: clerk for a new account")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--keep-password", action="store_true", help="change name or role only")
    for action, text in (("disable", "refuse sign-in to an account"), ("enable", "allow sign-in again"),
                         ("unlock", "lift a lock an older release set after wrong passwords")):
        acts.add_parser(action, help=text).add_argument("username")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu mới: ")
    if first != getpass.getpass("Nhập lại mật khẩu: "):
        raise InvalidInput("passwords differ", "Hai lần nhập mật khẩu không giống nhau.")
    return first


def run(args: argparse.Namespace, store: Store) -> int:
    office = LocalOffice(store)
    known = {a.username: a for a in office.accounts()}
    if args.accounts_command == "list":
        for a in known.values():
            state = "" if a.active else " (khóa)"
            if a.locked_until is not None:
                state += f" (tạm khóa đến {fmt_datetime(a.locked_until)})"
            print(f"{a.username:16} {a.role.value:14} {a.full_name}{state}")
        return 0
    username = args.username.strip().lower()
    current = known.get(username)
    if args.accounts_command == "add":
        name = args.name or (current.full_name if current else "")
        role = Role(args.role) if args.role else (current.role if current else Role.CLERK)
        password = "" if args.keep_password and current else _password(args)
        value = AccountIn(username=username, full_name=name, role=role, password=password,
                          active=current.active if current else True)
        saved = office.save_account(value, actor=SYSTEM)
        print(f"{saved.username}: {saved.role.label_vi}, {saved.full_name}")
        return 0
    if current is None:
        raise NotFound(f"no account {username!r}", f"Không có tài khoản “{username}”.")
    active = args.accounts_command != "disable"
    office.save_account(AccountIn(username=username, full_name=current.full_name, role=current.role,
                                  active=active), actor=SYSTEM, unlock=args.accounts_command == "unlock")
    print(f"{username}: {'đã mở' if active else 'đã khóa'}")
    return 0
