"""Thermal slips: the ESC/POS bytes are decoded back and compared with what was rendered, read by zbar and OCR."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from PIL import Image

from counter_app.errors import ConfigError
from counter_app.views.printing import PrintSettings
from printers import escpos_output, slips, thermal_render
from printers.thermal_layout import Row, Text
from tests.printing.decode import CUT, ocr, raster_image, text_mode, zbar

LINK = PrintSettings().ticket_link("000.00.73.H26", date(2026, 11, 23), "B012")


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_ticket_raster_decodes_to_the_rendered_image_pixel_for_pixel(office, ticket, paper_mm, tmp_path, shots):
    dots = thermal_render.paper_dots(paper_mm)
    image = thermal_render.render(slips.ticket_blocks(ticket, office.info(), LINK), dots)
    data = escpos_output.raster_bytes(image)
    assert CUT in data[-8:], "the ticket must end with a cut"
    decoded = raster_image(data, dots)
    assert decoded.size == image.size
    assert decoded.tobytes() == image.tobytes()
    decoded.save(shots / f"ticket_{paper_mm}mm.png")
    if paper_mm == 58:
        assert len(data) < 12 * 1024, f"58 mm ticket is {len(data)} bytes"

    path = tmp_path / "ticket.png"
    decoded.save(path)
    assert zbar(path) == [LINK]


def test_ticket_ocr_finds_number_lane_and_wait(office, ticket, tmp_path):
    data = escpos_output.raster_bytes(thermal_render.render(slips.ticket_blocks(ticket, office.info(), LINK), 576))
    text = ocr(raster_image(data, 576), tmp_path)
    assert "B012" in text
    assert "Chứng thực" in text
    assert "khoảng 10–18 phút" in text.replace("-", "–")


def test_every_line_fits_the_paper_even_long_names(office, ticket):
    long = ticket.model_copy(update={"lane_name": "Đăng ký hộ tịch, chứng thực, cư trú và các thủ tục khác "
                                                  "của Ủy ban nhân dân phường"})
    for paper_mm in (58, 80):
        dots = thermal_render.paper_dots(paper_mm)
        image = thermal_render.render(slips.ticket_blocks(long, office.info(), LINK), dots)
        assert image.width == dots
        # No black dot in the side margins: nothing was cut at the paper's edge.
        left = image.crop((0, 0, thermal_render.MARGIN - 2, image.height))
        right = image.crop((image.width - thermal_render.MARGIN + 2, 0, image.width, image.height))
        assert left.convert("L").getextrema() == (255, 255)
        assert right.convert("L").getextrema() == (255, 255)
    font = thermal_render.pil_font(26)
    inner = thermal_render.paper_dots(58) - 2 * thermal_render.MARGIN
    assert all(font.getlength(line) <= inner for line in thermal_render.wrap(long.lane_name, font, inner))


def test_decomposed_text_prints_like_composed_text(office, ticket):
    decomposed = ticket.model_copy(update={"lane_name": unicodedata.normalize("NFD", ticket.lane_name)})
    assert decomposed.lane_name != ticket.lane_name
    a = thermal_render.render(slips.ticket_blocks(ticket, office.info(), LINK), 384)
    b = thermal_render.render(slips.ticket_blocks(decomposed, office.info(), LINK), 384)
    assert a.tobytes() == b.tobytes()


def test_receipt_summary_masks_the_id_number(office, dossiers, tmp_path):
    d = office.dossier(dossiers["received"])
    blocks = slips.receipt_summary_blocks(d, office.info(), PrintSettings().dossier_link(d.code))
    texts = " ".join(b.text for b in blocks if isinstance(b, Text))
    assert d.id_number not in texts
    assert "001*******45" in texts
    image = raster_image(escpos_output.raster_bytes(thermal_render.render(blocks, 384)), 384)
    path = tmp_path / "summary.png"
    image.save(path)
    assert zbar(path) == [f"https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma={d.code}"]


def test_text_mode_only_for_profiles_with_a_vietnamese_code_page():
    blocks = [Text("UBND PHƯỜNG CỬA NAM", bold=True), Row("Hẹn trả:", "17:00 23/11/2026"),
              Text("Đăng ký khai sinh – ưu tiên")]
    data = escpos_output.text_bytes(blocks, "TM-T88V")
    decoded = text_mode(data.split(b"\x1b!")[0], "TM-T88V")  # stop before the reset and cut commands
    assert "UBND PHƯỜNG CỬA NAM" in decoded
    assert "Hẹn trả:" in decoded and "17:00 23/11/2026" in decoded
    with pytest.raises(ConfigError) as err:
        escpos_output.text_bytes(blocks, "TM-T88IV")  # no Vietnamese code page in its profile
    assert "không có bảng mã tiếng Việt" in err.value.message_vi
    assert not escpos_output.supports_vietnamese_text("default")


def test_blank_rows_are_fed_and_sides_cut_so_the_58mm_ticket_stays_small(office, ticket):
    image = thermal_render.render(slips.ticket_blocks(ticket, office.info(), LINK), 384)
    data = escpos_output.raster_bytes(image)
    full = image.height * 384 // 8
    assert len(data) < 0.7 * full  # against sending every row at full width
    assert data.count(b"\x1bJ") >= 5 and data.count(b"\x1ba\x01") >= 3
    assert raster_image(data, 384).tobytes() == image.tobytes()


@pytest.mark.parametrize(("dots", "most"), [(576, 18_000), (384, 12_000)])
def test_a_ticket_is_small_on_the_printer_s_line_and_its_qr_still_reads(office, ticket, tmp_path, dots, most):
    """Issue 23: the 80 mm ticket was 19–21 KB (almost 2 s at 115,200 baud); at most 18 KB (58 mm: 12 KB)."""
    data = escpos_output.raster_bytes(thermal_render.render(slips.ticket_blocks(ticket, office.info(), LINK), dots))
    assert len(data) <= most, len(data)
    path = tmp_path / "ticket.png"
    raster_image(data, dots).save(path)
    assert zbar(path) == [LINK]


def test_a_profile_narrower_than_the_paper_gets_an_image_it_accepts(office, ticket):
    dots = escpos_output.printer_dots(80, "TM-T88V")
    assert dots == 512
    image = thermal_render.render(slips.ticket_blocks(ticket, office.info(), LINK), dots)
    data = escpos_output.raster_bytes(image, "TM-T88V")  # python-escpos refuses images wider than the profile
    assert raster_image(data, dots).tobytes() == image.tobytes()


def test_importing_the_thermal_output_leaves_nothing_in_the_temporary_folder(tmp_path):
    """Issue 23: python-escpos made a folder in /tmp at every import (60 after one test run)."""
    import os
    import subprocess
    import sys

    scratch, cache = tmp_path / "tmp", tmp_path / "cache"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "XDG_CACHE_HOME": str(cache)}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    for _ in range(2):
        subprocess.run([sys.executable, "-c", "import printers.escpos_output"], env=env, check=True, timeout=60)
    assert list(scratch.iterdir()) == []
    assert list((cache / "counter-app" / "escpos").glob("*.capabilities.pickle"))


def test_a_fee_receipt_prints_on_the_counter_s_thermal_printer_too(office, clock, tmp_path):
    """Issue 22 item 5: the numbered fee receipt on the thermal or the A4 printer; read back by OCR."""
    from counter_app.views.printing import PrinterConfig, PrintRequest
    from printers.spool import Spool
    from tests.conftest import make_form

    office.save_printer(PrinterConfig(name="Phiếu quầy 1", kind="thermal", paper_mm=80, purposes=["slip"]),
                        actor="admin")
    code = office.receive(make_form("ct.chu-ky"), actor="canbo1").code
    d = office.collect_fees(code, method="cash", actor="canbo1")
    job = office.submit_print(PrintRequest(kind="fee_receipt_slip", code=code, event_seq=d.events[-1].seq),
                              actor="canbo1")
    Spool(office, preview_dir=tmp_path, clock=clock).drain()
    assert office.print_job(job.id).state == "done"
    (image,) = tmp_path.glob("fee_receipt_slip-*.png")
    text = " ".join(ocr(Image.open(image), tmp_path).split())
    for expected in ("BIÊN LAI THU PHÍ", "BL26", "0000001", "10.000", "Mười nghìn đồng", "Tiền mặt"):
        assert expected in text, (expected, text)
