"""Sending finished output to a printer: USB, serial, network (port 9100), the system spooler, a file.

Thermal output is ESC/POS bytes made once (see `escpos_output`) and written raw through the
python-escpos connection classes; A4 output is a PDF whose pages go to the system spooler through Qt's
print support (`a4_spooler`, the same on Windows and Linux) or written to a folder.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from counter_app.store.private import private_dir
from counter_app.views.printing import Connection, PrinterConfig
from printers import a4_spooler, faults, printer_status

log = logging.getLogger(__name__)

NETWORK_TIMEOUT_S = 5.0
SERIAL_BITS_PER_BYTE = 10  # 8 data bits, a start and a stop bit


def transfer_seconds(n_bytes: int, baudrate: int) -> float:
    """How long `n_bytes` take over a serial line: a raster ticket at 9600 baud takes seconds."""
    return n_bytes * SERIAL_BITS_PER_BYTE / baudrate


def _open_device(config: PrinterConfig):
    """A python-escpos printer object for a thermal connection, opened."""
    from printers.escpos_cache import import_escpos

    import_escpos()
    from escpos import printer as escpos_printer

    c = config.connection
    if c.type == "network":
        device = escpos_printer.Network(c.host, port=c.tcp_port, timeout=NETWORK_TIMEOUT_S, profile=config.profile)
    elif c.type == "serial":
        device = escpos_printer.Serial(c.serial_port, baudrate=c.baudrate, timeout=1, profile=config.profile)
    elif c.type == "usb":
        device = escpos_printer.Usb(c.usb_vendor, c.usb_product, profile=config.profile)
    elif sys.platform == "win32":
        device = escpos_printer.Win32Raw(c.queue, profile=config.profile)
    else:
        device = escpos_printer.LP(c.queue, profile=config.profile)
    device.open(raise_not_found=True)
    return device


def _file_target(config: PrinterConfig, default_folder: Path, name: str) -> Path:
    folder = Path(config.connection.folder).expanduser() if config.connection.folder else default_folder
    if not folder.exists():
        private_dir(folder)  # slips and receipts name citizens: the owner's alone
    return folder / name


def send_escpos(config: PrinterConfig, data: bytes, *, file_name: str, default_folder: Path) -> Path | None:
    """Print ESC/POS `data`; raises `PrintFault` when the printer cannot take it now. Returns the file, if any."""
    c = config.connection
    if c.type == "file":
        target = _file_target(config, default_folder, file_name)
        target.write_bytes(data)
        return target
    where = c.label_vi()
    try:
        device = _open_device(config)
    except Exception as exc:  # python-escpos raises per-backend types (USBNotFoundError, OSError, …)
        raise faults.unreachable(config.name, where, f"{type(exc).__name__}: {exc}") from None
    try:
        if c.type in ("network", "serial", "usb"):
            status = printer_status.query(device)
            if status.cover_open:
                raise faults.cover_open(config.name)
            if status.paper_out:
                raise faults.paper_out(config.name)
            if status.offline or status.error:
                raise faults.offline(config.name)
            if status.paper_near_end:
                log.warning("printer %s: paper near its end", config.name)
        if c.type == "serial" and transfer_seconds(len(data), c.baudrate) > 2:
            log.warning("printer %s: %d bytes at %d baud take about %.1f s", config.name, len(data), c.baudrate,
                        transfer_seconds(len(data), c.baudrate))
        device._raw(data)  # the documented way to send what a Dummy printer collected
    except faults.PrintFault:
        raise
    except Exception as exc:
        raise faults.unreachable(config.name, where, f"{type(exc).__name__}: {exc}") from None
    finally:
        try:
            device.close()
        except Exception as exc:  # a half-open socket may fail to close; the job result stands
            log.debug("closing printer %s: %s", config.name, exc)
    return None


def send_pdf(config: PrinterConfig, data: bytes, *, file_name: str, default_folder: Path) -> Path | None:
    """Print an A4 PDF through the system spooler, or write it into the printer's folder."""
    c: Connection = config.connection
    if c.type == "file":
        target = _file_target(config, default_folder, file_name)
        target.write_bytes(data)
        return target
    if c.type != "spooler":
        raise faults.bad_setup(config.name, "A4 needs the spooler or a file", "máy in A4 phải dùng hàng đợi in.")
    try:
        spooled = a4_spooler.print_pdf(data, queue=c.queue, title=Path(file_name).stem)
    except a4_spooler.SpoolError as exc:
        if exc.kind == "no_queue":
            raise faults.bad_setup(config.name, exc.detail, f"không có hàng đợi in “{c.queue or 'mặc định'}” trên "
                                   "máy này; kiểm tra tên máy in trong phần cài đặt máy in.") from None
        if exc.kind == "bad_pdf":
            raise faults.bad_setup(config.name, exc.detail,
                                   "không đọc được tệp cần in; xin báo kỹ thuật viên.") from None
        raise faults.unreachable(config.name, c.label_vi(), exc.detail) from None
    log.info("printer %s: %d pages to queue %s", config.name, spooled.pages, spooled.queue)
    return None
