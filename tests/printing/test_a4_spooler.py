"""A4 through the system spooler, for real: a private CUPS with a cups-pdf queue keeps what it received,
and its text is read back (the pages are painted as images, as on any printer, so by OCR)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from counter_app.views.printing import Connection, PrinterConfig, PrintRequest
from printers import a4_spooler, connections
from printers.faults import PrintFault
from printers.spool import Spool
from tests.conftest import make_form
from tests.printing.cups import Cups, missing
from tests.printing.decode import ocr


@pytest.fixture
def cups(monkeypatch) -> Iterator[Cups]:
    why = missing()
    if why:
        pytest.skip(why)
    root = Path(tempfile.mkdtemp(prefix="counter-app-cups-"))
    root.chmod(0o755)  # CUPS's filters run as the lp user and read the spooled job here
    server = Cups(root)
    monkeypatch.setenv("CUPS_SERVER", server.start())
    a4_spooler.shutdown()  # the printing child starts again with this CUPS in its environment
    yield server
    a4_spooler.shutdown()
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_a_receipt_reaches_the_cups_queue_and_reads_back(cups, office, clock, tmp_path):
    office.save_printer(PrinterConfig(name="A4 quầy 1", kind="a4", purposes=["a4"],
                                      connection=Connection(type="spooler", queue=cups.queue)), actor="admin")
    code = office.receive(make_form(name="Phạm Thị Thu"), actor="canbo1").code
    job = office.submit_print(PrintRequest(kind="receipt", code=code, counter_no=1), actor="canbo1")
    started = time.time()
    Spool(office, preview_dir=tmp_path / "preview", clock=clock).drain()
    assert office.print_job(job.id).state == "done", office.print_job(job.id).last_error_vi
    assert not (tmp_path / "preview").exists()  # nothing left behind in a folder

    received = cups.wait_for(f"receipt-{code}")
    try:
        assert received.stat().st_mtime >= started - 1
        assert _pages(received) == 2  # the citizen's copy and the office's
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", str(received),
                        str(tmp_path / "page")], check=True)
        (page,) = tmp_path.glob("page*.png")
        text = ocr(Image.open(page), tmp_path)
        assert code.rsplit("-", 1)[1] in text and "TIẾP NHẬN" in text.upper(), text
        assert "Phạm Thị Thu" in text, text
    finally:
        received.unlink()


def test_a_queue_that_does_not_exist_is_named_in_vietnamese(cups):
    config = PrinterConfig(name="A4 quầy 2", kind="a4", connection=Connection(type="spooler", queue="khong-co"))
    with pytest.raises(PrintFault) as err:
        connections.send_pdf(config, b"%PDF-1.4\n", file_name="x.pdf", default_folder=Path("."))
    assert err.value.message_vi.startswith("Máy in “A4 quầy 2”: không có hàng đợi in “khong-co”")
    assert "OfficeA4" in str(err.value)  # the log names the queues there are


def test_a_pdf_that_cannot_be_read_is_not_sent(cups):
    config = PrinterConfig(name="A4 quầy 1", kind="a4", connection=Connection(type="spooler", queue=cups.queue))
    with pytest.raises(PrintFault) as err:
        connections.send_pdf(config, b"not a pdf", file_name="broken.pdf", default_folder=Path("."))
    assert "không đọc được tệp cần in" in err.value.message_vi
