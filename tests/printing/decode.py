"""Reading printer output back: ESC/POS raster commands into an image, text mode into text, QR and OCR.

These are the checks of what comes out of the printing layer, independent of how it was made.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from escpos.capabilities import CAPABILITIES
from PIL import Image

GS_V0 = b"\x1dv0"
ESC_ALIGN = b"\x1ba"
ESC_FEED = b"\x1bJ"
CUT = b"\x1dV"


def raster_image(data: bytes, width: int) -> Image.Image:
    """Replay the raster output on a `width`-dot line: GS v 0 blocks placed by ESC a, paper fed by ESC J."""
    placed: list[tuple[int, int, Image.Image]] = []
    y, align, i = 0, 0, 0
    while i < len(data):
        if data[i:i + 2] == ESC_ALIGN:
            align, i = data[i + 2], i + 3
        elif data[i:i + 2] == ESC_FEED:
            y, i = y + data[i + 2], i + 3
        elif data[i:i + 3] == GS_V0:
            x_bytes, rows = data[i + 4] | data[i + 5] << 8, data[i + 6] | data[i + 7] << 8
            raw = data[i + 8:i + 8 + x_bytes * rows]
            assert len(raw) == x_bytes * rows, "raster block cut short"
            # ESC/POS: a set bit prints (black); Pillow's mode "1": a set bit is white. Invert.
            part = Image.frombytes("1", (x_bytes * 8, rows), bytes(b ^ 0xFF for b in raw))
            x = (width - part.width) // 2 if align == 1 else 0
            placed.append((x, y, part))
            y, i = y + rows, i + 8 + len(raw)
        else:
            i += 1
    assert placed, "no raster image in the output"
    image = Image.new("1", (width, y), 1)
    for x, top, part in placed:
        image.paste(part, (x, top))
    return image


def text_mode(data: bytes, profile: str) -> str:
    """Text-mode output decoded with the code pages the ESC t commands selected."""
    pages = {int(k): v for k, v in CAPABILITIES["profiles"][profile]["codePages"].items()}
    encodings = CAPABILITIES["encodings"]
    out, page, i = [], "CP437", 0
    while i < len(data):
        b = data[i]
        if data[i:i + 2] == b"\x1bt":
            page, i = pages[data[i + 2]], i + 3
        elif b == 0x1B or b == 0x1D:  # other ESC/GS commands of fixed size 3 (ESC E n, ESC a n, ESC ! n, …)
            i += 3
        elif b < 0x80:
            out.append(chr(b))
            i += 1
        else:
            table = encodings[page]
            if "data" in table:
                row, col = divmod(b - 0x80, 16)
                out.append(table["data"][row][col])
            else:
                out.append(bytes([b]).decode(table["python_encode"]))
            i += 1
    return "".join(out)


def zbar(image_path: Path) -> list[str]:
    """The QR codes zbarimg finds in an image file."""
    result = subprocess.run([shutil.which("zbarimg") or "zbarimg", "--quiet", "--raw", "-Sqrcode.enable",
                             str(image_path)], capture_output=True, text=True, check=False)
    return [line for line in result.stdout.splitlines() if line]


def ocr(image: Image.Image, work: Path) -> str:
    """Tesseract's Vietnamese reading of a slip image, at the printer's own resolution (203 dpi)."""
    path = work / "ocr.png"
    image.convert("L").save(path, dpi=(203, 203))
    result = subprocess.run(["tesseract", str(path), "-", "-l", "vie", "--psm", "4"],
                            capture_output=True, text=True, check=True)
    return result.stdout
