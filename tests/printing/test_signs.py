"""Serial signs and a serial thermal printer over pyserial's loop:// and a real socat pty pair."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
import serial

from counter_app.errors import ConfigError
from counter_app.rules.clock import TZ
from counter_app.views.printing import Connection, PrinterConfig, PrintRequest
from counter_app.views.queue import CallView
from printers import signs, thermal_render
from printers.spool import Spool
from tests.printing.decode import raster_image
from tests.printing.fake_printer import FakePrinter

AT = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


def _call(i: int, label: str, counter: int) -> CallView:
    return CallView(id=i, label=label, counter_no=counter, at=AT)


def _read(port: serial.SerialBase, size: int, timeout: float = 5.0) -> bytes:
    got = b""
    deadline = time.monotonic() + timeout
    while len(got) < size and time.monotonic() < deadline:
        got += port.read(size - len(got))
    return got


def test_accents_are_stripped_for_ascii_signs():
    assert signs.ascii_text("Mời công dân có số A012 đến quầy số 3") == "Moi cong dan co so A012 den quay so 3"
    assert signs.ascii_text("ĐẶNG ĐỨC") == "DANG DUC"
    with pytest.raises(ConfigError):
        signs.make_protocol("no-such-sign")


def test_pole_display_shows_its_counter_s_last_call_in_cd5220_over_loop():
    sign = signs.SerialSign("loop://", protocol="cd5220", counter_no=3)
    try:
        sign.show_calls([_call(1, "A011", 2), _call(2, "A012", 3)])
        frame = _read(sign.serial, 2 + 1 + 2 * (3 + 20 + 1))
        assert frame == (b"\x1b@\x0c" + b"\x1bQA" + b"    MOI SO A012     " + b"\r"
                         + b"\x1bQB" + b"     DEN QUAY 3     " + b"\r")
    finally:
        sign.close()


def test_hall_sign_lists_the_last_call_per_counter_as_plain_lines_over_a_socat_pty_pair(tmp_path):
    socat = shutil.which("socat")
    assert socat, "socat is installed by scripts/setup.sh"
    a, b = tmp_path / "sign-a", tmp_path / "sign-b"
    proc = subprocess.Popen([socat, f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"])
    try:
        deadline = time.monotonic() + 5
        while not (a.exists() and b.exists()) and time.monotonic() < deadline:
            time.sleep(0.05)
        other_end = serial.Serial(str(b), 9600, timeout=0.5)
        sign = signs.SerialSign(str(a), baudrate=9600, protocol="ascii")
        sign.calls.protocol.lines = 3
        try:
            sign.show_calls([_call(1, "A001", 1), _call(2, "B001", 2), _call(3, "A002", 1)])
            text = _read(other_end, 3 * 22).decode("ascii")
            assert text.split("\r\n")[:3] == ["    QUAY 1: A002    ", "    QUAY 2: B001    ", " " * 20]
        finally:
            sign.close()
            other_end.close()
    finally:
        proc.terminate()
        proc.wait(5)


def test_a_thermal_printer_on_a_serial_line_gets_the_ticket(office, clock, tmp_path):
    a, b = Path(tmp_path / "printer-a"), Path(tmp_path / "printer-b")
    proc = subprocess.Popen([shutil.which("socat") or "socat", f"pty,raw,echo=0,link={a}",
                             f"pty,raw,echo=0,link={b}"])
    try:
        deadline = time.monotonic() + 5
        while not (a.exists() and b.exists()) and time.monotonic() < deadline:
            time.sleep(0.05)
        printer_end = serial.Serial(str(b), 115200, timeout=0.2)
        fake, received, stop = FakePrinter(), bytearray(), threading.Event()

        def serve() -> None:
            while not stop.is_set():
                chunk = printer_end.read(4096)
                if chunk:
                    received.extend(fake.take(chunk, printer_end.write, printing=bool(received)))

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        office.save_printer(PrinterConfig(name="Kiosk COM", kind="thermal", paper_mm=58, purposes=["ticket"],
                                          connection=Connection(type="serial", serial_port=str(a),
                                                                baudrate=115200)), actor="admin")
        ticket = office.issue_ticket(lane="B")
        job = office.submit_print(PrintRequest(kind="ticket", ticket=ticket.model_dump(mode="json")), actor="k")
        Spool(office, preview_dir=tmp_path, clock=clock).drain()
        assert office.print_job(job.id).state == "done", office.print_job(job.id).last_error_vi
        deadline = time.monotonic() + 5
        while not received.endswith(b"\x1dV\x00") and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        thread.join(2)
        printer_end.close()
        image = raster_image(bytes(received), thermal_render.paper_dots(58))
        assert image.height > 300
    finally:
        proc.terminate()
        proc.wait(5)
