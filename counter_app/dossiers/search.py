"""Accent- and case-insensitive dossier search with SQLite FTS5, newest first."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlmodel import Session

from counter_app.rules.search_text import dossier_search_columns, search_query
from counter_app.rules.textfold import tokens
from counter_app.store.models import Dossier

_CODE_LIKE = re.compile(r"[0-9A-Za-z]+[.\-][0-9A-Za-z.\-]*")
_PARTIAL_CODE = re.compile(r"\d{6}-\d{1,4}")  # the day and running number of a code, without the office
_DELETE = text("DELETE FROM dossier_search WHERE rowid = :id")
_INSERT = text("INSERT INTO dossier_search(rowid, name, rest) VALUES (:id, :name, :rest)")
_MATCH = text("SELECT rowid FROM dossier_search WHERE dossier_search MATCH :q ORDER BY rowid DESC LIMIT :n")


def index_dossier(session: Session, dossier: Dossier) -> None:
    """(Re)write the dossier's search entry; call in the transaction that changed it."""
    name, rest = dossier_search_columns(
        code=dossier.code, applicant_name=dossier.applicant_name, representative=dossier.representative,
        id_number=dossier.id_number, phone=dossier.phone, address=dossier.address,
        representative_id=dossier.representative_id, subject_name=dossier.subject_name,
        subject_id_number=dossier.subject_id_number,
    )
    session.execute(_DELETE, {"id": dossier.id})
    session.execute(_INSERT, {"id": dossier.id, "name": name, "rest": rest})


def fts_query(query: str) -> str | None:
    """`Nguyễn Văn Đ` → `"nguyen"* AND "van"* AND "d"*`: every word, each as a prefix."""
    words = tokens(query)
    if not words:
        return None
    return " AND ".join(f'"{w}"*' for w in words)


def search_ids(session: Session, query: str, *, limit: int = 50) -> list[int]:
    """Ids of the dossiers matching every word of `query`, or whose code starts with it, or whose ID or phone
    number ends with its digits: name matches first, then the rest, each newest first."""
    ids: list[int] = []
    raw = search_query(query)

    def add(rows: object) -> None:
        seen = set(ids)
        ids.extend(r[0] for r in rows if r[0] not in seen)  # type: ignore[attr-defined]

    if _CODE_LIKE.fullmatch(raw):
        prefix = raw.upper()
        add(session.execute(
            text("SELECT id FROM dossier WHERE code >= :lo AND code < :hi ORDER BY code DESC LIMIT :n"),
            {"lo": prefix, "hi": prefix + "\uffff", "n": limit},
        ))
    compact = re.sub(r"[\s.\-]", "", raw)
    number = compact.isdigit() and len(compact) >= 4 and not _PARTIAL_CODE.fullmatch(raw)
    if number and len(ids) < limit:  # the last digits of an ID or phone number
        add(session.execute(_MATCH, {"q": f'rest : "r{compact[::-1]}"*', "n": limit}))
    words = fts_query(compact if number and len(compact) >= 6 else raw)  # a phone typed 0912.345.678
    if words is not None and len(ids) < limit:
        add(session.execute(_MATCH, {"q": f"name : ({words})", "n": limit}))  # a person's name first
        if len(ids) < limit:
            add(session.execute(_MATCH, {"q": words, "n": limit}))
    return ids[:limit]
