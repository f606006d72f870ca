"""The administrator's commands end to end: a key, a backup, its status, a damaged store, a restore."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "COUNTER_APP_SETTINGS": str(tmp_path / "settings.toml"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # the owner-only file beside the settings
    db = tmp_path / "data" / "office.sqlite3"
    return subprocess.run([sys.executable, "-m", "counter_app.cli.main", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, env=env, input=stdin)


@pytest.fixture
def office_pc(tmp_path: Path) -> Path:
    (tmp_path / "disk2").mkdir()
    (tmp_path / "settings.toml").write_text(
        f'backup_folders = ["{tmp_path / "disk2" / "backups"}", "{tmp_path / "usb" / "backups"}"]\n', encoding="utf-8")
    assert _cli(tmp_path, "demo", "--days", "5").returncode == 0
    return tmp_path


def test_backup_status_damage_and_restore_from_the_command_line(office_pc):
    refused = _cli(office_pc, "backup")
    assert refused.returncode == 2 and "Chưa có khóa sao lưu" in refused.stderr

    made_key = _cli(office_pc, "backup", "key")
    assert made_key.returncode == 0, made_key.stderr
    key = made_key.stdout.strip().splitlines()[-1]
    assert len(key.replace("-", "")) == 52
    assert key.replace("-", "") in (office_pc / "secrets.toml").read_text()  # kept for the closing-time backups
    assert oct((office_pc / "secrets.toml").stat().st_mode & 0o777) == "0o600"
    assert _cli(office_pc, "backup", "key").returncode == 1  # never replaced by accident

    made = _cli(office_pc, "backup")
    assert made.returncode == 0, made.stderr
    assert "skipped" in made.stdout and "usb" in made.stdout  # the stick is not plugged in
    (backup,) = (office_pc / "disk2" / "backups").glob("*.cabk")
    status = _cli(office_pc, "backup", "status")
    assert status.returncode == 0 and "newest good backup" in status.stdout and str(backup) in status.stdout
    assert "(not present)" in status.stdout

    store = office_pc / "data" / "office.sqlite3"
    size = store.stat().st_size
    with store.open("r+b") as f:
        f.seek(size // 2)
        f.write(os.urandom(8192))
    broken = _cli(office_pc, "verify-log")
    assert broken.returncode == 2
    assert "bị hỏng" in broken.stderr and str(backup) in broken.stderr and "counter-app restore" in broken.stderr
    assert "Traceback" not in broken.stderr

    key_file = office_pc / "key.txt"
    key_file.write_text(key + "\n", encoding="utf-8")
    restored = _cli(office_pc, "restore", str(backup), "--key-file", str(key_file))
    assert restored.returncode == 0, restored.stderr
    assert "event chain intact" in restored.stdout and "before-restore" in restored.stdout
    intact = _cli(office_pc, "verify-log")
    assert intact.returncode == 0 and "event log intact" in intact.stdout


def test_a_malformed_stored_key_stops_backups_not_the_office(office_pc):
    (office_pc / "secrets.toml").write_text('backup_key = "ABCD-EFGH"\n', encoding="utf-8")
    assert _cli(office_pc, "verify-log").returncode == 0  # the office still opens
    refused = _cli(office_pc, "backup")
    assert refused.returncode == 2 and "52 ký tự" in refused.stderr
    assert _cli(office_pc, "backup", "status").returncode == 1  # no backup yet, and no crash on the key
