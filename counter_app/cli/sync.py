"""`counter-app sync …`: one sync round now, the sync state, and re-sending an op the city refused.

Part of the composition root: it builds the `sync` package's client and scheduler from the settings.
"""

from __future__ import annotations

import argparse
from datetime import time
from typing import TYPE_CHECKING

from counter_app.accounts import SYSTEM
from counter_app.errors import ConfigError
from counter_app.local.office import LocalOffice
from counter_app.rules.display import fmt_datetime
from counter_app.settings import Settings
from counter_app.store import Store

if TYPE_CHECKING:
    from counter_app.dossiers.recovery import RecoveryReport
    from sync.client import SyncClient
    from sync.scheduler import SyncScheduler


def add_parser(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser("sync", help="sync with the city centre (settings city_url and city_token)")
    acts = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    acts.add_parser("now", help="push what waits and pull what the city decided, once")
    acts.add_parser("status", help="last success, ops waiting, ops the city refused")
    acts.add_parser("recover", help="after a restore: fetch back from the city what came after the backup")
    acts.add_parser("resend", help="send a refused op again once its cause is fixed").add_argument("op_id")


def client(settings: Settings, office: LocalOffice) -> SyncClient:
    return client_for(settings, office.store)


def client_for(settings: Settings, store: Store) -> SyncClient:
    import httpx

    from sync.client import SyncClient

    if not settings.city_url or not settings.city_token:
        raise ConfigError("city_url or city_token not set",
                          "Chưa cài đặt địa chỉ máy chủ thành phố (city_url) và chứng thư (city_token).")
    http = httpx.Client(base_url=settings.city_url, timeout=30,
                        headers={"Authorization": f"Bearer {settings.city_token}"})
    return SyncClient(store, http)


def scheduler(settings: Settings, office: LocalOffice) -> SyncScheduler | None:
    """The background sync of an embedded or LAN hub, or None when this office has no city address."""
    if not settings.city_url:
        return None
    from sync.scheduler import SyncScheduler

    return SyncScheduler(office, client(settings, office), nightly=time(settings.sync_hour, 0))


def run(settings: Settings, args: argparse.Namespace, office: LocalOffice) -> int:
    if args.sync_command == "resend":
        office.resend_op(args.op_id, actor=SYSTEM)
        print(f"{args.op_id} will be sent again")
        return 0
    if args.sync_command == "recover":
        print_recovery(client(settings, office).recover())
        return 0
    if args.sync_command == "now":
        report = client(settings, office).round()
        print(f"pushed {report.pushed} ops ({report.acked} stored, {report.rejected} refused), "
              f"pulled {report.pulled} changes")
    status = office.sync_status()
    error = f"; last error: {status.last_error_vi}" if status.failures else ""
    print(f"last success: {fmt_datetime(status.last_success_at) or 'never'}; waiting: {status.pending}; "
          f"failures in a row: {status.failures}{error}")
    if status.clock_skew_s is not None and abs(status.clock_skew_s) > 300:
        print(f"this PC's clock is {status.clock_skew_s:+d} s off the city's: set it right")
    for op in status.rejected:
        print(f"  refused {op.op_id} {op.dossier_code} {op.kind}: {op.reason} ({op.reason_vi})")
    return 0


def print_recovery(report: RecoveryReport) -> None:
    print(f"recovered from the city: {report.replayed} changes made again, {report.changes} city decisions applied, "
          f"{report.known} already here, {report.skipped} skipped (see the log); "
          f"{report.superseded} chain heads of the lost log set aside at the city")
