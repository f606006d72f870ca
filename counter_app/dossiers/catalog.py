"""The procedure catalog: the file shipped with the package, and its import into the store.

A newer catalog replaces an older one: the old procedure rows stay (inactive) so every
dossier keeps the procedure version it was received under.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, col, select, update

from counter_app import audit
from counter_app.errors import InvalidInput, NotFound
from counter_app.rules.clock import now
from counter_app.rules.workcal import ProcedureTime
from counter_app.store.models import CatalogVersion, Procedure

_CODE = re.compile(r"\d\.\d{6}")
_VERSION = re.compile(r"\d+(\.\d+)*")


class DocumentSpec(BaseModel):
    name: str = Field(min_length=1)
    originals: int = Field(ge=0, default=1)
    certified: int = Field(ge=0, default=0)
    copies: int = Field(ge=0, default=0)
    mandatory: bool = True


class CaseSpec(BaseModel):
    """One situation of a procedure with its own papers (the clerk picks it at intake)."""

    name: str = Field(min_length=1)
    documents: list[DocumentSpec] = []


class FeeSpec(BaseModel):
    name: str = Field(min_length=1)
    amount: int = Field(ge=0)  # đồng per unit
    unit: str = "hồ sơ"  # "trang" per page, "bản" per copy, anything else per case (rules.fees)
    note: str = ""
    from_page: int = Field(ge=0, default=0)  # a per-page fee's lower rate starts at this page (0: none)
    amount_from: int = Field(ge=0, default=0)
    cap_per_copy: int = Field(ge=0, default=0)  # 0: no cap
    by_method: dict[Literal["online", "post"], int] = {}  # where a submission method pays another amount
    exempt: list[str] = []  # groups that pay nothing (the intake asks, the receipt says which)


class TimeSpec(BaseModel):
    kind: Literal["same_day", "working_days"]
    days: int = Field(ge=0, default=0)

    def to_time(self) -> ProcedureTime:
        return ProcedureTime(self.kind, self.days)

    @model_validator(mode="after")
    def _consistent(self) -> TimeSpec:
        self.to_time()  # raises ValueError on a contradiction
        return self


class ProcedureSpec(BaseModel):
    key: str = Field(min_length=1)
    code: str = ""
    name: str = Field(min_length=1)
    field: str = Field(min_length=1)
    lane: str = Field(min_length=1)
    time: TimeSpec
    handled_by: Literal["commune", "transfer"] = "commune"
    handling_agency: str = ""
    fees: list[FeeSpec] = []
    documents: list[DocumentSpec] = []
    results: list[str] = []
    unconfirmed: list[str] = []
    cases: list[CaseSpec] = []  # several situations, each with its papers (`documents` is the first's)
    time_by_method: dict[Literal["online", "post"], TimeSpec] = {}  # where a method takes another time

    @field_validator("code")
    @classmethod
    def _national_code(cls, value: str) -> str:
        if value and not _CODE.fullmatch(value):
            raise ValueError(f"national code {value!r} is not like 1.001193")
        return value

    @model_validator(mode="after")
    def _code_or_unconfirmed(self) -> ProcedureSpec:
        if not self.code and "code" not in self.unconfirmed:
            raise ValueError(f"procedure {self.key} has no national code and is not marked unconfirmed")
        return self


class CatalogFile(BaseModel):
    version: str
    issued: str = ""
    source: str = ""
    procedures: list[ProcedureSpec] = Field(min_length=1)

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not _VERSION.fullmatch(value):
            raise ValueError(f"catalog version {value!r} is not like 2026.1")
        return value

    @model_validator(mode="after")
    def _unique(self) -> CatalogFile:
        keys = [p.key for p in self.procedures]
        codes = [p.code for p in self.procedures if p.code]
        if len(set(keys)) != len(keys) or len(set(codes)) != len(codes):
            raise ValueError("procedure keys and national codes must be unique in a catalog")
        return self


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def parse_catalog(text: str, origin: str = "catalog") -> CatalogFile:
    """Validate a catalog file's text; a clear error names what is wrong."""
    try:
        return CatalogFile.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{origin}: not JSON ({exc})", f"Tệp danh mục “{origin}” không đúng định dạng JSON."
        ) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(
            f"{origin}: invalid catalog at {where}: {first['msg']}",
            f"Tệp danh mục “{origin}” không hợp lệ ở mục {where}: {first['msg']}",
        ) from None


def bundled_catalog() -> CatalogFile:
    text = resources.files("counter_app").joinpath("data/catalog.json").read_text(encoding="utf-8")
    return parse_catalog(text, "catalog.json")


def load_catalog_file(path: Path) -> CatalogFile:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise NotFound(f"cannot read catalog {path}: {exc}", f"Không đọc được tệp danh mục “{path}”.") from None
    return parse_catalog(text, Path(path).name)


def active_catalog(session: Session) -> CatalogFile | None:
    """The active catalog as a catalog file (to add records to it and import the result as the next version)."""
    version = active_version(session)
    if version is None:
        return None
    rows = session.exec(select(Procedure).where(Procedure.catalog_version_id == version.id)
                        .order_by(col(Procedure.id))).all()
    return CatalogFile(version=version.version, issued=version.issued, source=version.source, procedures=[
        ProcedureSpec(key=r.key, code=r.code, name=r.name, field=r.field, lane=r.lane,
                      time=TimeSpec(kind=r.time_kind, days=r.time_days), handled_by=r.handled_by,
                      handling_agency=r.handling_agency, fees=r.fees, documents=r.documents, results=r.results,
                      unconfirmed=r.unconfirmed, cases=r.cases, time_by_method=r.time_by_method) for r in rows])


def active_version(session: Session) -> CatalogVersion | None:
    rows = session.exec(select(CatalogVersion)).all()
    return max(rows, key=lambda r: version_tuple(r.version), default=None)


# What the commonest procedures of each field are called at the kiosk, in the citizen's words.
FIELD_EXAMPLES = {
    "Hộ tịch": ["Khai sinh", "Kết hôn", "Khai tử"],
    "Chứng thực": ["Sao y bản chính", "Chứng thực chữ ký", "Hợp đồng"],
    "Cư trú": ["Thường trú", "Tạm trú", "Tạm vắng"],
    "Đất đai – Xây dựng": ["Giấy phép xây dựng", "Đất đai"],
    "Kinh doanh": ["Hộ kinh doanh"],
    "Lao động – Xã hội": ["Trợ cấp xã hội", "Người khuyết tật", "Người có công"],
}


def lane_examples(session: Session, groups: list[str], *, limit: int = 3) -> list[str]:
    """A few things a lane takes, for the kiosk: the field's usual words, else the first procedures of the
    catalog in those fields (their first words)."""
    known = [e for g in groups for e in FIELD_EXAMPLES.get(g, [])]
    if known:
        return known[:limit]
    version = active_version(session)
    if version is None or not groups:
        return []
    names = session.exec(select(Procedure.name).where(Procedure.catalog_version_id == version.id,
                                                      col(Procedure.lane).in_(groups), Procedure.active)
                         .order_by(col(Procedure.id)).limit(limit)).all()
    return [" ".join(n.split(",")[0].split()[:5]) for n in names]


def import_catalog(session: Session, catalog: CatalogFile, *, actor: str) -> CatalogVersion:
    """Add `catalog` as the active version; refuse one that is not newer than the active one."""
    current = active_version(session)
    if current is not None and version_tuple(catalog.version) <= version_tuple(current.version):
        raise InvalidInput(
            f"catalog {catalog.version} is not newer than the active {current.version}",
            f"Danh mục phiên bản {catalog.version} không mới hơn phiên bản đang dùng ({current.version}).",
        )
    at = now()
    row = CatalogVersion(
        version=catalog.version, issued=catalog.issued, source=catalog.source,
        imported_at=at, procedure_count=len(catalog.procedures),
    )
    session.add(row)
    session.flush()
    session.execute(update(Procedure).where(col(Procedure.active)).values(active=False))
    for spec in catalog.procedures:
        session.add(
            Procedure(
                catalog_version_id=row.id, key=spec.key, code=spec.code, name=spec.name, field=spec.field,
                lane=spec.lane, time_kind=spec.time.kind, time_days=spec.time.days, handled_by=spec.handled_by,
                handling_agency=spec.handling_agency, fees=[f.model_dump() for f in spec.fees],
                documents=[d.model_dump() for d in spec.documents], results=list(spec.results),
                unconfirmed=list(spec.unconfirmed), cases=[c.model_dump() for c in spec.cases],
                time_by_method={k: v.model_dump() for k, v in spec.time_by_method.items()}, active=True,
            )
        )
    audit.append(
        session, at=at, actor=actor, subject="catalog", kind="catalog.imported",
        details={"version": catalog.version, "procedures": len(catalog.procedures)},
    )
    session.flush()
    return row


def active_procedure(session: Session, key: str) -> Procedure:
    """The procedure of the active catalog by key or national code."""
    proc = session.exec(
        select(Procedure).where(col(Procedure.active), (Procedure.key == key) | (Procedure.code == key))
    ).first()
    if proc is None:
        raise NotFound(f"unknown procedure {key!r}", f"Không tìm thấy thủ tục “{key}” trong danh mục đang dùng.")
    return proc


CHANNEL_METHODS = {2: "online", 3: "post"}  # a dossier's channel (1 is at the counter)


def procedure_time(proc: Procedure, channel: int = 1) -> ProcedureTime:
    """The procedure's time by regulation, for a dossier that came in through `channel`."""
    other = proc.time_by_method.get(CHANNEL_METHODS.get(channel, ""))
    if other:
        return ProcedureTime(other["kind"], other.get("days", 0))
    return ProcedureTime(proc.time_kind, proc.time_days)  # type: ignore[arg-type]
