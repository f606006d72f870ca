"""The installable bundle: built with PyInstaller, then run with no Python and no project on the path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run([str(ROOT / "scripts" / "build-bundle.sh"), str(dist)], capture_output=True, text=True,
                           timeout=900)
    assert built.returncode == 0, built.stderr[-3000:]
    return dist / "counter-app" / "counter-app"


def _bare_env(home: Path) -> dict[str, str]:
    """What a technician's fresh PC has: no virtualenv, no PYTHONPATH, nothing of the project."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
            "COUNTER_APP_LOG_DIR": str(home / "logs"), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


@pytest.mark.slow
def test_the_bundle_runs_the_command_the_demo_and_the_clerk_app(bundle, tmp_path):
    env = _bare_env(tmp_path)
    db = str(tmp_path / "office.sqlite3")
    shown = subprocess.run([str(bundle), "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert shown.returncode == 0 and "backup" in shown.stdout and "serve" in shown.stdout

    demo = subprocess.run([str(bundle), "--db", db, "demo", "--days", "3"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert demo.returncode == 0 and "demo office created" in demo.stdout, demo.stderr[-2000:]
    verified = subprocess.run([str(bundle), "--db", db, "verify-log"], capture_output=True, text=True, env=env,
                              timeout=60)
    assert verified.returncode == 0 and "event log intact" in verified.stdout  # migrations and catalog came along

    app = subprocess.Popen([str(bundle), "--db", db, "gui"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            app.wait(timeout=8)  # still up: the sign-in window is waiting for a clerk
    finally:
        app.terminate()
        _out, err = app.communicate(timeout=20)
    log = (tmp_path / "logs" / "gui.log").read_text(encoding="utf-8")
    assert "office store" in log and "Traceback" not in err + log and " ERROR " not in log
    assert os.access(bundle, os.X_OK)


@pytest.mark.parametrize("unit", sorted((ROOT / "packaging" / "systemd").glob("*.service")), ids=lambda p: p.name)
def test_each_autostart_unit_starts_a_real_command_of_the_bundle(unit):
    import configparser

    from counter_app.cli.main import _parser

    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read(unit, encoding="utf-8")
    program, command = parsed["Service"]["ExecStart"].split()
    assert program == "%h/counter-app/counter-app"
    assert _parser().parse_args([command]).command == command
    assert parsed["Service"]["Restart"] == "on-failure" and parsed["Install"]["WantedBy"]
