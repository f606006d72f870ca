"""The bundled Liberation fonts (SIL OFL, see fonts/LICENSE-OFL.txt): full Vietnamese coverage on every PC.

Thermal slips use Liberation Sans through Pillow; A4 forms embed Liberation Serif (Times' metrics)
through reportlab. Nothing depends on the fonts installed on the machine.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).with_name("fonts")

SANS = FONT_DIR / "LiberationSans-Regular.ttf"
SANS_BOLD = FONT_DIR / "LiberationSans-Bold.ttf"
SERIF = {
    "Serif": FONT_DIR / "LiberationSerif-Regular.ttf",
    "Serif-Bold": FONT_DIR / "LiberationSerif-Bold.ttf",
    "Serif-Italic": FONT_DIR / "LiberationSerif-Italic.ttf",
    "Serif-BoldItalic": FONT_DIR / "LiberationSerif-BoldItalic.ttf",
}


@cache
def pil_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A Pillow font of `size` pixels, cached: loading a TTF costs more than drawing a ticket."""
    return ImageFont.truetype(str(SANS_BOLD if bold else SANS), size)


@cache
def register_reportlab_fonts() -> str:
    """Register the serif family with reportlab once; returns the regular face's name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, path in SERIF.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping("Serif", 0, 0, "Serif")
    addMapping("Serif", 1, 0, "Serif-Bold")
    addMapping("Serif", 0, 1, "Serif-Italic")
    addMapping("Serif", 1, 1, "Serif-BoldItalic")
    return "Serif"
