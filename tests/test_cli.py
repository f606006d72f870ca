import sqlite3
import subprocess
import sys

import pytest

from counter_app.cli.main import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "counter_app.cli.main", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    result = run("--db", str(path), "demo", "--days", "10")
    assert result.returncode == 0, result.stderr
    assert "demo office created" in result.stdout
    return path


def test_demo_makes_a_consistent_office(demo_db):
    con = sqlite3.connect(demo_db)
    dossiers = con.execute("SELECT count(*) FROM dossier").fetchone()[0]
    statuses = {r[0] for r in con.execute("SELECT DISTINCT status FROM dossier")}
    con.close()
    assert dossiers >= 50
    assert {2, 4, 9, 10} & statuses and 10 in statuses
    result = run("--db", str(demo_db), "verify-log")
    assert result.returncode == 0 and "intact" in result.stdout


def test_demo_if_empty_leaves_an_existing_office_alone(demo_db):
    result = run("--db", str(demo_db), "demo", "--if-empty")
    assert result.returncode == 0 and "left as it is" in result.stdout


def test_verify_log_fails_on_tampering(tmp_path, demo_db):
    copy = tmp_path / "copy.sqlite3"
    src, dst = sqlite3.connect(demo_db), sqlite3.connect(copy)
    src.backup(dst)
    dst.execute("UPDATE event SET actor = 'x' WHERE seq = 10")
    dst.commit()
    src.close()
    dst.close()
    result = run("--db", str(copy), "verify-log")
    assert result.returncode == 1 and "BROKEN at event 10" in result.stdout


def test_unknown_ward_exits_with_a_vietnamese_message(tmp_path, capsys):
    db = str(tmp_path / "x.sqlite3")
    code = main(["--db", db, "office", "setup", "--ward", "99999", "--agency-code", "000.1.2.H3"])
    assert code == 2
    assert "Mã phường/xã “99999” không có trong danh mục" in capsys.readouterr().err


def test_office_setup_catalog_and_due(tmp_path, capsys):
    db = str(tmp_path / "o.sqlite3")
    assert main(["--db", db, "office", "setup", "--ward", "73", "--agency-code", "000.00.73.H26"]) == 0
    assert "Phường Cửa Nam" in capsys.readouterr().out
    assert main(["--db", db, "catalog", "list"]) == 0
    listed = capsys.readouterr().out
    assert "1.001193" in listed and listed.count("\n") > 250  # issue 22: the commune's procedures, with codes
    assert main(["--db", db, "printers", "bank", "--bin", "97041", "--account", "1133"]) == 2
    assert "Mã ngân hàng (BIN) phải gồm 6 chữ số" in capsys.readouterr().err
    assert main(["--db", db, "printers", "bank", "--bin", "970415", "--account", "113366668888"]) == 0
    assert "VietQR" in capsys.readouterr().out
    assert main(["--db", db, "due", "1.004194", "--at", "2026-11-23T16:00:00+07:00"]) == 0
    assert "due 27/11/2026 16:00" in capsys.readouterr().out
    assert main(["--db", db, "office", "calendar", "2026-11-27", "off", "--note", "Nghỉ bù"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "due", "1.004194", "--at", "2026-11-23T16:00:00+07:00"]) == 0
    assert "due 30/11/2026 16:00" in capsys.readouterr().out


def test_help_everywhere():
    for args in ([], ["demo"], ["catalog"], ["catalog", "import"], ["office"], ["office", "setup"], ["verify-log"],
                 ["gui"], ["kiosk"], ["board"], ["queue"], ["queue", "settings"], ["printers"], ["printers", "add"]):
        result = run(*args, "--help")
        assert result.returncode == 0 and "usage: counter-app" in result.stdout


def test_queue_settings_and_counter_lanes(tmp_path, capsys):
    db = str(tmp_path / "o.sqlite3")
    assert main(["--db", db, "office", "setup", "--ward", "73", "--agency-code", "000.00.73.H26"]) == 0
    assert main(["--db", db, "queue", "settings", "--priority-streak-max", "2", "--ordinary-wait-max-min", "15"]) == 0
    out = capsys.readouterr().out
    assert "priority_streak_max = 2" in out and "ordinary_wait_max_min = 15" in out
    assert main(["--db", db, "queue", "settings", "--recalls-before-no-show", "-1"]) == 2
    assert "không hợp lệ" in capsys.readouterr().err
    assert main(["--db", db, "queue", "counter-lanes", "2", "b,a"]) == 0
    assert "counter 2 serves B, A" in capsys.readouterr().out
    assert main(["--db", db, "queue", "counter-lanes", "2", "B,Z"]) == 2
    assert "“Z”" in capsys.readouterr().err
    assert main(["--db", db, "queue", "status"]) == 0
    assert "0 counters open" in capsys.readouterr().out


def test_printers_add_list_test_page_and_jobs(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "o.sqlite3")
    previews = tmp_path / "previews"
    settings = tmp_path / "settings.toml"
    settings.write_text(f'preview_dir = "{previews.as_posix()}"\n', encoding="utf-8")
    monkeypatch.setenv("COUNTER_APP_SETTINGS", str(settings))
    assert main(["--db", db, "office", "setup", "--ward", "73", "--agency-code", "000.00.73.H26"]) == 0
    assert main(["--db", db, "printers", "add", "Vé", "--kind", "thermal", "--paper", "58", "--file",
                 "--purposes", "ticket"]) == 0
    assert main(["--db", db, "printers", "add", "A4", "--kind", "a4", "--file", "--purposes", "a4"]) == 0
    assert main(["--db", db, "printers", "add", "Quầy 2", "--kind", "thermal", "--serial", "/dev/ttyUSB0",
                 "--purposes", "slip", "--counters", "2"]) == 0
    out = capsys.readouterr().out
    assert "mất khoảng 10 giây mỗi vé" in out and "Đã lưu máy in “Quầy 2”" in out
    assert main(["--db", db, "printers", "add", "X", "--kind", "thermal", "--text-mode"]) == 2
    assert "không có bảng mã tiếng Việt" in capsys.readouterr().err
    assert main(["--db", db, "printers", "add", "Y", "--kind", "a4", "--network", "10.0.0.9"]) == 2
    assert "Máy in A4 phải dùng hàng đợi in" in capsys.readouterr().err
    assert main(["--db", db, "printers", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Quầy 2: thermal 80 cổng nối tiếp /dev/ttyUSB0 (9600 baud); in slip; quầy 2; Sẵn sàng" in listing
    assert main(["--db", db, "printers", "test", "Vé"]) == 0
    assert main(["--db", db, "printers", "test", "A4"]) == 0
    assert "Đã in trang thử." in capsys.readouterr().out
    assert len(list(previews.glob("test-*.bin"))) == 1 and len(list(previews.glob("test-*.pdf"))) == 1
    assert main(["--db", db, "printers", "test", "Không có"]) == 2
    assert "Không có máy in “Không có”" in capsys.readouterr().err


def test_the_global_options_work_after_the_command_too(tmp_path):
    """As the README writes them: `counter-app demo --db FILE` (it used to fail: only before the command)."""
    path = tmp_path / "after.sqlite3"
    made = run("demo", "--db", str(path), "--days", "3")
    assert made.returncode == 0, made.stderr
    assert path.exists() and str(path) in made.stdout
    listed = run("accounts", "list", "--db", str(path))
    assert listed.returncode == 0 and "quantri" in listed.stdout


def test_the_register_of_a_period_as_a_pdf(demo_db, tmp_path, capsys):
    """Issue 21 item 2: `counter-app register --from --to` writes the dossier register."""
    import subprocess as sp

    out = tmp_path / "so.pdf"
    assert main(["--db", str(demo_db), "register", "--from", "2026-11-01", "--to", "2026-10-01"]) == 2
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi" in capsys.readouterr().err
    assert main(["--db", str(demo_db), "register", "--from", "2025-01-01", "--to", "2027-12-31",
                 "--out", str(out)]) == 0
    assert "dossiers from 01/01/2025" in capsys.readouterr().out
    text = sp.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "SỔ THEO DÕI HỒ SƠ" in text and oct(out.stat().st_mode & 0o777) == "0o600"


def test_a_counter_pc_is_registered_only_at_a_counter_the_office_has(demo_db, capsys):
    """Issue 21: `machines add … --counter 9` used to be accepted where no counter 9 exists."""
    assert main(["--db", str(demo_db), "machines", "add", "quay-9", "--kind", "counter", "--counter", "9"]) == 2
    err = capsys.readouterr().err
    assert "không có quầy số 9" in err and "các quầy hiện có: 1, 2, 3" in err and "Traceback" not in err
    assert main(["--db", str(demo_db), "office", "setup", "--ward", "73", "--agency-code", "000.00.73.H26",
                 "--counters", "9"]) == 0
    assert "9 counters" in capsys.readouterr().out
    assert main(["--db", str(demo_db), "machines", "add", "quay-9", "--kind", "counter", "--counter", "9"]) == 0
