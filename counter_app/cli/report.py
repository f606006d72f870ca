"""`counter-app report`: a period's report as Excel, PDF or CSV, on the office PC's command line."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from counter_app.errors import InvalidInput
from counter_app.office import Office
from counter_app.rules.clock import TZ, now
from counter_app.rules.periods import KINDS, period_of

FORMATS = ("xlsx", "pdf", "csv")


def add_parser(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="a period's report (dossiers per field, procedure and clerk; the queue)")
    report.add_argument("--from", dest="date_from", type=date.fromisoformat, help="YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", type=date.fromisoformat, help="YYYY-MM-DD")
    report.add_argument("--period", choices=KINDS, help="the day, week, month, quarter or year holding --on")
    report.add_argument("--on", type=date.fromisoformat, help="a day of that period (default today)")
    report.add_argument("--format", choices=FORMATS, default="xlsx")
    report.add_argument("--by", default="", help="full name of who makes it, printed under the PDF's signature")
    report.add_argument("--out", type=Path, help="the file to write (default: bao-cao-FROM-TO.FORMAT here)")


def _period(args: argparse.Namespace) -> tuple[date, date]:
    if args.period:
        if args.date_from or args.date_to:
            raise InvalidInput("report: --period with --from/--to", "Chọn kỳ báo cáo hoặc hai ngày, không cả hai.")
        return period_of(args.period, args.on or now().astimezone(TZ).date())
    if not (args.date_from and args.date_to):
        raise InvalidInput("report: no period", "Cần --period (day/week/month/quarter/year) hoặc --from và --to.")
    return args.date_from, args.date_to


def run(args: argparse.Namespace, office: Office) -> int:
    from counter_app.reports import export

    date_from, date_to = _period(args)
    report = office.period_report(date_from, date_to)
    info = office.info()
    out = args.out or Path(f"bao-cao-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{args.format}")
    if args.format == "xlsx":
        out.write_bytes(export.to_xlsx(report, info.name))
    elif args.format == "csv":
        out.write_text(export.to_csv(report, info.name), encoding=export.CSV_ENCODING)
    else:
        from printers.forms.period_report import period_report  # the command wires printers in (DESIGN.md)

        out.write_bytes(period_report(info, report, printed_on=now().astimezone(TZ).date(), made_by=args.by))
    out.chmod(0o600)  # figures per clerk are the office's own
    total = report.total
    print(f"{out}: {date_from:%d/%m/%Y}-{date_to:%d/%m/%Y}: {total.received} received, {total.carried_over} "
          f"carried over, {total.settled} settled ({total.settled_late} late), {total.in_progress_overdue} overdue "
          f"in progress, {report.queue_total.tickets} tickets")
    return 0
