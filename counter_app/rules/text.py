"""Text as a person can type it: NFC, no control or invisible direction characters, a sane length.

Everything typed or scanned passes here before it is stored or searched. Refused: NUL and the other
control characters (a line break or tab only where a field allows several lines), lone surrogates
(half of a character, which no file or database can store), the bidirectional overrides, embeddings
and isolates (U+202A–U+202E, U+2066–U+2069) that make a name read backwards on a slip, private-use
characters and non-characters. The message names the field in Vietnamese; the English one names
only the field and the kind of fault, never the value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from counter_app.errors import InvalidInput

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MULTILINE = frozenset("\n\t")
ANY_TEXT_MAX = 4000  # no text of the office is longer (a reason or a note is a few sentences)


def fault(value: str, *, multiline: bool = False) -> str | None:
    """What is wrong with `value` (in English, without the value), or None."""
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cs":
            return "a lone surrogate"
        if ch in BIDI_CONTROLS:
            return "a bidirectional override"
        if category == "Cc" and not (multiline and ch in MULTILINE):
            return "NUL" if ch == "\x00" else f"control character U+{ord(ch):04X}"
        if category == "Co" or (category == "Cn" and _noncharacter(ch)):
            return f"private-use or non-character U+{ord(ch):04X}"
    return None


def _noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def clean(value: str, *, field: str, field_vi: str, max_len: int, multiline: bool = False) -> str:
    """`value` in NFC, or InvalidInput saying which field holds what kind of fault."""
    problem = fault(value, multiline=multiline)
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}",
                           f"“{field_vi}” có ký tự không hợp lệ (ký tự điều khiển hoặc ký tự đảo chiều); "
                           "xin nhập lại.")
    value = unicodedata.normalize("NFC", value)
    if len(value) > max_len:
        raise InvalidInput(f"{field}: {len(value)} characters, at most {max_len}",
                           f"“{field_vi}” dài quá {max_len} ký tự.")
    return value


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a JSON-shaped value, with where it is (`form.applicant.name`)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(str(key), f"{path}.<key>".lstrip("."))
            yield from strings(item, f"{path}.{key}".lstrip("."))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")


def check_all(value: Any, *, max_len: int = ANY_TEXT_MAX) -> None:
    """Refuse a request any of whose strings is too long or holds what no field may (lines and tabs allowed)."""
    for path, text in strings(value):
        problem = fault(text, multiline=True)
        if problem is None and len(text) > max_len:
            problem = f"{len(text)} characters, at most {max_len}"
        if problem is not None:
            raise InvalidInput(f"{path or 'value'}: {problem}",
                               "Dữ liệu gửi lên có ký tự không hợp lệ hoặc quá dài; xin nhập lại.")
