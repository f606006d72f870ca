"""What a thermal slip says, independent of the paper: a list of blocks laid out once.

`thermal_render` turns the blocks into a 1-bit image for 58 mm or 80 mm paper; the same blocks
feed the text-mode output for printers whose profile has a Vietnamese code page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Text:
    """A paragraph. `size` is the preferred height in dots at 80 mm; `fit` keeps it on one line by shrinking."""

    text: str
    size: int = 26
    bold: bool = False
    align: Align = "center"
    fit: bool = False
    invert: bool = False  # white on black, e.g. the priority mark


@dataclass(frozen=True)
class Row:
    """A label on the left and its value on the right (wraps under each other when too long)."""

    label: str
    value: str
    size: int = 24
    bold_value: bool = True


@dataclass(frozen=True)
class Rule:
    dashed: bool = False


@dataclass(frozen=True)
class Space:
    dots: int = 12


@dataclass(frozen=True)
class QR:
    """A QR code of `data`, `share` of the printable width wide."""

    data: str
    share: float = 0.45
    caption: str = ""


Block = Text | Row | Rule | Space | QR
