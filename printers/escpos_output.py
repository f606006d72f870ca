"""ESC/POS bytes for thermal slips, made with python-escpos's `Dummy` and sent to any connection.

The normal path is a raster image (GS v 0) of the rendered slip, which prints Vietnamese on any
printer. Text mode, with python-escpos switching to a Vietnamese code page (TCVN-3, CP1258) where
needed, is allowed only for profiles that list such a code page; it is faster on slow serial lines
but the printer's own fonts decide how it looks.
"""

from __future__ import annotations

import contextlib
import io
import unicodedata
from functools import cache

from escpos.capabilities import CAPABILITIES
from escpos.printer import Dummy
from PIL import Image

from counter_app.errors import ConfigError
from printers.thermal_layout import QR, Block, Row, Rule, Space, Text

VIETNAMESE_CODE_PAGES = {"CP1258", "TCVN-3-1", "TCVN-3-2"}


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


def raster_bytes(image: Image.Image, profile: str = "default", *, cut: bool = True) -> bytes:
    """The image as GS v 0 raster commands (split every 960 rows), then a feed and a full cut."""
    check_profile(profile)
    printer = Dummy(profile=profile)
    # python-escpos prints a notice to stdout for profiles without a known paper width; we never centre.
    with contextlib.redirect_stdout(io.StringIO()):
        printer.image(image, impl="bitImageRaster", center=False)
    if cut:
        printer.cut()
    return printer.output


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
