"""What a new catalog changes against the one in use, and what in it is still unconfirmed, in Vietnamese."""

from __future__ import annotations

from counter_app.dossiers.catalog import CatalogFile, ProcedureSpec
from counter_app.views.catalog import CatalogChange, UnconfirmedEntry

# the parts of a procedure an office would want to hear changed, and their Vietnamese names
ASPECTS = (("name", "tên"), ("code", "mã"), ("field", "lĩnh vực"), ("time", "thời hạn"), ("fees", "lệ phí"),
           ("documents", "giấy tờ"), ("results", "kết quả"), ("handling_agency", "cơ quan giải quyết"),
           ("cases", "trường hợp"))
# what the catalog marks unconfirmed (`ProcedureSpec.unconfirmed`: a part's name, or a note on its papers)
UNCONFIRMED_VI = {"code": "mã", "fee": "lệ phí", "fees": "lệ phí", "time": "thời hạn", "documents": "giấy tờ",
                  "results": "kết quả", "name": "tên", "cases": "trường hợp",
                  "ghi chú trong thành phần hồ sơ": "ghi chú về giấy tờ"}


def _unconfirmed_vi(mark: str) -> str:
    head = mark.split(":")[0].split(".")[0].strip()
    return UNCONFIRMED_VI.get(head, head[:40])


def _differs(old: ProcedureSpec, new: ProcedureSpec) -> list[str]:
    return [vi for attr, vi in ASPECTS if getattr(old, attr) != getattr(new, attr)]


def catalog_change(old: CatalogFile | None, new: CatalogFile) -> CatalogChange:
    before = {p.key: p for p in old.procedures} if old else {}
    after = {p.key: p for p in new.procedures}
    changed = [f"{p.name}: {', '.join(what)}" for key, p in after.items() if key in before
               and (what := _differs(before[key], p))]
    return CatalogChange(previous=old.version if old else "", version=new.version,
                         added=sorted(p.name for k, p in after.items() if k not in before),
                         removed=sorted(p.name for k, p in before.items() if k not in after), changed=sorted(changed))


def unconfirmed_entries(catalog: CatalogFile) -> list[UnconfirmedEntry]:
    return [UnconfirmedEntry(key=p.key, name=p.name,
                             what=sorted({_unconfirmed_vi(u) for u in p.unconfirmed}))
            for p in catalog.procedures if p.unconfirmed]
