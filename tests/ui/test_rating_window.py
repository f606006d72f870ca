"""The citizen's rating screen: asks after each service at its counter, takes one tap, thanks, goes quiet;
in one process, and as a tablet at a real hub (machine kind `rating`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from counter_app.rules.clock import now
from tests.conftest import STAFF_PASSWORD
from tests.hub.conftest import Hub, running_hub
from ui.hall.rating_window import RatingWindow

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "hall"
SHOTS.mkdir(parents=True, exist_ok=True)


def _serve(office, clock=None, counter: int = 1, clerk: str = "canbo1", kiosk=None) -> None:
    office.set_counter_open(counter, True, actor=clerk)
    (kiosk or office).issue_ticket(lane="A")
    office.call_next(counter, actor=clerk)
    office.start_serving(counter, actor=clerk)
    if clock is not None:
        clock.at += timedelta(minutes=4)
    office.finish_ticket(counter, actor=clerk)


def test_after_a_service_the_screen_asks_takes_reasons_and_thanks(qtbot, office, clock):
    window = RatingWindow(office, 1)
    qtbot.addWidget(window)
    window.resize(1280, 800)  # the commonest 10-inch tablet, landscape
    window.show()
    assert window.stack.currentWidget() is window.idle
    _serve(office, clock)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.asking, timeout=5000)
    assert "Nguyễn Thị Lan" in window.who.text() and "Quầy số 1" in window.who.text()  # by name, never login
    assert window.grab().save(str(SHOTS / "rating_question.png"))
    qtbot.mouseClick(window.choice_buttons["not_satisfied"], Qt.MouseButton.LeftButton)
    assert window.reasons_box.isVisible() and set(window.reason_buttons) >= {"wait", "guidance"}
    qtbot.mouseClick(window.reason_buttons["wait"], Qt.MouseButton.LeftButton)
    assert window.grab().save(str(SHOTS / "rating_reasons.png"))
    qtbot.mouseClick(window.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.thanks, timeout=5000)
    assert "Cảm ơn" in window.thanks.text()
    report = office.period_report(date(2026, 11, 23), date(2026, 11, 23))
    assert report.ratings_total.not_satisfied == 1 and report.ratings_total.reasons == {"Phải chờ lâu": 1}
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.idle, timeout=6000)
    window.ask_office()  # answered: nothing more to ask
    qtbot.wait(200)
    assert window.stack.currentWidget() is window.idle
    window.close()
    window.runner.wait()


def test_on_a_counter_pc_s_second_monitor_everything_fits(qtbot, office, clock):
    """`counter-app gui --rating-screen`: the rating on the 1366×768 monitor facing the citizen."""
    window = RatingWindow(office, 1)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    _serve(office, clock)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.asking, timeout=5000)
    qtbot.mouseClick(window.choice_buttons["not_satisfied"], Qt.MouseButton.LeftButton)
    assert window.grab().save(str(SHOTS / "rating_reasons_1366x768.png"))
    inside = window.rect()
    for button in [*window.choice_buttons.values(), *window.reason_buttons.values(), window.send]:
        corner = button.mapTo(window, button.rect().bottomRight())
        assert button.isVisible() and inside.contains(corner), button.text()
    window.close()
    window.runner.wait()


def test_a_service_at_another_counter_is_not_asked_here(qtbot, office, clock):
    window = RatingWindow(office, 1)
    qtbot.addWidget(window)
    window.show()
    _serve(office, clock, counter=2, clerk="canbo2")
    qtbot.wait(300)
    window.ask_office()
    qtbot.wait(300)
    assert window.stack.currentWidget() is window.idle
    window.close()
    window.runner.wait()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    yield from running_hub(tmp_path)


def test_a_rating_tablet_at_the_hub(qtbot, hub: Hub):
    counter = hub.client("quay-1")
    counter.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
    window = RatingWindow(hub.client("danhgia-1"), 1)  # the tablet facing counter 1, no clerk at it
    qtbot.addWidget(window)
    window.resize(800, 1280)  # a tablet on its stand, portrait
    window.show()
    _serve(counter, kiosk=hub.client("kiosk"))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.asking, timeout=10_000)
    assert window.grab().save(str(SHOTS / "rating_tablet_portrait.png"))
    qtbot.mouseClick(window.choice_buttons["very_satisfied"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.thanks, timeout=10_000)
    boss = hub.client("quay-2")
    boss.sign_in("truongbp", STAFF_PASSWORD, counter_no=2)
    today = now().date()
    assert boss.period_report(today, today).ratings_total.very_satisfied == 1
    window.close()
    window.runner.wait()
