"""The hub as a service: SIGTERM stops it cleanly, and a port already taken stops it before it claims to run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import STAFF_PASSWORD, make_form
from tests.hub.conftest import ROOT, Hub, running_hub


def test_sigterm_finishes_the_work_checkpoints_and_exits_0(tmp_path: Path):
    hub: Hub
    for hub in running_hub(tmp_path):
        office = hub.client("quay-1")
        office.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
        code = office.receive(make_form(), actor="canbo1").code
        wal = hub.db_path.with_name(hub.db_path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the intake sits in the WAL while the hub runs
        assert hub.proc is not None
        hub.proc.send_signal(signal.SIGTERM)  # what systemd and a Windows service manager send
        assert hub.proc.wait(timeout=20) == 0, hub.log()
        assert "hub stopped" in hub.log()
        assert not wal.exists() or wal.stat().st_size == 0  # folded into the store before exit
        conn = sqlite3.connect(hub.db_path)
        try:
            assert conn.execute("SELECT count(*) FROM dossier WHERE code = ?", (code,)).fetchone() == (1,)
        finally:
            conn.close()


def test_a_port_in_use_stops_a_second_hub_at_once_with_a_clear_message(tmp_path: Path):
    hub: Hub
    for hub in running_hub(tmp_path):
        settings = tmp_path / "hub-settings.toml"
        second = subprocess.run(
            [sys.executable, "-m", "counter_app.cli.main", "--db", str(hub.db_path), "--settings", str(settings),
             "serve", "--listen", f"127.0.0.1:{hub.port}"],
            cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert second.returncode == 2
        assert f"Cổng {hub.port}" in second.stderr and "đang được một chương trình khác dùng" in second.stderr
        assert "office hub on" not in second.stderr  # it never said it had started
        assert hub.health().status_code == 200  # the first one is untouched
