"""`counter-app gui` as a clerk starts it: the sign-in window comes before the heavy parts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from counter_app import office_setup
from counter_app.dossiers import catalog
from counter_app.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_the_sign_in_window_waits_for_none_of_the_printing_web_or_migration_code(tmp_path: Path):
    db = tmp_path / "office.sqlite3"
    store = Store.open(db)
    with store.write() as s:
        office_setup.setup_office(s, ward_code=73, agency_code="000.00.73.H26", actor="admin")
        catalog.import_catalog(s, catalog.bundled_catalog(), actor="admin")
    store.close()
    temp = tmp_path / "tmp"
    temp.mkdir()
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "app_start.py"), str(time.monotonic()), "--db", str(db),
         "--settings", str(tmp_path / "settings.toml"), "gui"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temp)})
    assert run.returncode == 0, run.stderr[-3000:]
    lines = dict(line.split(" ", 1) if " " in line else (line, "") for line in run.stdout.splitlines())
    assert "SIGN-IN" in lines, run.stdout
    assert lines["LOADED"] == ""  # reportlab, escpos, alembic, FastAPI... all come after the sign-in window
    assert list(temp.iterdir()) == []  # and nothing is left in the temporary folder

