"""The city operator's commands and `counter-app city-server` as a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx

from counter_app.cli.main import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_city_server_serves_and_credentials_work(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'city.sqlite3'}"
    assert main(["city", "--db-url", url, "credential", "000.00.73.H26", "--label", "Cửa Nam"]) == 0
    token = capsys.readouterr().out.strip()
    assert len(token) >= 40
    port = _free_port()
    env = dict(os.environ, COUNTER_CITY_DB_URL=url)
    server = subprocess.Popen([sys.executable, "-m", "counter_app.cli.main", "city-server", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                assert httpx.get(f"{base}/health").json()["status"] == "ok"
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline
                time.sleep(0.1)
        hub = httpx.get(f"{base}/v1/sync/changes", headers={"Authorization": f"Bearer {token}"})
        assert hub.status_code == 200 and hub.json()["changes"] == []
        assert main(["city", "--db-url", url, "revoke", "000.00.73.H26"]) == 0
        assert httpx.get(f"{base}/v1/sync/changes", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_city_commands_refuse_without_a_database_url(monkeypatch, capsys):
    monkeypatch.delenv("COUNTER_CITY_DB_URL", raising=False)
    assert main(["city", "export"]) == 2
    assert "COUNTER_CITY_DB_URL" in capsys.readouterr().err


def test_sync_now_and_status_commands(city, office, tmp_path, capsys):
    from tests.conftest import AGENCY, make_form

    office.receive(make_form(), actor="canbo1")
    settings = tmp_path / "settings.toml"
    settings.write_text(f'city_url = "{city.url}"\ncity_token = "{city.token(AGENCY)}"\n', encoding="utf-8")
    db = str(office.store.path)
    assert main(["--db", db, "--settings", str(settings), "sync", "now"]) == 0
    out = capsys.readouterr().out
    assert "pushed 1 ops (1 stored, 0 refused), pulled 0 changes" in out and "waiting: 0" in out
    settings.write_text("", encoding="utf-8")
    assert main(["--db", db, "--settings", str(settings), "sync", "now"]) == 2
    assert "city_url" in capsys.readouterr().err


def test_operators_of_the_live_view_are_added_and_disabled_from_the_command_line(tmp_path, capsys, monkeypatch):
    import io

    from sqlalchemy.orm import Session

    from sync.server import operators
    from sync.server.db import make_engine

    url = f"sqlite:///{tmp_path / 'city.sqlite3'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-mat-khau-dai-2026\n"))  # not a terminal: read, not asked
    assert main(["city", "--db-url", url, "operator", "lanhdao", "--name", "Lê Văn Nam", "--role", "point",
                 "--agency", "000.00.73.H26"]) == 0
    assert "operator lanhdao (point 000.00.73.H26) added" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["city", "--db-url", url, "operator", "khac", "--name", "Người Khác"]) == 2  # too short
    assert "Mật khẩu cần ít nhất 10 ký tự" in capsys.readouterr().err
    engine = make_engine(url)
    with Session(engine) as s, s.begin():
        assert operators.sign_in(s, "LanhDao", "mot-mat-khau-dai-2026", datetime.now(UTC)) is not None
        assert operators.sign_in(s, "lanhdao", "sai-mat-khau-roi", datetime.now(UTC)) is None
    assert main(["city", "--db-url", url, "operator", "lanhdao", "--disable"]) == 0
    with Session(engine) as s, s.begin():
        assert operators.sign_in(s, "lanhdao", "mot-mat-khau-dai-2026", datetime.now(UTC)) is None
    engine.dispose()
