"""`counter-app`: the composition root. It opens the store and wires screens, printers and sync.

The only module of the core allowed to import `ui` (lazily, for the GUI command).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path

from counter_app import office_setup
from counter_app.accounts import SYSTEM
from counter_app.cli import accounts as cli_accounts
from counter_app.cli import backup as cli_backup
from counter_app.cli import city as cli_city
from counter_app.cli import diagnose as cli_diagnose
from counter_app.cli import hub as cli_hub
from counter_app.cli import join as cli_join
from counter_app.cli import printers as cli_printers
from counter_app.cli import report as cli_report
from counter_app.cli import secret as cli_secret
from counter_app.cli import sync as cli_sync
from counter_app.cli.logfiles import add_file_log
from counter_app.dossiers import catalog
from counter_app.errors import ConfigError, InvalidInput, OfficeError, StoreDamaged
from counter_app.office import Office
from counter_app.rules.clock import TZ, aware, now
from counter_app.rules.redact import configure_logging
from counter_app.rules.workcal import OfficeHours
from counter_app.settings import Settings, load_settings
from counter_app.store import Store
from counter_app.store.check import damaged

log = logging.getLogger("counter_app")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="counter-app", description="One-stop counter application (office core).")
    p.add_argument("--db", type=Path, help="office database file (overrides settings and COUNTER_APP_DB)")
    p.add_argument("--settings", type=Path, help="settings.toml to read")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="start the clerk application (the default)")
    gui.add_argument("--counter", type=int, help="the counter this PC serves (default from settings, 1)")
    gui.add_argument("--clerk", help="user name to fill in at sign-in (default from settings)")
    gui.add_argument("--board", action="store_true", help="also show the hall board (on the last monitor)")
    gui.add_argument("--no-queue", action="store_true", help="no queue panel (a back-office PC)")
    gui.add_argument("--rating-screen", action="store_true",
                     help="the citizen's rating screen for this counter on the last monitor (a screen facing them)")

    sub.add_parser("kiosk", help="start the ticket kiosk (full screen; staff close it with Ctrl+Shift+Q)")
    board = sub.add_parser("board", help="start the hall board with its voice (full screen; Ctrl+Shift+Q)")
    board.add_argument("--screen", type=int, help="monitor index (default from settings, else the last)")
    rating = sub.add_parser("rating", help="the citizen's rating screen facing one counter (full screen)")
    rating.add_argument("--counter", type=int, required=True, help="the counter it faces")
    rating.add_argument("--screen", type=int, help="monitor index (default: the last, beside the clerk's)")

    queue = sub.add_parser("queue", help="the day's queue")
    queue_sub = queue.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    queue_sub.add_parser("status", help="waiting per lane and the latest calls")
    queue_sub.add_parser("report", help="today's tickets with wait, walk and service times")
    queue_sub.add_parser("close-day", help="close today's open tickets as not served")
    conf = queue_sub.add_parser("settings", help="show or change the queue settings")
    conf.add_argument("--priority-streak-max", type=int, help="priority calls in a row before an overdue ordinary")
    conf.add_argument("--ordinary-wait-max-min", type=int, help="minutes after which an ordinary ticket is overdue")
    conf.add_argument("--recalls-before-no-show", type=int, help="recalls needed before marking a no-show")
    conf.add_argument("--default-service-min", type=float, help="service minutes assumed before any is measured")
    fields = queue_sub.add_parser("lane-fields", help="list the lanes and what they take, or give procedure "
                                                      "fields to a lane (the kiosk and reception follow)")
    fields.add_argument("lane", nargs="?", help="a lane's prefix, e.g. C")
    fields.add_argument("fields", nargs="*", help="procedure fields as the catalog names them")
    lanes = queue_sub.add_parser("counter-lanes", help="set the ordered lanes a counter serves")
    lanes.add_argument("counter", type=int)
    lanes.add_argument("lanes", help="lane prefixes in order, e.g. A,B")

    demo = sub.add_parser("demo", help="create the demo office (Phường Cửa Nam) with catalog and dossiers")
    demo.add_argument("--if-empty", action="store_true", help="do nothing if the store already has an office")
    demo.add_argument("--days", type=int, default=28, help="weeks of history to make, in days (default 28)")

    sub.add_parser("verify-log", help="verify the hash chain of the event log; exit 1 if broken")
    register = sub.add_parser("register", help="the dossier register (sổ theo dõi hồ sơ) of a period, as a PDF")
    register.add_argument("--from", dest="date_from", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    register.add_argument("--to", dest="date_to", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    register.add_argument("--out", type=Path, help="the PDF to write (default: so-theo-doi-FROM-TO.pdf here)")

    cli_report.add_parser(sub)

    cat = sub.add_parser("catalog", help="procedure catalog")
    cat_sub = cat.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    imp = cat_sub.add_parser("import", help="import a newer catalog file (JSON)")
    imp.add_argument("file", type=Path)
    cat_sub.add_parser("list", help="list the active procedures")

    office = sub.add_parser("office", help="the office's identity and calendar")
    office_sub = office.add_subparsers(dest="office_command", metavar="ACTION", required=True)
    setup = office_sub.add_parser("setup", help="set the ward and agency code (and load the bundled catalog)")
    setup.add_argument("--ward", type=int, required=True, help="ward/commune code from vietnam-provinces")
    setup.add_argument("--agency-code", required=True, help="mã định danh, e.g. 000.17.22.H56")
    setup.add_argument("--name", default="", help="name as printed on slips")
    setup.add_argument("--address", default="")
    setup.add_argument("--phone", default="")
    setup.add_argument("--email", default="")
    setup.add_argument("--counters", type=int, default=None,
                       help="counters 1..N (3 for a new office); on an existing office adds the missing ones")
    setup.add_argument("--saturday-morning", action="store_true", help="open 08:00-12:00 on Saturdays")
    office_sub.add_parser("show", help="print the office's identity")
    cal = office_sub.add_parser("calendar", help="add an office day off or make-up working day")
    cal.add_argument("day", type=date.fromisoformat, help="YYYY-MM-DD")
    cal.add_argument("kind", choices=("off", "work", "national"), help="national = remove the exception")
    cal.add_argument("--note", default="")

    cli_printers.add_parser(sub)
    cli_accounts.add_parser(sub)
    cli_city.add_parsers(sub)
    cli_sync.add_parser(sub)
    cli_hub.add_parsers(sub)
    cli_secret.add_parser(sub)
    cli_join.add_parser(sub)
    cli_backup.add_parsers(sub)
    cli_diagnose.add_parser(sub)

    due = sub.add_parser("due", help="compute the appointment time of a procedure")
    due.add_argument("procedure", help="catalog key or national code")
    due.add_argument("--at", type=datetime.fromisoformat, help="received at (ISO, default now)")
    _share_global_options(p)
    return p


def _share_global_options(parser: argparse.ArgumentParser) -> None:
    """`--db`, `--settings` and `-v` are taken after the command too (`counter-app demo --db X`), at every level.

    Given there, they win over the same option given before the command; not given, they leave it alone.
    """
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in action.choices.values():
            sub.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="office database file")
            sub.add_argument("--settings", type=Path, default=argparse.SUPPRESS, help="settings.toml to read")
            sub.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                             help="log debug details")
            _share_global_options(sub)


def _open(settings: Settings, *, check_later: bool = False) -> Store:
    """The office's store; with `check_later` its `quick_check` runs while the first window shows
    (writes wait for it): the screens' commands, where a 2 GB file must not hold the window back."""
    log.info("office store: %s", settings.db_path)

    def naming_backup(exc: StoreDamaged) -> StoreDamaged:  # name the backup to restore, read from their headers
        from counter_app.backups.service import list_backups

        backups = list_backups(settings.backup_folders)
        newest = f"{backups[0].path} ({backups[0].made_at:%d/%m/%Y %H:%M})" if backups else ""
        return damaged(str(exc), newest)

    try:
        return Store.open(settings.db_path, before_upgrade=cli_backup.before_upgrade(settings),
                          check="later" if check_later else True, on_damaged=naming_backup)
    except StoreDamaged as exc:
        raise naming_backup(exc) from None


def _office(settings: Settings, *, check_later: bool = False) -> Office:
    """The office this PC works at: the hub at `hub_url` over the LAN, or the embedded one-PC hub."""
    if settings.hub_url:
        from counter_app.lan.office import LanOffice

        if not settings.machine_token:
            raise ConfigError("hub_url set without machine_token",
                              "Chưa có mã máy (machine_token) để kết nối máy chủ văn phòng; xin quản trị cấp mã "
                              "bằng lệnh “counter-app machines add” trên máy chủ.")
        log.info("working at the office hub %s", settings.hub_url)
        return LanOffice(settings.hub_url, settings.machine_token, fingerprint=settings.hub_fingerprint)
    from counter_app.local.office import LocalOffice

    office = LocalOffice(_open(settings, check_later=check_later))
    office.lan_address = partial(cli_hub.lan_address, settings)  # the hub PC's administrator registers PCs here
    return office


def _local_office(settings: Settings) -> Office:
    """The office in this process, over the store file (commands run on the office's own PC)."""
    from counter_app.local.office import LocalOffice

    return LocalOffice(_open(settings))


def _spool_printers(settings: Settings) -> list[str] | None:
    """What this PC's spool prints: every printer when it is the hub, else only those wired to it."""
    if not settings.hub_url:
        return list(settings.local_printers) or None
    return list(settings.local_printers)


def _cmd_gui(settings: Settings, args: argparse.Namespace) -> int:
    from counter_app.local.office import LocalOffice
    from ui.desk.app import run_clerk_app  # composition root: the one place the core reaches the screens

    office = _office(settings, check_later=True)
    make_board = None
    if args.board:
        from ui.hall.announcer import Announcer
        from ui.hall.board import BoardWindow, place_on_screen
        from ui.hall.voice import SegmentLibrary

        def make_board() -> BoardWindow:  # called once the QApplication exists
            window = BoardWindow(office, announcer=Announcer(SegmentLibrary(settings.voice_dir)))
            place_on_screen(window, settings.board_screen)
            return window

    counter = None if args.no_queue else (args.counter or settings.counter)
    make_rating = None
    if args.rating_screen and counter is not None:
        from ui.hall.board import place_on_screen
        from ui.hall.rating_window import RatingWindow

        def make_rating() -> RatingWindow:
            window = RatingWindow(office, counter)
            place_on_screen(window, None)
            return window
    # The embedded hub syncs with the city itself; at a LAN hub, the hub does.
    sync = cli_sync.scheduler(settings, office) if isinstance(office, LocalOffice) else None
    if sync is not None:
        sync.start()
    backups = cli_backup.start_scheduler(settings, office) if isinstance(office, LocalOffice) else None
    printers = _spool_printers(settings)
    try:
        return run_clerk_app(office, counter_no=counter, username=args.clerk or settings.clerk, board=make_board,
                             rating=make_rating,
                             preview_dir=settings.preview_dir if printers != [] else None, printers=printers,
                             hub_url=settings.hub_url, idle_lock_minutes=settings.idle_lock_minutes)
    finally:
        if backups is not None:
            backups.stop()
        if sync is not None:
            sync.stop()


def _cmd_sync(settings: Settings, args: argparse.Namespace) -> int:
    from counter_app.local.office import LocalOffice

    return cli_sync.run(settings, args, LocalOffice(_open(settings)))


def _cmd_kiosk(settings: Settings, _args: argparse.Namespace) -> int:
    from ui.hall.kiosk import run_kiosk

    return run_kiosk(_office(settings, check_later=True), preview_dir=settings.preview_dir,
                     printers=_spool_printers(settings))


def _cmd_rating(settings: Settings, args: argparse.Namespace) -> int:
    from ui.hall.rating_window import run_rating

    return run_rating(_office(settings, check_later=True), args.counter, screen=args.screen)


def _cmd_board(settings: Settings, args: argparse.Namespace) -> int:
    from ui.hall.board import run_board

    screen = args.screen if args.screen is not None else settings.board_screen
    return run_board(_office(settings, check_later=True), voice_dir=settings.voice_dir, screen=screen)


def _cmd_queue(settings: Settings, args: argparse.Namespace) -> int:
    from counter_app.local.office import LocalOffice

    store = _open(settings)
    office = LocalOffice(store)
    if args.queue_command == "settings":
        from counter_app.queue import service as queue_service

        changes = {k: v for k, v in vars(args).items() if k in {
            "priority_streak_max", "ordinary_wait_max_min", "recalls_before_no_show", "default_service_min",
        } and v is not None}
        with store.write() as s:
            rules = (queue_service.configure(s, now(), SYSTEM, **changes) if changes
                     else queue_service.settings(s))
        for name, value in rules.model_dump().items():
            print(f"{name} = {value}")
        return 0
    if args.queue_command == "lane-fields":
        from counter_app.office_setup import lanes as office_lanes
        from counter_app.queue import service as queue_service

        with store.write() as s:
            if args.lane and args.fields:
                queue_service.set_lane_fields(s, now(), args.lane, args.fields, SYSTEM)
            for lane in office_lanes(s):
                print(f"{lane.prefix} {lane.name}: {'; '.join(lane.groups)}")
        return 0
    if args.queue_command == "counter-lanes":
        from counter_app.queue import service as queue_service

        with store.write() as s:
            counter = queue_service.set_counter_lanes(s, now(), args.counter, args.lanes.split(","), SYSTEM)
            print(f"counter {counter.number} serves {', '.join(counter.lanes)}")
        return 0
    if args.queue_command == "close-day":
        print(f"closed {office.close_queue_day(actor=SYSTEM)} open tickets")
        return 0
    if args.queue_command == "status":
        status = office.queue_status()
        print(f"queue of {status.day:%d/%m/%Y}: served {status.served_today}, no-show {status.no_show_today}")
        for lane in status.lanes:
            print(f"  {lane.prefix} {lane.name:22} waiting {lane.waiting:3} (priority {lane.priority_waiting}), "
                  f"{lane.open_counters} counters open, a new ticket waits {lane.estimate_last.label_vi}")
        for call in status.calls:
            print(f"  {call.at:%H:%M:%S} {call.label} -> counter {call.counter_no}{' (recall)' if call.recall else ''}")
        return 0
    for t in office.tickets_of_day():
        times = " ".join(f"{name}={value / 60:.1f}min" for name, value in
                         (("wait", t.wait_s), ("walk", t.walk_s), ("service", t.service_s)) if value is not None)
        print(f"{t.label:6} {t.state:10} counter {t.counter_no or '-':>2} {t.priority or '':10} {times}")
    return 0


def _cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from counter_app.demo import create_demo

    report = create_demo(_open(settings), days=args.days, if_empty=args.if_empty)
    if report.created:
        print(f"demo office created in {settings.db_path} with {report.dossiers} dossiers")
    else:
        print(f"{settings.db_path} already has an office; left as it is")
    return 0


def _cmd_register(settings: Settings, args: argparse.Namespace) -> int:
    """The register for a period written to a PDF file (the office's administrator prints or archives it)."""
    from counter_app.local.office import LocalOffice
    from printers.forms import records

    if args.date_to < args.date_from:
        raise InvalidInput("register: --to before --from", "Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    office = LocalOffice(_open(settings))
    entries = office.register_entries(args.date_from, args.date_to)
    out = args.out or Path(f"so-theo-doi-{args.date_from:%Y%m%d}-{args.date_to:%Y%m%d}.pdf")
    out.write_bytes(records.register(office.info(), entries, args.date_from, args.date_to,
                                     printed_on=now().astimezone(TZ).date()))
    out.chmod(0o600)  # it names citizens
    print(f"{out}: {len(entries)} dossiers from {args.date_from:%d/%m/%Y} to {args.date_to:%d/%m/%Y}")
    return 0


def _cmd_verify(settings: Settings, _args: argparse.Namespace) -> int:
    """The log's own chain, then (when the office syncs) the heads of it the city keeps."""
    from counter_app.audit import verify_chain

    store = _open(settings)
    with store.read() as s:
        report = verify_chain(s)
    if report.ok:
        print(f"event log intact: {report.checked} events")
    else:
        print(f"event log BROKEN at event {report.broken_seq}: {report.reason} "
              f"({report.checked} events before it intact)")
    if not settings.city_url:
        print("not compared with the city (no city_url): a log rewritten in full would not be seen here")
        return 0 if report.ok else 1
    from counter_app.local.office import LocalOffice
    from sync.client import SyncError

    try:
        anchored = cli_sync.client(settings, LocalOffice(store)).check_anchors()
    except SyncError as exc:
        print(f"could not compare with the city ({exc}); only this PC's log was checked")
        return 0 if report.ok else 1
    if anchored.ok:
        print(f"matches the {anchored.checked} heads of the log the city keeps")
    else:
        print(f"does NOT match what the city was told: {anchored.reason}")
    return 0 if report.ok and anchored.ok else 1


def _cmd_catalog(settings: Settings, args: argparse.Namespace) -> int:
    from counter_app.local.office import LocalOffice

    office = LocalOffice(_open(settings))
    if args.catalog_command == "import":
        version = office.import_catalog(args.file, actor=SYSTEM)
        print(f"catalog {version} imported and active")
        return 0
    for p in office.procedures():
        flag = " (chưa xác nhận: " + ", ".join(p.unconfirmed) + ")" if p.unconfirmed else ""
        print(f"{p.code or '-':9} {p.lane:20} {p.time_label:18} {p.name}{flag}")
    return 0


def _cmd_office(settings: Settings, args: argparse.Namespace) -> int:
    store = _open(settings)
    if args.office_command == "setup":
        with store.write() as s:
            office_setup.setup_office(
                s, ward_code=args.ward, agency_code=args.agency_code, actor=SYSTEM, name=args.name,
                address=args.address, phone=args.phone, email=args.email, counters=args.counters,
                hours=OfficeHours.default(saturday_morning=args.saturday_morning),
            )
            if catalog.active_version(s) is None:
                catalog.import_catalog(s, catalog.bundled_catalog(), actor=SYSTEM)
    elif args.office_command == "calendar":
        with store.write() as s:
            office_setup.get_office(s)
            office_setup.set_calendar_day(s, args.day, args.kind, args.note, actor=SYSTEM)
    from counter_app.local.office import LocalOffice

    info = LocalOffice(store).info()
    print(f"{info.name} — {info.ward_name}, {info.province_name} (mã {info.ward_code})")
    print(f"agency code {info.agency_code}; catalog {info.catalog_version}; {len(info.counters)} counters")
    return 0


def _cmd_due(settings: Settings, args: argparse.Namespace) -> int:
    from counter_app.local.office import LocalOffice

    office = LocalOffice(_open(settings))
    at = aware(args.at.replace(tzinfo=args.at.tzinfo or now().tzinfo)) if args.at else now()
    proc = office.procedure(args.procedure)
    print(f"{proc.name} ({proc.time_label}): received {at:%d/%m/%Y %H:%M}, due "
          f"{office.preview_due(args.procedure, at):%d/%m/%Y %H:%M}")
    return 0


def _cmd_printers(settings: Settings, args: argparse.Namespace) -> int:
    return cli_printers.run(settings, args, _open(settings))


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "gui": _cmd_gui, "kiosk": _cmd_kiosk, "board": _cmd_board, "rating": _cmd_rating, "queue": _cmd_queue,
    "demo": _cmd_demo,
    "verify-log": _cmd_verify, "register": _cmd_register,
    "report": lambda settings, args: cli_report.run(args, _local_office(settings)), "catalog": _cmd_catalog,
    "office": _cmd_office,
    "due": _cmd_due,
    "printers": _cmd_printers, "accounts": lambda settings, args: cli_accounts.run(args, _open(settings)),
    "city-server": lambda _settings, args: cli_city.run_server(args),
    "city": lambda _settings, args: cli_city.run(args),
    "sync": lambda settings, args: _cmd_sync(settings, args),
    "serve": lambda settings, args: cli_hub.serve(settings, args, _open(settings)),
    "machines": lambda settings, args: cli_hub.run_machines(settings, args, _open(settings)),
    "secret": cli_secret.run, "join": cli_join.run,
    "backup": lambda settings, args: cli_backup.run_backup(settings, args, _open),
    "restore": cli_backup.run_restore,
    "diagnose": cli_diagnose.run,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(verbose=args.verbose)
    add_file_log(args.command or "gui")
    try:
        settings = load_settings(args.settings, db_override=args.db)
        return COMMANDS[args.command or "gui"](settings, args)
    except OfficeError as exc:
        log.error("%s", exc)
        print(exc.message_vi, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
