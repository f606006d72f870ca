"""DESIGN.md's house, checked on the source: who may import whom, down to the rooms of the core and the screens.

Every import counts, also one inside a function. A failure names the file, the line, the import and
the rule it breaks, so whoever moved a file knows what to fix.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The core's floors, lowest first. A room is a sub-package of counter_app or one of its top modules.
FLOORS: list[tuple[str, set[str]]] = [
    ("rules", {"rules", "errors"}),
    ("views", {"views", "events"}),
    ("store", {"store"}),
    ("interface", {"office", "remote_ops", "audit", "settings", "secrets_store"}),
    ("services", {"dossiers", "queue", "printing", "city", "accounts", "office_setup", "backups", "reports",
                  "ratings", "machines"}),
    ("local", {"local"}),
    ("hub and lan", {"hub", "lan", "demo"}),
    ("command", {"cli"}),
]
FLOOR_OF = {room: n for n, (_, rooms) in enumerate(FLOORS) for room in rooms}
# Floors whose rooms may use each other (as long as no two rooms import each other round in a circle).
SIDEWAYS = {"rules", "views", "interface", "services"}
# Rooms held lower than their floor: the LAN client knows only what crosses the interface.
AT_MOST = {"lan": "interface"}

# The screens' rooms: the hall and the desk share `common`, never each other.
UI_MAY_USE = {"common": set(), "hall": {"common"}, "desk": {"common"}}

# Whole packages (DESIGN.md): the core knows no screen, printer or sync except in its command.
BANNED = {
    "counter_app": {"PySide6", "ui", "printers", "sync"},
    "printers": {"PySide6", "ui"},
    "sync": {"PySide6", "ui"},
}
# Except: A4 printing paints pages with Qt's print support (issue 18), never with widgets.
ALLOWED = {"printers": {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtPdf", "PySide6.QtPrintSupport"}}


@dataclass(frozen=True)
class Import:
    file: str  # relative to the repository
    line: int
    module: str  # the dotted name imported, e.g. "counter_app.dossiers.catalog"

    def where(self) -> str:
        return f"{self.file}:{self.line} imports {self.module}"


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = ROOT) -> list[Import]:
    """Every module `path` imports, with `from pkg import name` read as pkg.name when that is a module."""
    found = []
    file = path.relative_to(root).as_posix()
    package = _module_name(path, root) if path.name == "__init__.py" else _module_name(path, root).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(file, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                is_module = (root / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                    root / candidate.replace(".", "/")).is_dir()
                found.append(Import(file, node.lineno, candidate if is_module else base))
    return found


def room_of(module: str, package: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == package and len(parts) > 1 else None


def core_offences(root: Path = ROOT) -> tuple[list[str], dict[str, set[str]]]:
    """What breaks the floors, and the graph of which room uses which (for the circle check)."""
    offences: list[str] = []
    uses: dict[str, set[str]] = {}
    for path in sorted((root / "counter_app").rglob("*.py")):
        room = room_of(_module_name(path, root), "counter_app")
        if room is None:
            continue  # counter_app/__init__.py
        if room not in FLOOR_OF:
            offences.append(f"{path.relative_to(root)}: room {room!r} stands on no floor (add it to FLOORS)")
            continue
        for imp in imports_of(path, root):
            target = room_of(imp.module, "counter_app")
            if target is None or target == room:
                continue
            if target not in FLOOR_OF:
                continue  # reported where that room's own files are
            mine, theirs = FLOOR_OF[room], FLOOR_OF[target]
            uses.setdefault(room, set()).add(target)
            ceiling = FLOORS[mine][0] if room not in AT_MOST else AT_MOST[room]
            limit = next(n for n, (name, _) in enumerate(FLOORS) if name == ceiling)
            if room in AT_MOST and theirs > limit:
                offences.append(f"{imp.where()}: {room} may import only up to the {ceiling} floor, "
                                f"and {target} is on the {FLOORS[theirs][0]} floor")
            elif theirs > mine or (theirs == mine and FLOORS[mine][0] not in SIDEWAYS):
                offences.append(f"{imp.where()}: {room} (floor {FLOORS[mine][0]!r}) may not import {target} "
                                f"(floor {FLOORS[theirs][0]!r})")
    return offences, uses


def circles(uses: dict[str, set[str]]) -> list[list[str]]:
    """Rooms that import each other round in a circle (each circle once, from its first room in order)."""
    found: list[list[str]] = []

    def walk(start: str, room: str, trail: list[str]) -> None:
        for nxt in sorted(uses.get(room, ())):
            if nxt == start:
                found.append([*trail, start])
            elif nxt not in trail and nxt > start:
                walk(start, nxt, [*trail, nxt])

    for start in sorted(uses):
        walk(start, start, [start])
    return found


def ui_offences(root: Path = ROOT) -> list[str]:
    offences = []
    for path in sorted((root / "ui").rglob("*.py")):
        room = room_of(_module_name(path, root), "ui")
        if room is None or room == "assets":
            continue
        if room not in UI_MAY_USE:
            offences.append(f"{path.relative_to(root)}: ui room {room!r} is not one of {sorted(UI_MAY_USE)}")
            continue
        for imp in imports_of(path, root):
            target = room_of(imp.module, "ui")
            if target is not None and target != room and target not in UI_MAY_USE[room]:
                offences.append(f"{imp.where()}: ui/{room} may use only {sorted(UI_MAY_USE[room]) or 'itself'}")
    return offences


def package_offences(root: Path = ROOT) -> list[str]:
    offences = []
    for package, banned in BANNED.items():
        for path in sorted((root / package).rglob("*.py")):
            in_command = path.is_relative_to(root / "counter_app" / "cli")
            for imp in imports_of(path, root):
                top = imp.module.split(".")[0]
                allowed = imp.module in ALLOWED.get(package, set())
                if top in banned and not in_command and not allowed:
                    offences.append(f"{imp.where()}: {package} may not import {top}")
                if imp.module.startswith("counter_app.cli") and not in_command:
                    offences.append(f"{imp.where()}: only the command itself reaches into counter_app.cli")
    return offences


def test_core_rooms_stand_in_floors():
    offences, _ = core_offences()
    assert offences == []


def test_no_two_core_rooms_import_each_other_round_a_circle():
    _, uses = core_offences()
    assert circles(uses) == []


def test_screens_keep_the_hall_and_the_desk_apart():
    assert ui_offences() == []


def test_packages_import_only_what_design_allows():
    assert package_offences() == []


def test_widgets_run_no_sql():
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "session.exec" not in text and ".execute(" not in text and "sqlmodel" not in text, path


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checks_name_each_broken_rule(tmp_path: Path):
    """The checks themselves, on a small house built to break each rule once."""
    root = _tree(tmp_path, {
        "counter_app/__init__.py": "",
        "counter_app/rules/__init__.py": "",
        "counter_app/rules/clock.py": "from counter_app.store import db\n",  # a rule reaching up
        "counter_app/store/__init__.py": "",
        "counter_app/store/db.py": "from counter_app.rules import clock\n",  # fine: down a floor
        "counter_app/dossiers/__init__.py": "",
        "counter_app/dossiers/intake.py": "def f():\n    from counter_app.queue import service\n",
        "counter_app/queue/__init__.py": "",
        "counter_app/queue/service.py": "from counter_app.dossiers import intake\n",  # a circle of services
        "counter_app/lan/__init__.py": "",
        "counter_app/lan/office.py": "from counter_app import accounts\nfrom counter_app.office import Office\n",
        "counter_app/accounts.py": "",
        "counter_app/office.py": "",
        "counter_app/hub/__init__.py": "",
        "counter_app/hub/api.py": "from counter_app.lan import office\n",  # sideways on the hub's floor
        "counter_app/gadgets/__init__.py": "",
        "counter_app/cli/__init__.py": "",
        "counter_app/cli/main.py": "import PySide6\nfrom ui.desk import app\n",  # the command may
        "ui/__init__.py": "",
        "ui/desk/__init__.py": "",
        "ui/desk/app.py": "from ui.hall import board\nfrom ui.common import worker\n",
        "ui/hall/__init__.py": "",
        "ui/hall/board.py": "",
        "ui/common/__init__.py": "",
        "ui/common/worker.py": "",
        "printers/__init__.py": "",
        "printers/slips.py": "from counter_app.cli import main\nfrom PySide6 import QtWidgets\n",
        "sync/__init__.py": "",
    })
    offences, uses = core_offences(root)
    assert offences == [
        "counter_app/gadgets/__init__.py: room 'gadgets' stands on no floor (add it to FLOORS)",
        "counter_app/hub/api.py:1 imports counter_app.lan.office: hub (floor 'hub and lan') may not import lan "
        "(floor 'hub and lan')",
        "counter_app/lan/office.py:1 imports counter_app.accounts: lan may import only up to the interface floor, "
        "and accounts is on the services floor",
        "counter_app/rules/clock.py:1 imports counter_app.store.db: rules (floor 'rules') may not import store "
        "(floor 'store')",
    ]
    assert circles(uses) == [["dossiers", "queue", "dossiers"], ["rules", "store", "rules"]]
    assert ui_offences(root) == ["ui/desk/app.py:1 imports ui.hall.board: ui/desk may use only ['common']"]
    assert package_offences(root) == [
        "printers/slips.py:1 imports counter_app.cli.main: only the command itself reaches into counter_app.cli",
        "printers/slips.py:2 imports PySide6: printers may not import PySide6",
    ]
