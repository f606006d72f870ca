"""`counter-app secret set NAME`: keep this PC's machine token or the office's city token out of settings.toml."""

from __future__ import annotations

import argparse
import getpass
import sys

from counter_app.secrets_store import NAMES, set_secret
from counter_app.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("secret", help="keep a token in the OS credential store (or an owner-only file)")
    acts = parser.add_subparsers(dest="secret_command", metavar="ACTION", required=True)
    put = acts.add_parser("set", help="read the token (without echo, or from standard input) and keep it")
    put.add_argument("name", choices=NAMES)


def run(settings: Settings, args: argparse.Namespace) -> int:
    value = (getpass.getpass(f"{args.name}: ") if sys.stdin.isatty() else sys.stdin.readline()).strip()
    where = set_secret(args.name, value, settings.secrets_file)
    print(f"{args.name} kept in {where}")
    return 0
