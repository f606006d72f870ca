"""The administrator's screens: an account, a counter and a day off made from the window, at 1366×768;
the window is the administrator's alone, and the services refuse a clerk's change anyway."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt

from counter_app.views.accounts import Role
from tests.conftest import signed_in
from tests.ui.keys import type_text
from ui.desk.admin_window import AdminWindow
from ui.desk.clerk_window import ClerkWindow

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "admin"
SHOTS.mkdir(parents=True, exist_ok=True)


def _opened(qtbot, office, actor: str = "admin", tab: int = 0) -> AdminWindow:
    """The window as an administrator opens it, at 1366×768, on page `tab`."""
    window = AdminWindow(office, office.info(), actor=actor)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.tabs.setCurrentIndex(tab)
    return window


def _saved(qtbot, window: AdminWindow) -> None:
    qtbot.waitUntil(lambda: window.banner.kind in ("ok", "error") and bool(window.banner.text()), timeout=10_000)
    assert window.banner.kind == "ok", window.banner.text()
    window.banner.show_message("", "info")


def test_the_administrator_adds_an_account_a_counter_and_a_day_off(qtbot, office):
    window = _opened(qtbot, office)
    qtbot.waitUntil(lambda: window.account_table.rowCount() > 0, timeout=10_000)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 728

    qtbot.keyClicks(window.username, "canbo9")
    type_text(window.full_name, "Đỗ Thị Hằng")
    window.role.setCurrentIndex(window.role.findData(Role.CLERK))
    qtbot.keyClicks(window.password, "matkhau-moi-2026")
    window.save_account()
    _saved(qtbot, window)
    assert office.sign_in("canbo9", "matkhau-moi-2026").full_name == "Đỗ Thị Hằng"
    qtbot.waitUntil(lambda: any(window.account_table.item(r, 0).text() == "canbo9"
                                for r in range(window.account_table.rowCount())), timeout=5000)
    assert window.grab().save(str(SHOTS / "accounts.png"))

    window.tabs.setCurrentIndex(1)
    window.number.setValue(4)
    type_text(window.counter_name, "Quầy số 4 — Đất đai")
    window.lanes.item(0).setCheckState(Qt.CheckState.Checked)
    window.save_counter()
    _saved(qtbot, window)
    four = next(c for c in office.info().counters if c["number"] == 4)
    assert four["name"] == "Quầy số 4 — Đất đai" and four["lanes"] == [window.info.lanes[0]["prefix"]]
    qtbot.waitUntil(lambda: window.counter_table.rowCount() == len(office.info().counters), timeout=5000)
    assert window.grab().save(str(SHOTS / "counters.png"))

    window.tabs.setCurrentIndex(2)
    window.day.setDate(QDate(2026, 12, 31))
    window.day_kind.setCurrentIndex(window.day_kind.findData("off"))
    type_text(window.day_note, "Nghỉ bù theo thông báo của thành phố")
    window.save_day()
    _saved(qtbot, window)
    assert [(d.day, d.kind) for d in office.calendar_days()] == [(date(2026, 12, 31), "off")]
    qtbot.waitUntil(lambda: window.day_table.rowCount() == 1, timeout=5000)
    assert window.grab().save(str(SHOTS / "calendar.png"))

    window.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: window.rules["recalls_before_no_show"].value() == 2, timeout=5000)  # the office's own
    window.rules["recalls_before_no_show"].setValue(1)
    window.rules["default_service_min"].setValue(8.5)
    window.save_rules()
    _saved(qtbot, window)
    rules = office.queue_settings()
    assert (rules.recalls_before_no_show, rules.default_service_min, rules.priority_streak_max) == (1, 8.5, 3)
    assert window.grab().save(str(SHOTS / "queue_rules.png"))
    window.close()
    window.runner.wait()


def test_a_clerk_gets_no_admin_window_and_the_office_refuses_them(qtbot, office):
    clerk = ClerkWindow(office, office.info(), signed_in(office, "canbo1"))
    qtbot.addWidget(clerk)
    assert not clerk.admin_action.isEnabled()
    clerk.close()
    window = _opened(qtbot, office, actor="canbo1")  # were it opened anyway
    qtbot.waitUntil(lambda: window.counter_table.rowCount() > 0, timeout=10_000)
    window.tabs.setCurrentIndex(1)
    window.number.setValue(7)
    window.lanes.item(0).setCheckState(Qt.CheckState.Checked)
    window.save_counter()
    qtbot.waitUntil(lambda: window.banner.kind == "error", timeout=10_000)
    assert "không có quyền" in window.banner.text()
    assert all(c["number"] != 7 for c in office.info().counters)
    window.close()
    window.runner.wait()


def test_a_lan_pc_is_registered_and_its_qr_reads_back_as_the_join_line(qtbot, office, tmp_path):
    from tests.printing.decode import zbar

    office.lan_address = lambda: ("https://192.168.1.10:8470", ":".join(["5A"] * 32))
    window = _opened(qtbot, office, tab=4)
    type_text(window.machine_name, "danhgia-1")
    window.machine_kind.setCurrentIndex(window.machine_kind.findData("rating"))
    window.machine_counter.setValue(1)
    window.register_machine()
    qtbot.waitUntil(lambda: window.setup_dialog is not None and window.setup_dialog.isVisible(), timeout=10_000)
    dialog = window.setup_dialog
    line = dialog.text.text()
    assert line.startswith("counter-app:join hub_url=https://192.168.1.10:8470 ")
    shot = tmp_path / "qr.png"
    assert dialog.qr.pixmap().save(str(shot))
    assert zbar(shot) == [line]  # what the new PC's scanner types into `counter-app join`
    assert dialog.grab().save(str(SHOTS / "machine_setup_qr.png"))
    qtbot.waitUntil(lambda: window.machine_table.rowCount() == 1, timeout=5000)
    assert window.grab().save(str(SHOTS / "machines.png"))
    dialog.accept()
    window.banner.show_message("", "info")
    window.machine_table.selectRow(0)
    window.revoke_machine()
    _saved(qtbot, window)
    assert office.machines()[0].revoked_at is not None
    window.close()
    window.runner.wait()


def test_a_printer_added_tested_and_removed_from_the_screen(qtbot, office):
    window = _opened(qtbot, office, tab=5)
    page = window.printers
    type_text(page.name, "Máy in vé quầy 2")
    page.connection.setCurrentIndex(page.connection.findData("network"))
    type_text(page.address, "192.168.1.50:9100")
    page.purposes["ticket"].setChecked(True)
    type_text(page.counters, "2")
    page.save()
    _saved(qtbot, window)
    saved = office.printer("Máy in vé quầy 2")
    assert (saved.connection.host, saved.connection.tcp_port, saved.purposes, saved.counters) == (
        "192.168.1.50", 9100, ["ticket"], [2])
    qtbot.waitUntil(lambda: page.table.rowCount() == len(office.printers()), timeout=5000)
    assert window.grab().save(str(SHOTS / "printers.png"))
    page.test_page()
    _saved(qtbot, window)
    assert any(j.kind == "test_page" and j.printer == "Máy in vé quầy 2" for j in office.print_jobs())
    page.address.setText("192.168.1.50:in")
    page.save()
    qtbot.waitUntil(lambda: window.banner.kind == "error", timeout=5000)
    assert "Cổng máy in mạng phải là số" in window.banner.text()
    window.banner.show_message("", "info")
    page.remove()
    _saved(qtbot, window)
    assert all(p.name != "Máy in vé quầy 2" for p in office.printers())
    window.close()
    window.runner.wait()


def test_a_newer_catalog_imported_from_the_screen_says_what_it_changed(qtbot, office, tmp_path):
    from counter_app.dossiers.catalog import bundled_catalog

    current = bundled_catalog()
    newer = current.model_copy(deep=True)
    newer.version = current.version + ".1" if current.version.count(".") < 2 else current.version + "1"
    dropped = newer.procedures.pop()
    newer.procedures[0].name = newer.procedures[0].name + " (sửa đổi)"
    added = newer.procedures[1].model_copy(update={"key": "thu-nghiem.moi", "code": "", "name": "Thủ tục mới thử",
                                                   "unconfirmed": ["code"]})
    newer.procedures.append(added)
    path = tmp_path / "danh-muc.json"
    path.write_text(newer.model_dump_json(), encoding="utf-8")

    window = _opened(qtbot, office, tab=6)
    page = window.catalog
    qtbot.waitUntil(lambda: current.version in page.heading.text() and page.table.rowCount() > 0, timeout=10_000)
    page.import_file(path)
    _saved(qtbot, window)
    items = [page.changes.item(i).text() for i in range(page.changes.count())]
    assert items[0] == f"Phiên bản {current.version} → {newer.version}"
    assert f"Thêm: {added.name}" in items and f"Bỏ: {dropped.name}" in items
    assert any(i.startswith(f"Sửa {newer.procedures[0].name}: tên") for i in items)
    qtbot.waitUntil(lambda: newer.version in page.heading.text(), timeout=5000)
    assert window.grab().save(str(SHOTS / "catalog.png"))
    page.import_file(path)  # the same version again
    qtbot.waitUntil(lambda: window.banner.kind == "error", timeout=5000)
    assert "không mới hơn" in window.banner.text()
    window.close()
    window.runner.wait()


def test_every_admin_page_s_change_is_refused_to_a_clerk(qtbot, office, tmp_path):
    """Were the window opened with a clerk's name, each page's change comes back refused by the office."""
    from counter_app.dossiers.catalog import bundled_catalog

    newer = tmp_path / "danh-muc.json"
    newer.write_text(bundled_catalog().model_copy(update={"version": "2099.1"}).model_dump_json(), encoding="utf-8")
    window = _opened(qtbot, office, actor="canbo1")
    qtbot.waitUntil(lambda: window.account_table.rowCount() > 0, timeout=10_000)
    window.username.setText("canbo7")
    window.full_name.setText("Lê Văn Tám")
    window.lanes.item(0).setCheckState(Qt.CheckState.Checked)
    window.machine_name.setText("quay-1b")
    window.printers.name.setText("Máy in thử")
    window.printers.purposes["a4"].setChecked(True)
    window.printers.kind.setCurrentIndex(window.printers.kind.findData("a4"))
    changes = {"account": window.save_account, "counter": window.save_counter, "day": window.save_day,
               "rules": window.save_rules, "machine": window.register_machine, "printer": window.printers.save,
               "catalog": lambda: window.catalog.import_file(newer)}
    for name, change in changes.items():
        window.banner.show_message("", "info")
        change()
        qtbot.waitUntil(lambda: window.banner.kind == "error", timeout=10_000)
        assert "không có quyền" in window.banner.text(), name
    assert all(a.username != "canbo7" for a in office.accounts()) and office.machines() == []
    assert office.catalog_overview().version != "2099.1" and office.calendar_days() == []
    window.close()
    window.runner.wait()
