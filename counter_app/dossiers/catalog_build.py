"""Building the bundled catalog from the national portal's commune-level procedures (`../shared/data/catalog`).

The portal's facts are taken as they are; what the portal leaves open stays visible as *chưa xác nhận*
(`unconfirmed`) and nothing is guessed: a time without a unit, no time, no fee, a note standing among the
documents. The entries curated by hand win where both have a procedure (same national code); how they
differ is listed by `differences`, not merged silently. Each procedure's kiosk lane group comes from its
field through `data/field_lanes.json`, which an office can change (and its lanes' groups with it).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from counter_app.dossiers.catalog import CatalogFile, ProcedureSpec

DATA = Path(__file__).resolve().parents[1] / "data"
# The facts gathered for the team, beside the repository (../shared): read when the catalog is built.
PORTAL_FILE = Path(__file__).resolve().parents[2].parent / "shared/data/catalog/commune-procedures-2026.jsonl"
UNKNOWN = "Không có thông tin"
COUNTER_METHOD = "Trực tiếp"  # what is received at the counter; other methods' figures may differ
_EXT = r"\.(docx?|pdf|xlsx?|rtf|odt)\s*$"
# The portal glues a template's file name onto the document's name: "…Thông tư số 67/2025/TT-BXDMẫu số 01.docx".
_GLUED = re.compile(r"(?<=[^\s(])(Mẫu|Giấy|Tờ khai|Đơn|Phụ lục|Biểu|Bản khai|Danh sách|TK)[^/]*?" + _EXT, re.IGNORECASE)
_LAST_FILE = re.compile(r"\s+\S+" + _EXT, re.IGNORECASE)
_MONEY = re.compile(r"([\d.,]+)\s*(Việt Nam Đồng|VNĐ|đồng|đ)\b", re.IGNORECASE)


def field_lanes() -> dict[str, str]:
    table = json.loads((DATA / "field_lanes.json").read_text(encoding="utf-8"))
    return {unicodedata.normalize("NFC", k): v for k, v in table.items()}


def time_of(text: str) -> tuple[dict[str, Any], list[str]]:
    """The portal's time for one method as a `TimeSpec`, and what is not confirmed about it.

    Only working days are counted by the office's calendar (DOMAIN.md); calendar days, hours and a
    number without a unit are kept as a working-day count marked unconfirmed, with the portal's words.
    """
    text = (text or "").strip()
    working = re.fullmatch(r"(\d+)\s*Ngày làm việc", text)
    if working:
        days = int(working.group(1))
        return ({"kind": "working_days", "days": days} if days else {"kind": "same_day"}), []
    number = re.match(r"(\d+(?:[.,]\d+)?)", text)
    if not number:
        return {"kind": "working_days", "days": 1}, ["time: cổng quốc gia không ghi thời hạn"]
    days = max(1, round(float(number.group(1).replace(",", "."))))
    if "giờ" in text.lower():
        hours = float(number.group(1).replace(",", "."))
        spec = {"kind": "same_day"} if hours <= 4 else {"kind": "working_days", "days": max(1, round(hours / 8))}
        return spec, [f"time: {text} (tính theo giờ)"]
    if "ngày" in text.lower():
        return {"kind": "working_days", "days": days}, [f"time: {text} (ngày thường, không phải ngày làm việc)"]
    return {"kind": "working_days", "days": days}, [f"time: {days} (cổng không ghi đơn vị)"]


def fee_of(text: str, name: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The portal's fee for one method: free, an amount in đồng, or unknown (unconfirmed)."""
    text = (text or "").strip()
    if not text or text == UNKNOWN:
        return [], ["fee"]
    if text.startswith("Miễn phí"):
        return [{"name": f"Phí, lệ phí {name[:1].lower()}{name[1:]}"[:200], "amount": 0, "note": "Miễn phí"}], []
    money = _MONEY.search(text)
    if not money:
        return [], [f"fee: {text}"]
    amount = int(re.sub(r"[.,]", "", money.group(1)))
    if amount < 1000:  # no Vietnamese fee is under a thousand đồng: the portal's figure is not to be trusted
        return [], [f"fee: cổng ghi “{text}”, có thể sai đơn vị"]
    return [{"name": f"Phí, lệ phí {name[:1].lower()}{name[1:]}"[:200], "amount": amount, "unit": "hồ sơ"}], [
        "fee: đơn vị tính (hồ sơ, bản, trang) chưa xác nhận"]


def clean_name(name: str) -> str:
    """A document's name without the list dash the portal starts it with or a template file's name at its end."""
    name = unicodedata.normalize("NFC", re.sub(r"^\s*[-–•+*]\s*", "", name or "").strip())
    for pattern in (_GLUED, _LAST_FILE):
        cleaned = pattern.sub("", name).strip(" ;,:")
        if cleaned != name and cleaned:
            return cleaned
    return name


def documents_of(record: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Documents of every case (those of a named case say which, and are not all mandatory); notes
    standing among them (no copy to hand in) are kept as unconfirmed text, not as documents."""
    docs: list[dict[str, Any]] = []
    notes: list[str] = []
    cases = {d.get("case") for d in record.get("documents", []) if d.get("case")}
    seen: set[str] = set()
    for d in record.get("documents", []):
        name = clean_name(d.get("name", ""))
        if not name:
            continue
        original, copy = int(d.get("original") or 0), int(d.get("copy") or 0)
        if original == 0 and copy == 0:
            notes.append(f"ghi chú trong thành phần hồ sơ: {name[:200]}")
            continue
        several = len(cases) > 1 and bool(d.get("case"))
        if several:
            name = f"{name} (trường hợp: {d['case']})"
        name = name[:300]
        if name in seen:
            continue
        seen.add(name)
        docs.append({"name": name, "originals": original, "certified": 0, "copies": copy, "mandatory": not several})
    if len(cases) > 1:
        notes.append("cases: " + "; ".join(sorted(cases))[:500])
    return docs, notes


def from_portal(record: dict[str, Any], lanes: dict[str, str]) -> dict[str, Any]:
    """One portal record as a bundled-catalog procedure (its key is its national code)."""
    methods = record.get("methods") or []
    counter = next((m for m in methods if m.get("method") == COUNTER_METHOD), methods[0] if methods else {})
    time_spec, unconfirmed = time_of(counter.get("time", ""))
    steps = {m.get("time", "") for m in methods if m.get("method") == counter.get("method")}
    if len(steps) > 1:  # the portal lists a method twice, one time per step: which one is the whole is unknown
        longest = max(steps, key=lambda t: time_of(t)[0].get("days", 0))
        time_spec, unconfirmed = time_of(longest)
        unconfirmed = [*unconfirmed, "time: cổng ghi nhiều thời hạn theo bước: " + "; ".join(sorted(steps))]
    time_by_method = {}
    for method in methods:  # another time online or by post, where the portal gives one in working days
        kind = {"Trực tuyến": "online", "Dịch vụ bưu chính": "post"}.get(method.get("method", ""))
        other, notes = time_of(method.get("time", ""))
        several = len({m.get("time") for m in methods if m.get("method") == method.get("method")}) > 1
        if kind and not notes and not unconfirmed and not several and other != time_spec:
            time_by_method[kind] = other
    fees, fee_notes = fee_of(counter.get("fee", ""), record["name"])
    for method in methods:  # another amount online or by post, where the portal says so
        kind = {"Trực tuyến": "online", "Dịch vụ bưu chính": "post"}.get(method.get("method", ""))
        other, _ = fee_of(method.get("fee", ""), record["name"])
        if kind and fees and other and other[0]["amount"] != fees[0]["amount"]:
            fees[0].setdefault("by_method", {})[kind] = other[0]["amount"]
    docs, notes = documents_of(record)
    field = unicodedata.normalize("NFC", record.get("field") or "Khác")
    lane = lanes.get(field)
    if lane is None:
        lane = lanes["*"]
        unconfirmed.append(f"lane: lĩnh vực “{field}” chưa có trong bảng lĩnh vực – hàng chờ")
    agency = record.get("agency") or ""
    return {
        "key": record["code"], "code": record["code"], "name": unicodedata.normalize("NFC", record["name"].strip()),
        "field": field, "lane": lane,
        "time": time_spec, "time_by_method": time_by_method, "handled_by": "commune",
        "handling_agency": "" if agency == UNKNOWN else agency,
        "fees": fees, "documents": docs, "results": [],
        "unconfirmed": [*unconfirmed, *fee_notes, *(["documents"] if not docs else []), "results", *notes],
    }


def build(portal_path: Path, curated: CatalogFile, *, version: str, issued: str) -> CatalogFile:
    """The curated procedures first (they win), then every portal procedure they do not cover."""
    lanes = field_lanes()
    records = [json.loads(line) for line in portal_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    covered = {p.code for p in curated.procedures if p.code}
    added = [ProcedureSpec.model_validate(from_portal(r, lanes)) for r in records if r["code"] not in covered]
    source = ("Thủ tục cấp xã theo Cổng Dịch vụ công quốc gia (2026), bổ sung các thủ tục đã rà soát kèm phần mềm; "
              "mục “chưa xác nhận” cần quản trị viên đối chiếu trước khi dùng. Mức phí, lệ phí do HĐND thành phố "
              "quy định.")
    return CatalogFile(version=version, issued=issued, source=source, procedures=[*curated.procedures, *added])


def differences(portal_path: Path, curated: CatalogFile) -> list[str]:
    """Where a curated entry and the portal's record of the same code disagree (name, time, fee, papers)."""
    lanes = field_lanes()
    by_code = {json.loads(line)["code"]: json.loads(line)
               for line in portal_path.read_text(encoding="utf-8").splitlines() if line.strip()}
    out: list[str] = []
    for p in curated.procedures:
        record = by_code.get(p.code)
        if record is None:
            continue
        portal = from_portal(record, lanes)
        if portal["name"] != p.name:
            out.append(f"{p.code} {p.key}: name “{p.name}” / portal “{portal['name']}”")
        if portal["time"] != p.time.model_dump(exclude_defaults=False) and portal["time"] != {
                "kind": p.time.kind, "days": p.time.days}:
            out.append(f"{p.code} {p.key}: time {p.time.kind} {p.time.days} / portal {portal['time']} "
                       f"{[u for u in portal['unconfirmed'] if u.startswith('time')]}")
        ours = sorted(f.amount for f in p.fees)
        theirs = sorted(f["amount"] for f in portal["fees"])
        if ours != theirs:
            out.append(f"{p.code} {p.key}: fees {ours} / portal {theirs or 'không có thông tin'}")
        if len(p.documents) != len(portal["documents"]):
            out.append(f"{p.code} {p.key}: {len(p.documents)} documents / portal {len(portal['documents'])}")
    return out
