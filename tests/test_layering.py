"""DESIGN.md's import rules, checked on the source: the core knows no screen, printer or sync."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "counter_app": {"PySide6", "ui", "printers", "sync"},
    "printers": {"PySide6", "ui"},
    "sync": {"PySide6", "ui"},
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_packages_import_only_what_design_allows():
    offenders = []
    for package, banned in FORBIDDEN.items():
        for path in (ROOT / package).rglob("*.py"):
            if path.parent == ROOT / "counter_app" / "cli":
                continue  # the composition root (the `counter-app` command and its sub-command modules)
            bad = imported_roots(path) & banned
            if bad:
                offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert offenders == []


def test_widgets_run_no_sql():
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "session.exec" not in text and ".execute(" not in text and "sqlmodel" not in text, path
