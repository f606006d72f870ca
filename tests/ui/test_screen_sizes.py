"""The commonest clerk PC is 1366×768 (a taskbar leaves about 728 px) and the kiosk also stands in portrait
1080×1920 (issue 19): every screen fits, and is photographed at those sizes for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from tests.conftest import make_form, signed_in
from ui.desk.clerk_window import ClerkWindow
from ui.desk.dossier_detail import DossierDetailDialog

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "sizes"
WORK_AREA = (1366, 728)  # 1366×768 less a taskbar


def _fits(widget: QWidget, width: int, height: int) -> None:
    hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    assert hint.width() <= width and hint.height() <= height, (type(widget).__name__, hint)


def _inside(child: QWidget, window: QWidget) -> bool:
    top_left = child.mapTo(window, QPoint(0, 0))
    return child.isVisible() and window.rect().contains(QRect(top_left, child.size()))


def test_the_clerk_window_fits_1366x768_even_with_an_error_showing(qtbot, office):
    window = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1))
    qtbot.addWidget(window)
    _fits(window, *WORK_AREA)
    window.resize(*WORK_AREA)
    window.show()
    qtbot.waitExposed(window)
    assert (window.width(), window.height()) == WORK_AREA
    form = window.intake
    form.banner.show_message("Thiếu số định danh cá nhân của người nộp. Thiếu địa chỉ. "
                             "Số điện thoại phải có 10 chữ số.", "error")
    qtbot.wait(50)
    assert _inside(form.save_button, window), "Save pushed off the screen by the error"
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "clerk_1366x768_error.png"))
    window.show_list()
    qtbot.wait(50)
    window.grab().save(str(SHOTS / "clerk_list_1366x768.png"))


def test_the_dossier_detail_fits_1366x768(qtbot, office):
    code = office.receive(make_form("ht.khai-sinh"), actor="canbo1").code
    office.start_processing(code, actor="canbo1")
    dialog = DossierDetailDialog(office, office.dossier(code), actor="canbo1", counter_no=1, names={})
    qtbot.addWidget(dialog)
    _fits(dialog, *WORK_AREA)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= WORK_AREA[1] and dialog.width() <= WORK_AREA[0], dialog.size()
    dialog.grab().save(str(SHOTS / "dossier_detail_1366x768.png"))


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (1080, 1920)])
def test_the_kiosk_shows_every_lane_at_its_sizes(qtbot, office, width, height):
    from ui.hall.kiosk import KioskWindow

    kiosk = KioskWindow(office, print_ticket=lambda t: None)
    qtbot.addWidget(kiosk)
    _fits(kiosk, width, height)
    kiosk.resize(width, height)
    kiosk.show()
    qtbot.waitExposed(kiosk)
    kiosk.show_choose()
    qtbot.wait(100)
    assert (kiosk.width(), kiosk.height()) == (width, height)
    for button in [*kiosk.lane_buttons.values(), *kiosk.priority_buttons.values()]:
        assert _inside(button, kiosk), button.text()
    for button in kiosk.priority_buttons.values():  # the whole label shows, none cut at the edges
        assert button.fontMetrics().horizontalAdvance(button.text()) + 24 <= button.width(), button.text()
    assert "Khai sinh" in kiosk.findChild(QWidget, "lane").findChildren(QWidget)[1].text()  # examples under A
    kiosk.grab().save(str(SHOTS / f"kiosk_choose_{width}x{height}.png"))
