"""The procedure catalog as the administrator's screen shows it: the version in use, what is still
unconfirmed, and what an import changed."""

from __future__ import annotations

from pydantic import BaseModel


class UnconfirmedEntry(BaseModel):
    key: str
    name: str
    what: list[str]  # in Vietnamese: "mã", "lệ phí", "thời hạn", …


class CatalogOverview(BaseModel):
    version: str
    issued: str
    source: str
    procedures: int
    unconfirmed: list[UnconfirmedEntry]


class CatalogChange(BaseModel):
    """Between the version in use before an import and the one imported (procedures by name)."""

    previous: str
    version: str
    added: list[str] = []
    removed: list[str] = []
    changed: list[str] = []  # "name: lệ phí, giấy tờ"
