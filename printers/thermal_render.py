"""Render thermal slip blocks to a 1-bit Pillow image the width of the paper.

Text is NFC-normalised (a decomposed "ệ" typed or scanned elsewhere would print as a letter and
floating marks) and drawn without anti-aliasing, which thermal heads print crisply. Every line
is fitted to the paper: paragraphs wrap at word boundaries, `fit` lines shrink (then wrap if even
60 % of the size is too wide), and a word wider than the paper is shrunk rather than cut.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from printers.fonts import pil_font
from printers.thermal_layout import QR, Block, Row, Rule, Space, Text

PAPER_DOTS = {58: 384, 80: 576}
MARGIN = 8  # dots left blank at each side
QR_MAX_DOTS = 168  # 21 mm at 203 dpi: what a phone reads at arm's length
ROW_SPAN = 480  # a label and its value stand within 60 mm, every row alike
MIN_SIZE = 14


def paper_dots(paper_mm: int) -> int:
    try:
        return PAPER_DOTS[paper_mm]
    except KeyError:
        raise ValueError(f"unsupported paper width {paper_mm} mm (58 or 80)") from None


def _scale(size: int, width: int) -> int:
    """Sizes are given for 80 mm paper; 58 mm paper gets them proportionally smaller."""
    return max(MIN_SIZE, round(size * width / PAPER_DOTS[80])) if width < PAPER_DOTS[80] else size


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    # Stacked Vietnamese marks (Ấ, Ễ) rise above the font's ascent: leave room for them.
    ascent, descent = font.getmetrics()
    return round((ascent + descent) * 1.18)


def _fit_font(text: str, size: int, bold: bool, width: int, floor: int = MIN_SIZE) -> ImageFont.FreeTypeFont:
    font = pil_font(size, bold)
    while size > floor and font.getlength(text) > width:
        size -= 1
        font = pil_font(size, bold)
    return font


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap by measured width; a single over-long word stays whole (it is shrunk later)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if current and font.getlength(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


class _Canvas:
    """Collects draw operations while measuring, then paints them on an image of the final height."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.inner = width - 2 * MARGIN
        self.y = 0
        self.ops: list = []

    def text_line(self, line: str, size: int, bold: bool, align: str, invert: bool = False) -> None:
        font = _fit_font(line, size, bold, self.inner - (16 if invert else 0))
        length = font.getlength(line)
        x = {"left": MARGIN, "center": (self.width - length) / 2, "right": self.width - MARGIN - length}[align]
        height = _line_height(font)
        if invert:
            self.ops.append(("box", (round(x) - 8, self.y, round(x + length) + 8, self.y + height)))
        self.ops.append(("text", (x, self.y + round(font.size * 0.18)), line, font, 1 if invert else 0))
        self.y += height

    def add(self, block: Block) -> None:
        if isinstance(block, Text):
            self._text(block)
        elif isinstance(block, Row):
            self._row(block)
        elif isinstance(block, Rule):
            self.ops.append(("rule", self.y + 4, block.dashed))
            self.y += 10
        elif isinstance(block, Space):
            self.y += block.dots
        elif isinstance(block, QR):
            self._qr(block)
        else:  # pragma: no cover - a new block type must be drawn here
            raise TypeError(f"unknown block {block!r}")

    def _text(self, block: Text) -> None:
        text, size = _nfc(block.text), _scale(block.size, self.width)
        if block.fit:  # shrink to one line, but not below 60 %: past that, wrap instead
            size = _fit_font(text, size, block.bold, self.inner, floor=max(MIN_SIZE, round(size * 0.6))).size
        lines = wrap(text, pil_font(size, block.bold), self.inner)
        for line in lines:
            self.text_line(line, size, block.bold, block.align, block.invert)

    def _row(self, block: Row) -> None:
        size = _scale(block.size, self.width)
        label_font, value_font = pil_font(size), pil_font(size, block.bold_value)
        label, value = _nfc(block.label), _nfc(block.value)
        needed = label_font.getlength(label) + value_font.getlength(value) + 12
        if needed <= self.inner:
            # On wide paper the pair stands in a centred span, not from edge to edge: the printer's line then
            # carries the middle of each row only (a ticket's three rows were a third of its bytes).
            span = min(self.inner, max(needed, ROW_SPAN))
            left = (self.width - span) / 2
            top = self.y + round(size * 0.18)
            self.ops.append(("text", (left, top), label, label_font, 0))
            self.ops.append(("text", (left + span - value_font.getlength(value), top), value, value_font, 0))
            self.y += _line_height(label_font)
            return
        for line in wrap(label, label_font, self.inner):
            self.text_line(line, size, False, "left")
        for line in wrap(value, value_font, self.inner):
            self.text_line(line, size, block.bold_value, "right")

    def _qr(self, block: QR) -> None:
        # A fixed mask: trying all eight (qrcode's default) costs most of a ticket's render time for no
        # difference a phone camera notices on a clean thermal print.
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0)
        code.add_data(block.data)
        code.make(fit=True)
        modules = code.modules_count + 2 * code.border
        # Whole dots per module keep it scannable; no bigger than about 22 mm (on 80 mm paper a larger QR only
        # adds bytes on the printer's line: issue 23 measured the 80 mm ticket at 21 KB).
        box = max(2, min(int(self.inner * block.share), QR_MAX_DOTS) // modules)
        image = _qr_image(code.get_matrix(), box)
        self.ops.append(("image", ((self.width - image.width) // 2, self.y), image))
        self.y += image.height
        if block.caption:
            self._text(Text(block.caption, size=20))

    def paint(self) -> Image.Image:
        image = Image.new("1", (self.width, self.y + MARGIN), 1)
        draw = ImageDraw.Draw(image)
        for op in self.ops:
            if op[0] == "text":
                _, (x, y), line, font, colour = op
                mask, left, top = _text_mask(line, font)  # without anti-aliasing: a dot is printed or not
                image.paste(colour, (round(x) + left, y + top), mask)
            elif op[0] == "box":
                draw.rectangle(op[1], fill=0)
            elif op[0] == "rule":
                _, y, dashed = op
                step = 8 if dashed else 1
                for x in range(MARGIN, self.width - MARGIN, step):
                    draw.line([(x, y), (min(x + (4 if dashed else 0), self.width - MARGIN), y)], fill=0, width=2)
            else:
                _, (x, y), img = op
                image.paste(img, (x, y))
        return image


def _qr_image(matrix: list[list[bool]], box: int) -> Image.Image:
    """The QR matrix as a 1-bit image, `box` dots per module (qrcode's own drawing goes module by module)."""
    count = len(matrix)
    modules = Image.frombytes("L", (count, count), bytes(0 if dark else 255 for row in matrix for dark in row))
    return modules.resize((count * box, count * box), Image.Resampling.NEAREST).convert("1")


@lru_cache(maxsize=256)
def _text_mask(line: str, font: ImageFont.FreeTypeFont) -> tuple[Image.Image, int, int]:
    """A line drawn once as a mask with its offset; the office name, lane and footer repeat on every slip."""
    left, top, right, bottom = font.getbbox(line)
    mask = Image.new("1", (max(1, right - left), max(1, bottom - top)), 0)
    draw = ImageDraw.Draw(mask)
    draw.fontmode = "1"
    draw.text((-left, -top), line, font=font, fill=1)
    return mask, left, top


def render(blocks: Iterable[Block], width_dots: int = PAPER_DOTS[80]) -> Image.Image:
    """The slip as a mode "1" image `width_dots` wide (see `paper_dots`)."""
    canvas = _Canvas(width_dots)
    for block in blocks:
        canvas.add(block)
    return canvas.paint()
