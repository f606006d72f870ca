"""Finding a procedure among hundreds as a clerk types it: with or without accents, by words, by code, and
the office's own most received first among equals (issue 22).

A procedure matches when every typed word is in its name, code or field. Among matches, in order: the
code typed; the words together, in order, in the name ("khai sinh" in "Đăng ký khai sinh"); all the
words in the name itself (not only in its field); words that start words of the name; this office's most
received; then the shorter name (the general procedure before its special cases).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from counter_app.rules.textfold import fold


class Named(Protocol):
    key: str
    code: str
    name: str
    field: str


def rank(procedures: Sequence[Named], query: str, frequent: Sequence[str] = ()) -> list[Named]:
    """The procedures matching `query`, best first (all of them, in catalog order, for an empty query)."""
    words = fold(query).split()
    if not words:
        return list(procedures)
    phrase = " ".join(words)
    order = {key: i for i, key in enumerate(frequent)}
    scored = []
    for index, p in enumerate(procedures):
        name = fold(p.name)
        haystack = f"{name} {p.code} {fold(p.field)}"
        if not all(w in haystack for w in words):
            continue
        name_words = name.split()
        starts = sum(any(nw.startswith(w) for nw in name_words) for w in words)
        scored.append(((
            not (p.code and p.code.startswith(phrase)),
            phrase not in name,
            not all(w in name for w in words),
            -starts,
            order.get(p.key, len(order)),
            len(name),
            index,
        ), p))
    return [p for _, p in sorted(scored, key=lambda pair: pair[0])]
