"""`counter-app diagnose`: one archive with what support needs, and nothing of any citizen."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COUNTER_APP_SETTINGS": str(tmp_path / "settings.toml"),
           "COUNTER_APP_LOG_DIR": str(tmp_path / "logs"), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.run([sys.executable, "-m", "counter_app.cli.main", "--db", str(tmp_path / "office.sqlite3"),
                           *args], capture_output=True, text=True, timeout=120, env=env)


def test_the_archive_has_versions_checks_state_and_logs_and_no_personal_data(tmp_path):
    (tmp_path / "settings.toml").write_text(f'city_token = "{"t" * 40}"\n', encoding="utf-8")
    assert _cli(tmp_path, "demo", "--days", "5").returncode == 0
    assert _cli(tmp_path, "verify-log").returncode == 0
    assert _cli(tmp_path, "due", "1.004222").returncode == 0
    out = tmp_path / "support" / "diag.zip"
    done = _cli(tmp_path, "diagnose", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"

    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        state = json.loads(archive.read("state.json"))
        everything = "\n".join(archive.read(n).decode("utf-8", "replace") for n in names)
    assert "logs/commands.log" in names and "event log intact" not in everything  # logs, not printed output
    assert "office store:" in everything  # what the commands logged
    assert state["store"]["integrity_check"] == ["ok"] and state["store"]["counts"]["dossier"] > 20
    assert state["office"]["event_chain"]["ok"] and state["settings"]["city_token"] == "set"
    assert "t" * 40 not in everything  # the secret itself never

    conn = sqlite3.connect(tmp_path / "office.sqlite3")
    try:
        people = conn.execute("SELECT applicant_name, id_number, phone, address, birth_date FROM dossier").fetchall()
    finally:
        conn.close()
    leaked = {value for row in people for value in row if value and str(value) in everything}
    assert not leaked


def test_a_damaged_store_still_gets_an_archive(tmp_path):
    assert _cli(tmp_path, "demo", "--days", "3").returncode == 0
    store = tmp_path / "office.sqlite3"
    with store.open("r+b") as f:
        f.seek(store.stat().st_size // 2)
        f.write(os.urandom(8192))
    out = tmp_path / "diag.zip"
    assert _cli(tmp_path, "diagnose", "--out", str(out)).returncode == 0
    with zipfile.ZipFile(out) as archive:
        state = json.loads(archive.read("state.json"))
    assert state["store"].get("integrity_check", ["unreadable"]) != ["ok"]
    assert "not opened" in state["office"] and "versions" in state
