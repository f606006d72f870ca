"""`counter-app city-server` and `counter-app city …`: run the city centre and do what its operators do.

Part of the composition root (it starts the `sync` package's server). The database URL is
`--db-url` or the `COUNTER_CITY_DB_URL` environment variable (PostgreSQL; SQLite for development).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from counter_app.errors import ConfigError
from counter_app.rules.clock import now

DB_URL_ENV = "COUNTER_CITY_DB_URL"


def add_parsers(sub: argparse._SubParsersAction) -> None:
    server = sub.add_parser("city-server", help="run the city centre's sync server (FastAPI)")
    server.add_argument("--db-url", help=f"database URL (default ${DB_URL_ENV})")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8800)
    server.add_argument("--workers", type=int, default=1)
    server.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                        help="the load balancers whose X-Forwarded-For names the client (the lookup page's "
                             "throttle counts per client address); default: one on this host")

    city = sub.add_parser("city", help="the city centre operator's commands")
    city.add_argument("--db-url", help=f"database URL (default ${DB_URL_ENV})")
    acts = city.add_subparsers(dest="city_command", metavar="ACTION", required=True)
    create = acts.add_parser("credential", help="issue a credential (prints its token once)")
    create.add_argument("agency", help='the office\'s agency code, or "*" for an operator')
    create.add_argument("--operator", action="store_true", help="an operator's credential (city-side actions)")
    create.add_argument("--label", default="")
    acts.add_parser("revoke", help="revoke every credential of an office").add_argument("agency")
    act = acts.add_parser("act", help="a department acts on a dossier (the change flows down to its hub)")
    act.add_argument("code")
    act.add_argument("action", choices=("start_processing", "request_supplement", "result_ready", "stop"))
    act.add_argument("--reason", default="")
    act.add_argument("--result", action="append", default=[], help="a result document (repeat)")
    act.add_argument("--actor", default="city operator")
    acts.add_parser("publish-catalog", help="publish a procedure catalog (JSON) to every hub").add_argument(
        "file", type=Path)
    acts.add_parser("export", help="dossiers in the national portal's record shape (JSON)").add_argument(
        "--agency", default="")
    person = acts.add_parser("operator", help="add (or --disable) a person who signs in to the live view; the "
                                              "password is asked for, or read from standard input")
    person.add_argument("login")
    person.add_argument("--name", default="", help="full name, shown on the page")
    person.add_argument("--role", choices=("city", "point"), default="city",
                        help="city: every point; point: a point's leader, only --agency")
    person.add_argument("--agency", default="", help="the point's agency code (a point leader)")
    person.add_argument("--disable", action="store_true", help="disable the account and end its sessions")
    check = acts.add_parser("check-log", help="check an office's store (or a restored backup of it) against the "
                                              "chain heads the city keeps; exit 1 if it does not match")
    check.add_argument("agency")
    check.add_argument("store", type=Path, help="the office's store file (opened read-only, never upgraded)")


def _url(args: argparse.Namespace) -> str:
    url = args.db_url or os.environ.get(DB_URL_ENV, "")
    if not url:
        raise ConfigError("no city database URL", f"Cần địa chỉ cơ sở dữ liệu thành phố (--db-url hoặc {DB_URL_ENV}).")
    return url


def run_server(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.server.db import make_engine, migrate

    url = _url(args)
    migrate(make_engine(url))
    os.environ[DB_URL_ENV] = url
    uvicorn.run("sync.server.main:build", factory=True, host=args.host, port=args.port, workers=args.workers,
                proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips,
                log_config=None)  # each worker logs through the redacting formatter (sync.server.main)
    return 0


def check_log(engine: object, agency: str, path: Path) -> int:
    """What `verify-log` does at the office, done by the city's operator with a copy of its store."""
    from sqlalchemy.orm import Session

    from counter_app import audit
    from counter_app.store import Store
    from sync.server import crud

    with Session(engine) as s:
        heads = crud.anchored_heads(s, agency, 0, 2**31)
        restores = crud.restores(s, agency)
    store = Store.open(path, upgrade=False, backup_before_upgrade=False)
    try:
        with store.read() as s:
            chain = audit.verify_chain(s)
            anchored = audit.check_anchors(s, [audit.Anchor(h.seq, bytes.fromhex(h.hash), h.received_at)
                                               for h in heads])
    finally:
        store.close()
    print(f"{path}: event chain {'intact' if chain.ok else f'BROKEN at event {chain.broken_seq}: {chain.reason}'} "
          f"({chain.checked} events)")
    for restored_at, head_seq, superseded in restores:
        print(f"restored a backup ending at event {head_seq} on {restored_at:%d/%m/%Y %H:%M}: {superseded} heads "
              "of the log before it set aside")
    if anchored.ok:
        print(f"matches the {anchored.checked} heads of office {agency}'s log the city keeps")
    else:
        print(f"does NOT match what office {agency} told the city: {anchored.reason}")
    return 0 if chain.ok and anchored.ok else 1


def _password() -> str:
    import getpass
    import sys

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ConfigError("passwords differ", "Hai lần nhập mật khẩu không khớp.")
    return first


def _operator(session: object, args: argparse.Namespace) -> int:
    from sync.server import operators

    if args.disable:
        found = operators.disable(session, args.login, now())
        print(f"operator {args.login} disabled" if found else f"no operator {args.login}")
        return 0 if found else 1
    row = operators.add(session, login=args.login, full_name=args.name, role=args.role, agency_code=args.agency,
                        password=_password(), at=now())
    print(f"operator {row.login} ({row.role}{' ' + row.agency_code if row.agency_code else ''}) added")
    return 0


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from sync.server import crud, export
    from sync.server.db import make_engine, migrate

    engine = make_engine(_url(args))
    migrate(engine)
    if args.city_command == "check-log":
        return check_log(engine, args.agency, args.store)
    with Session(engine) as s, s.begin():
        if args.city_command == "credential":
            role = "admin" if args.operator else "hub"
            print(crud.create_credential(s, agency_code=args.agency, role=role, label=args.label, at=now()))
        elif args.city_command == "revoke":
            print(f"revoked {crud.revoke_credentials(s, agency_code=args.agency, at=now())} credentials")
        elif args.city_command == "act":
            d = crud.city_action(s, args.code, args.action, at=now(), actor=args.actor, reason=args.reason,
                                 results=args.result)
            print(f"{d.code}: status {d.status}")
        elif args.city_command == "operator":
            return _operator(s, args)
        elif args.city_command == "publish-catalog":
            body = json.loads(args.file.read_text(encoding="utf-8"))
            crud.publish_catalog(s, str(body["version"]), body, now())
            print(f"published catalog {body['version']}")
        else:
            print(json.dumps(export.national_records(s, agency_code=args.agency), ensure_ascii=False, indent=1))
    return 0
