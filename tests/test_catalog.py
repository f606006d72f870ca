import json
import re

import pytest

from counter_app.dossiers.catalog import bundled_catalog, parse_catalog
from counter_app.errors import InvalidInput
from tests.conftest import make_form

DOMAIN_CODES = {"1.001193", "1.000894", "1.000656", "1.004884", "1.004873", "2.000635", "1.004859", "1.001022",
                "2.000815", "2.000884", "1.004222", "1.004194", "1.001612"}
LANES = {"Hộ tịch", "Chứng thực", "Cư trú", "Đất đai – Xây dựng", "Kinh doanh", "Lao động – Xã hội"}


def test_bundled_catalog_is_broad_and_well_formed():
    cat = bundled_catalog()
    assert len(cat.procedures) >= 30
    codes = {p.code for p in cat.procedures}
    assert codes >= DOMAIN_CODES
    assert {p.lane for p in cat.procedures} == LANES
    for p in cat.procedures:
        assert not p.code or re.fullmatch(r"\d\.\d{6}", p.code)
        assert p.code or "code" in p.unconfirmed
        # What the portal leaves open is shown as "chưa xác nhận", never filled in by guess.
        assert p.documents or "documents" in p.unconfirmed, p.key
        assert p.results or "results" in p.unconfirmed, p.key
        assert p.fees or any(u.startswith("fee") for u in p.unconfirmed), p.key
        assert any(d.mandatory for d in p.documents) or not p.documents or any(
            u.startswith("cases") for u in p.unconfirmed), p.key
        for d in p.documents:  # cleaned of list dashes and of the template files the portal glues on
            assert not re.search(r"\.(docx?|pdf|xlsx?)$", d.name, re.IGNORECASE) and not d.name.startswith("-"), d.name


def _newer(version: str, rename: str) -> str:
    data = json.loads(json.dumps(bundled_catalog().model_dump()))
    data["version"] = version
    for p in data["procedures"]:
        if p["code"] == "1.004222":
            p["name"] = rename
            p["time"] = {"kind": "working_days", "days": 5}
    return json.dumps(data, ensure_ascii=False)


def test_newer_catalog_replaces_older_and_old_dossiers_keep_their_version(office, tmp_path):
    old = office.receive(make_form("1.004222"), actor="a")
    path = tmp_path / "catalog-2027.json"
    path.write_text(_newer("2027.1", "Đăng ký thường trú (mới)"), encoding="utf-8")
    assert office.import_catalog(path, actor="admin") == "2027.1"
    assert office.procedure("1.004222").name == "Đăng ký thường trú (mới)"
    assert office.procedure("1.004222").time_days == 5
    assert len(office.procedures()) == len(bundled_catalog().procedures)
    again = office.dossier(old.code)
    assert (again.catalog_version, again.procedure_name) == ("2026.2", "Đăng ký thường trú")
    new = office.receive(make_form("1.004222"), actor="a")
    assert (new.catalog_version, new.procedure_name) == ("2027.1", "Đăng ký thường trú (mới)")
    # The old dossier's later steps still work under its own version.
    office.start_processing(old.code, actor="a")
    assert office.result_ready(old.code, actor="a").documents[-1].name == "Thông báo kết quả đăng ký thường trú"


def test_older_or_same_catalog_is_refused(office, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(_newer("2025.9", "x"), encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        office.import_catalog(path, actor="admin")
    assert "không mới hơn" in err.value.message_vi


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{not json", "JSON"),
        ('{"version": "2027.1", "procedures": []}', "procedures"),
        ('{"version": "v2", "procedures": [{}]}', "version"),
    ],
)
def test_bad_catalog_files_get_a_clear_message(text, fragment):
    with pytest.raises(InvalidInput) as err:
        parse_catalog(text, "x.json")
    assert fragment in err.value.message_vi and "x.json" in err.value.message_vi


def test_a_code_that_is_not_a_national_code_is_refused():
    data = bundled_catalog().model_dump()
    data["procedures"][0]["code"] = "ABC"
    with pytest.raises(InvalidInput):
        parse_catalog(json.dumps(data), "x.json")


def test_procedure_search_is_accent_insensitive(office):
    names = [p.name for p in office.procedures("chung thuc chu ky")]
    assert "Chứng thực chữ ký" in names
    assert [p.code for p in office.procedures("2.000635")] == ["2.000635"]


def test_the_bundled_catalog_is_built_from_the_portal_with_the_curated_entries_winning():
    """Issue 22: the commune's 291 procedures as the portal publishes them, the 42 curated ones kept."""
    import subprocess
    import sys
    from pathlib import Path

    from counter_app.dossiers.catalog import CatalogFile
    from counter_app.dossiers.catalog_build import PORTAL_FILE

    root = Path(__file__).resolve().parents[1]
    if not PORTAL_FILE.exists():
        pytest.skip(f"{PORTAL_FILE} is not beside the repository")
    check = subprocess.run([sys.executable, "scripts/build_catalog.py", "--check"], cwd=root, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr  # the committed catalog is what the build makes
    cat = bundled_catalog()
    portal = [json.loads(line) for line in PORTAL_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert {r["code"] for r in portal} <= {p.code for p in cat.procedures}
    curated = CatalogFile.model_validate_json((root / "counter_app/data/catalog_curated.json").read_text("utf-8"))
    by_code = {p.code: p for p in cat.procedures}
    for p in curated.procedures:  # a curated entry wins where both have the code
        assert by_code.get(p.code, p) == p if p.code else p in cat.procedures
    unitless = [r["code"] for r in portal if any("đơn vị không ghi" in m["time"] for m in r["methods"])
                and r["code"] not in {p.code for p in curated.procedures}]
    assert unitless and all(any(u.startswith("time") for u in by_code[c].unconfirmed) for c in unitless)
    differences = (root / "counter_app/data/catalog_differences.txt").read_text(encoding="utf-8")
    assert "1.001193 ht.khai-sinh: name" in differences  # listed for the administrator, not merged
