"""Procedure records in the national portal's own detail format, read into the catalog (issue 22, item 2).

`counter-app catalog import` takes one such record, a list of them, or a folder of `*.json` files. The
records are laid over the active catalog (a record replaces the procedure of the same code, a new code is
added) and the result is imported as the next version. The fields read (`../shared/data/catalog/README`):
`code`/`codeNotation`, `name`, `categoriesDetails[].name` (field), `departmentsExecuting[].name`,
`executionMethods[]` (`submissionMethod` ONLINE, DIRECT, POSTAL; `processingTime` and its unit
WORKING_DAY, DAY, HOUR, OTHER; `fees[]` with `type`, `value` in đồng, `description`), `executionCases[]`
(`name`, `profileComponents[]` with `name`, `originalQty`, `copyQty`, `required`, `isProcessingResult`,
`attachments[].fileName`), `resultsDetails[]`. What a record leaves open is marked unconfirmed, as the
bundled catalog does.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from counter_app.dossiers.catalog import CatalogFile, ProcedureSpec, version_tuple
from counter_app.dossiers.catalog_build import clean_name, field_lanes, time_of
from counter_app.errors import InvalidInput

_CODE = re.compile(r"\d\.\d{6}")
METHODS = {"DIRECT": "", "ONLINE": "online", "POSTAL": "post"}


def is_portal_text(data: Any) -> bool:
    """A portal detail record (or a list of them), rather than a catalog file of this program."""
    records = data if isinstance(data, list) else [data]
    return bool(records) and all(isinstance(r, dict) and "executionCases" in r for r in records)


def is_portal_path(path: Path) -> bool:
    """A folder (of portal records), or a file holding a portal record or a list of them."""
    if path.is_dir():
        return True
    try:
        return is_portal_text(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return False  # the catalog reader reports what is wrong with it


def read_records(path: Path) -> list[dict[str, Any]]:
    """The records in a file (one record or a list) or in every `*.json` file of a folder, in name order."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    records: list[dict[str, Any]] = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"{file.name}: not a readable JSON file ({exc})",
                               f"Tệp “{file.name}” không đọc được hoặc không đúng định dạng JSON.") from None
        if not is_portal_text(data):
            raise InvalidInput(f"{file.name}: not a portal procedure record",
                               f"Tệp “{file.name}” không phải bản ghi thủ tục của Cổng Dịch vụ công.")
        records += data if isinstance(data, list) else [data]
    if not records:
        raise InvalidInput(f"{path}: no procedure records", f"Không có bản ghi thủ tục nào trong “{path}”.")
    return records


def _time(method: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A method's time read as the bundled catalog reads the portal's words (`catalog_build.time_of`)."""
    days, unit = method.get("processingTime"), str(method.get("processingTimeUnit") or "")
    if not isinstance(days, int | float) or days < 0:
        return {"kind": "working_days", "days": 1}, ["time: bản ghi không có thời hạn"]
    words = {"WORKING_DAY": "Ngày làm việc", "DAY": "ngày", "HOUR": "giờ"}.get(unit, "")
    return time_of(f"{days:g} {words}".strip())


def _fees(method: dict[str, Any], name: str) -> list[dict[str, Any]]:
    out = []
    for fee in method.get("fees") or []:
        value = fee.get("value")
        if isinstance(value, int | float) and value >= 0:
            label = str(fee.get("description") or ("Lệ phí" if fee.get("type") == "CHARGE" else "Phí")).strip()
            out.append({"name": label[:200] or f"Phí, lệ phí {name}"[:200], "amount": int(value), "unit": "hồ sơ"})
    return out


def _papers(case: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    documents, results = [], []
    for c in case.get("profileComponents") or []:
        name = unicodedata.normalize("NFC", str(c.get("name") or "").strip())
        for attachment in c.get("attachments") or []:  # the template's file name, glued on or not
            file_name = unicodedata.normalize("NFC", str(attachment.get("fileName") or ""))
            if file_name and name.endswith(file_name):
                name = name[: -len(file_name)].strip(" ;,:")
        name = clean_name(name)
        if not name:
            continue
        if c.get("isProcessingResult"):
            results.append(name)
            continue
        documents.append({"name": name[:300], "originals": int(c.get("originalQty") or 0), "certified": 0,
                          "copies": int(c.get("copyQty") or 0), "mandatory": bool(c.get("required", True))})
    return documents, results


def procedure(record: dict[str, Any], lanes: dict[str, str]) -> ProcedureSpec:
    """One portal record as a catalog procedure (its key is its national code)."""
    code = str(record.get("codeNotation") or record.get("code") or "")
    if not _CODE.fullmatch(code):
        raise InvalidInput(f"portal record without a national code ({code!r})",
                           f"Bản ghi thủ tục “{record.get('name', '')}” thiếu mã thủ tục dạng 1.001193.")
    name = unicodedata.normalize("NFC", str(record.get("name") or "").strip())
    field = unicodedata.normalize("NFC", ((record.get("categoriesDetails") or [{}])[0]).get("name") or "Khác")
    methods = {METHODS.get(m.get("submissionMethod"), "?"): m for m in record.get("executionMethods") or []}
    counter = methods.get("", next(iter(methods.values()), {}))
    time, unconfirmed = _time(counter)
    time_by_method = {}
    for kind in ("online", "post"):  # another time online or by post, where the record says so
        if kind in methods:
            other, notes = _time(methods[kind])
            if other != time and not notes:
                time_by_method[kind] = other
    fees = _fees(counter, name)
    for kind in ("online", "post"):
        other = _fees(methods.get(kind, {}), name)
        if fees and other and other[0]["amount"] != fees[0]["amount"]:
            fees[0].setdefault("by_method", {})[kind] = other[0]["amount"]
    if not fees:
        unconfirmed.append("fee")
    cases = []
    results = [str(r.get("name")).strip() for r in record.get("resultsDetails") or [] if r.get("name")]
    for case in record.get("executionCases") or []:
        documents, case_results = _papers(case)
        cases.append({"name": str(case.get("name") or "Trường hợp chung").strip()[:200], "documents": documents})
        results += [r for r in case_results if r not in results]
    lane = lanes.get(field) or lanes["*"]
    if field not in lanes:
        unconfirmed.append(f"lane: lĩnh vực “{field}” chưa có trong bảng lĩnh vực – hàng chờ")
    departments = record.get("departmentsExecuting") or [{}]
    return ProcedureSpec.model_validate({
        "key": code, "code": code, "name": name, "field": field, "lane": lane, "time": time,
        "time_by_method": time_by_method,
        "handling_agency": str(departments[0].get("name") or ""), "fees": fees,
        "documents": cases[0]["documents"] if cases else [],
        "cases": cases if len(cases) > 1 else [],
        "results": results, "unconfirmed": unconfirmed + ([] if results else ["results"])
        + ([] if cases and cases[0]["documents"] else ["documents"]),
    })


def next_version(version: str) -> str:
    parts = list(version_tuple(version))
    return ".".join(str(p) for p in [*parts[:-1], parts[-1] + 1])


def lay_over(active: CatalogFile, records: list[dict[str, Any]]) -> CatalogFile:
    """The active catalog with the records' procedures replacing those of the same code, or added."""
    lanes = field_lanes()
    incoming = [procedure(r, lanes) for r in records]
    by_code = {p.code: p for p in incoming}
    procedures = []
    for old in active.procedures:  # a replaced procedure keeps its key (a curated "ht.khai-sinh" stays so)
        new = by_code.pop(old.code, None) if old.code else None
        procedures.append(new.model_copy(update={"key": old.key}) if new is not None else old)
    note = "Cập nhật từ bản ghi Cổng Dịch vụ công."
    source = active.source if note in active.source else f"{active.source} {note}".strip()
    return CatalogFile(version=next_version(active.version), issued=active.issued, source=source,
                       procedures=[*procedures, *by_code.values()])
