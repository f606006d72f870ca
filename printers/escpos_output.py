"""ESC/POS bytes for thermal slips, made with python-escpos's `Dummy` and sent to any connection.

The normal path is a raster image (GS v 0) of the rendered slip, which prints Vietnamese on any
printer. Text mode, with python-escpos switching to a Vietnamese code page (TCVN-3, CP1258) where
needed, is allowed only for profiles that list such a code page; it is faster on slow serial lines
but the printer's own fonts decide how it looks.
"""

# ruff: noqa: E402 (escpos is imported after `import_escpos`, which keeps it out of /tmp)
from __future__ import annotations

import contextlib
import io
import unicodedata
from functools import cache

from printers.escpos_cache import import_escpos

import_escpos()  # before escpos itself: no folder left in /tmp per process

from escpos.capabilities import CAPABILITIES
from escpos.printer import Dummy
from PIL import Image

from counter_app.errors import ConfigError
from printers.thermal_layout import QR, Block, Row, Rule, Space, Text
from printers.thermal_render import paper_dots

VIETNAMESE_CODE_PAGES = {"CP1258", "TCVN-3-1", "TCVN-3-2"}
ESC_ALIGN = b"\x1ba"  # ESC a n: 0 left, 1 centre; applies to raster images printed at a line's start
ESC_FEED = b"\x1bJ"  # ESC J n: feed n dots


def profile_names() -> list[str]:
    return sorted(CAPABILITIES["profiles"])


def check_profile(profile: str) -> None:
    if profile not in CAPABILITIES["profiles"]:
        raise ConfigError(f"unknown printer profile {profile!r}",
                          f"Không có cấu hình máy in “{profile}” trong danh sách của python-escpos.")


@cache
def supports_vietnamese_text(profile: str) -> bool:
    """True when a specific printer's profile lists a Vietnamese code page.

    The generic "default" profile lists every code page without knowing the printer, so it does not count.
    """
    check_profile(profile)
    if profile == "default":
        return False
    pages = CAPABILITIES["profiles"][profile].get("codePages", {})
    return bool(VIETNAMESE_CODE_PAGES & {str(v) for v in pages.values()})


def printer_dots(paper_mm: int, profile: str) -> int:
    """Dots per line: the paper's (384 or 576), or fewer where the printer's profile says so (TM-T88V: 512)."""
    dots = paper_dots(paper_mm)
    pixels = CAPABILITIES["profiles"].get(profile, {}).get("media", {}).get("width", {}).get("pixels")
    return min(dots, pixels) if isinstance(pixels, int) and pixels >= 300 else dots


def _bands(image: Image.Image) -> list[tuple[int, int, int]]:
    """(top, bottom, bytes cut from each side) of every run of rows with ink; blank rows between are fed."""
    stride = image.width // 8
    raw = image.tobytes()  # mode "1": 8 dots per byte, a set bit is white
    blank = b"\xff" * stride
    bands: list[tuple[int, int, int]] = []
    top, left, right = None, stride, 0
    for y in range(image.height + 1):
        row = raw[y * stride:(y + 1) * stride] if y < image.height else blank
        if row != blank:
            stripped = row.lstrip(b"\xff")
            left = min(left, stride - len(stripped))
            right = max(right, len(row.rstrip(b"\xff")))
            top = y if top is None else top
        elif top is not None:
            bands.append((top, y, min(left, stride - right, stride // 2 - 1)))
            top, left, right = None, stride, 0
    return bands


def raster_bytes(image: Image.Image, profile: str = "default", *, cut: bool = True) -> bytes:
    """The image as GS v 0 raster commands, one per band of ink, then a feed and a full cut.

    Blank rows are sent as paper feeds (ESC J) and a band's blank sides are cut off symmetrically
    and printed centred (ESC a 1), so a 58 mm ticket stays small on a slow line.
    """
    check_profile(profile)
    if image.width % 8:
        raise ValueError(f"raster width {image.width} is not a whole number of bytes")
    printer = Dummy(profile=profile)
    y = 0
    for top, bottom, side in _bands(image):
        _feed(printer, top - y)
        printer._raw(ESC_ALIGN + (b"\x01" if side else b"\x00"))
        band = image.crop((side * 8, top, image.width - side * 8, bottom))
        # python-escpos prints a notice to stdout for profiles without a known paper width; we never centre.
        with contextlib.redirect_stdout(io.StringIO()):
            printer.image(band, impl="bitImageRaster", center=False)
        y = bottom
    _feed(printer, image.height - y)
    printer._raw(ESC_ALIGN + b"\x00")
    if cut:
        printer.cut()
    return printer.output


def _feed(printer: Dummy, dots: int) -> None:
    while dots > 0:
        step = min(dots, 255)
        printer._raw(ESC_FEED + bytes([step]))
        dots -= step


def text_bytes(blocks: list[Block], profile: str, *, columns: int = 42, cut: bool = True) -> bytes:
    """The slip in the printer's own font; refused for profiles without a Vietnamese code page."""
    if not supports_vietnamese_text(profile):
        raise ConfigError(f"profile {profile} has no Vietnamese code page; use raster",
                          f"Máy in “{profile}” không có bảng mã tiếng Việt: hãy in dạng ảnh.")
    printer = Dummy(profile=profile)
    for block in blocks:
        if isinstance(block, Text):
            big = block.size >= 60
            printer.set(align=block.align, bold=block.bold, double_height=big, double_width=big)
            printer.textln(unicodedata.normalize("NFC", block.text))
        elif isinstance(block, Row):
            printer.set(align="left", bold=False)
            gap = max(1, columns - len(block.label) - len(block.value))
            printer.textln(unicodedata.normalize("NFC", f"{block.label}{' ' * gap}{block.value}"))
        elif isinstance(block, Rule):
            printer.set(align="left")
            printer.textln(("- " if block.dashed else "-") * (columns // (2 if block.dashed else 1)))
        elif isinstance(block, Space):
            printer.ln()
        elif isinstance(block, QR):
            printer.set(align="center")
            printer.qr(block.data, size=6, native=True)
            if block.caption:
                printer.textln(block.caption)
    printer.set_with_default()
    if cut:
        printer.cut()
    return printer.output
