"""`counter-app printers …`: set up the office's printers, print a test page, look at the spool.

Part of the composition root (it reaches the `printers` package to render and send).
"""

from __future__ import annotations

import argparse

from pydantic import ValidationError

from counter_app.accounts import SYSTEM
from counter_app.errors import InvalidInput
from counter_app.settings import Settings
from counter_app.store import Store
from counter_app.views.printing import Connection, PrinterConfig, PrintRequest, PrintSettings

TYPICAL_TICKET_BYTES = 9_600  # a 58 mm raster ticket (benchmarks/bench_printing.py)


def add_parser(sub: argparse._SubParsersAction) -> None:
    printers = sub.add_parser("printers", help="the office's printers and print spool")
    ps = printers.add_subparsers(dest="printers_command", metavar="ACTION", required=True)
    ps.add_parser("list", help="printers with their connection and state")
    add = ps.add_parser("add", help="add or change a printer")
    add.add_argument("name")
    add.add_argument("--kind", choices=("thermal", "a4"), required=True)
    add.add_argument("--paper", type=int, choices=(58, 80), default=80, help="thermal paper width in mm")
    add.add_argument("--profile", default="default", help="python-escpos printer profile, e.g. TM-T20II")
    add.add_argument("--text-mode", action="store_true", help="print text with a Vietnamese code page")
    where = add.add_mutually_exclusive_group()
    where.add_argument("--usb", help="VENDOR:PRODUCT in hex, e.g. 04b8:0e15")
    where.add_argument("--serial", help="serial port, e.g. COM3 or /dev/ttyUSB0")
    where.add_argument("--network", help="HOST or HOST:PORT (port 9100 by default)")
    where.add_argument("--spooler", nargs="?", const="", help="system print queue (empty: the default printer)")
    where.add_argument("--file", nargs="?", const="", help="write files to this folder (empty: the preview folder)")
    add.add_argument("--baud", type=int, default=9600, help="serial speed")
    add.add_argument("--purposes", default="", help="what it prints: ticket, slip, a4 (comma separated)")
    add.add_argument("--counters", default="", help="counters it serves (comma separated; empty: all)")
    add.add_argument("--disabled", action="store_true")
    ps.add_parser("remove", help="remove a printer (its waiting jobs wait for another)").add_argument("name")
    ps.add_parser("test", help="print a test page now").add_argument("name")
    ps.add_parser("jobs", help="waiting print jobs")
    ps.add_parser("drain", help="print every job that is due now, then stop")
    bank = ps.add_parser("bank", help="the account fees can be paid to by transfer (a VietQR on the receipt)")
    bank.add_argument("--bin", required=True, help="the bank's six-digit BIN (NAPAS), e.g. 970415")
    bank.add_argument("--account", required=True, help="the account number ('' to stop showing the QR)")
    bank.add_argument("--name", default="", help="the account holder's name, as the bank shows it")


def _connection(args: argparse.Namespace) -> Connection:
    if args.usb:
        vendor, _, product = args.usb.partition(":")
        try:
            return Connection(type="usb", usb_vendor=int(vendor, 16), usb_product=int(product, 16))
        except ValueError:
            raise InvalidInput(f"bad USB id {args.usb!r}", "Mã USB phải có dạng 04b8:0e15.") from None
    if args.serial:
        return Connection(type="serial", serial_port=args.serial, baudrate=args.baud)
    if args.network:
        host, _, port = args.network.partition(":")
        return Connection(type="network", host=host, tcp_port=int(port or 9100))
    if args.spooler is not None:
        return Connection(type="spooler", queue=args.spooler)
    return Connection(type="file", folder=args.file or "")


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def run(settings: Settings, args: argparse.Namespace, store: Store) -> int:
    from counter_app.local.office import LocalOffice
    from printers import connections, escpos_output
    from printers.spool import Spool

    office = LocalOffice(store)
    command = args.printers_command
    if command == "list":
        for p in office.printers():
            print(f"{p.name}: {p.kind} {p.paper_mm if p.kind == 'thermal' else ''} {p.connection.label_vi()}; "
                  f"in {', '.join(p.purposes) or '-'}; quầy {','.join(map(str, p.counters)) or 'tất cả'}; "
                  f"{p.state_vi}")
    elif command == "add":
        config = PrinterConfig(name=args.name, kind=args.kind, paper_mm=args.paper, profile=args.profile,
                               text_mode=args.text_mode, connection=_connection(args),
                               purposes=[x.strip() for x in args.purposes.split(",") if x.strip()],
                               counters=_ints(args.counters), enabled=not args.disabled)
        if config.kind == "thermal":
            escpos_output.check_profile(config.profile)
            if config.text_mode and not escpos_output.supports_vietnamese_text(config.profile):
                raise InvalidInput(f"profile {config.profile} has no Vietnamese code page",
                                   f"Cấu hình “{config.profile}” không có bảng mã tiếng Việt: hãy bỏ --text-mode.")
        if config.connection.type == "serial" and not config.text_mode:
            seconds = connections.transfer_seconds(TYPICAL_TICKET_BYTES, config.connection.baudrate)
            if seconds > 2:
                print(f"Chú ý: in dạng ảnh qua cổng nối tiếp {config.connection.baudrate} baud mất khoảng "
                      f"{seconds:.0f} giây mỗi vé; nên đặt tốc độ 115200 nếu máy in hỗ trợ.")
        office.save_printer(config, actor=SYSTEM)
        print(f"Đã lưu máy in “{config.name}”.")
    elif command == "remove":
        office.remove_printer(args.name, actor=SYSTEM)
    elif command == "test":
        job = office.submit_print(PrintRequest(kind="test_page", printer=args.name), actor=SYSTEM)
        Spool(office, preview_dir=settings.preview_dir, printers=[args.name]).drain()
        done = office.print_job(job.id)
        print("Đã in trang thử." if done.state == "done" else done.last_error_vi)
        return 0 if done.state == "done" else 1
    elif command == "jobs":
        for j in office.print_jobs():
            print(f"{j.id}: {j.title_vi} → {j.printer or '(chưa có máy in)'}; {j.state_vi} {j.last_error_vi}")
    elif command == "drain":
        print(f"{Spool(office, preview_dir=settings.preview_dir).drain()} lệnh in đã xử lý.")
    elif command == "bank":
        try:
            value = PrintSettings.model_validate({**office.print_settings().model_dump(), "bank_bin": args.bin.strip(),
                                                  "bank_account": args.account.strip(),
                                                  "bank_account_name": args.name})
        except ValidationError:
            raise InvalidInput("bad bank BIN or account", "Mã ngân hàng (BIN) phải gồm 6 chữ số và số tài khoản "
                               "tối đa 19 chữ số hoặc chữ cái.") from None
        office.save_print_settings(value, actor=SYSTEM)
        print("Đã lưu tài khoản nhận phí: giấy tiếp nhận sẽ in mã VietQR khi có phí." if value.bank_account
              else "Đã bỏ tài khoản nhận phí.")
    return 0
