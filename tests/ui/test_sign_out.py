"""Handing the desk over: sign out without quitting, and never lose a half-typed dossier by surprise."""

from __future__ import annotations

import pytest

from counter_app.errors import SignInFailed
from tests.conftest import signed_in
from ui.desk.clerk_window import ClerkWindow


@pytest.fixture
def window(qtbot, office):
    w = ClerkWindow(office, office.info(), signed_in(office, "canbo1", counter_no=1))
    qtbot.addWidget(w)
    w.show()
    w.finished_with: list[bool] = []
    w.finished.connect(w.finished_with.append)
    return w


def test_sign_out_with_a_half_typed_dossier_asks_and_can_stay(qtbot, window, office):
    asked: list[bool] = []
    window.confirm_discard = lambda: asked.append(True) or False  # the clerk answers "No"
    window.intake.name.setText("Nguyễn Văn Đức")  # typed, not saved
    window.sign_out()
    assert asked == [True] and window.isVisible() and window.finished_with == []
    assert window.intake.name.text() == "Nguyễn Văn Đức"
    assert office.session(window.session.token).username == "canbo1"  # still signed in

    window.confirm_discard = lambda: asked.append(True) or True  # now "Yes"
    window.sign_out()
    assert not window.isVisible() and window.finished_with == [True]  # the app offers the next sign-in
    with pytest.raises(SignInFailed):
        office.session(window.session.token)


def test_an_empty_form_signs_out_or_quits_without_asking(qtbot, window):
    window.confirm_discard = lambda: pytest.fail("nothing to lose: no question")
    window.quit_desk()
    assert not window.isVisible() and window.finished_with == [False]  # quitting closes the application
