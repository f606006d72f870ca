"""Folding Vietnamese text for search: no accents, no case, đ/Đ → d."""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})
_TOKEN = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """`Nguyễn Văn Đức` → `nguyen van duc`.

    NFD splits the tone and vowel marks off so they can be dropped; đ/Đ are their own
    letters in Unicode (they do not decompose) and are mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def tokens(text: str) -> list[str]:
    """The folded alphanumeric words of `text`."""
    return _TOKEN.findall(fold(text))
