"""The clerk application's start: the look, sign-in at a counter, then the clerk's window.

Only what the sign-in window needs is imported before it shows (issue 23: to the sign-in window in
under 1.5 s); the clerk's window and the print spool (reportlab, python-escpos) load on a thread of
their own while the clerk types the password.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from counter_app.errors import OfficeError
from counter_app.office import Office
from counter_app.views.accounts import SessionView
from ui.common import collector
from ui.desk import clerk_style
from ui.desk.sign_in import SignInDialog

log = logging.getLogger(__name__)

AFTER_SIGN_IN = ("ui.desk.clerk_window", "printers.spool", "holidays.countries")  # the desk, and the calendar
# behind a due date (holidays loads every country: 0.13 s at the first intake of the day otherwise)
WARM_AFTER_MS = 300  # the sign-in window is painted first


def _warm() -> None:
    for name in AFTER_SIGN_IN:
        try:
            importlib.import_module(name)
        except Exception:  # imported again where it is needed, and failing there with its own message
            log.exception("could not load %s ahead of time", name)


def run_clerk_app(office: Office, *, counter_no: int | None = None, username: str = "",
                  board: Callable[[], QWidget] | None = None, rating: Callable[[], QWidget] | None = None,
                  preview_dir: Path | None = None,
                  printers: list[str] | None = None, hub_url: str = "",
                  idle_lock_minutes: float | None = None) -> int:
    """Sign in, then the clerk's window (with the counter's queue panel); `board` also opens the hall board,
    `rating` the citizen's rating screen on the monitor facing them.

    With `preview_dir` this process also runs the print spool: for every printer in the embedded
    one-PC hub, for the `printers` wired to this PC when it works at a hub over the LAN (`hub_url`).
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Một cửa")
    collector.install(app)  # garbage holding Qt objects is freed on this thread only
    clerk_style.apply_font(app)
    try:
        info = office.info()
    except OfficeError as exc:
        log.error("cannot start: %s", exc)
        QMessageBox.critical(None, "Chưa thể mở phần mềm", exc.message_vi)
        return 2
    sign_in = SignInDialog(office, info, username=username, counter_no=counter_no)
    QTimer.singleShot(WARM_AFTER_MS, threading.Thread(target=_warm, name="warm-desk", daemon=True).start)
    if sign_in.exec() != SignInDialog.DialogCode.Accepted or sign_in.session is None:
        return 0
    from printers.spool import Spool
    from ui.desk.clerk_window import ClerkWindow, hub_label

    spool = Spool(office, preview_dir=preview_dir, printers=printers) if preview_dir is not None else None
    if spool is not None:
        spool.start()
    app.setQuitOnLastWindowClosed(False)  # a clerk handing the desk over closes the window, not the app
    windows: list[ClerkWindow] = []

    def open_desk(session: SessionView) -> None:
        window = ClerkWindow(office, info, session,
                             **({"idle_lock_minutes": idle_lock_minutes} if idle_lock_minutes is not None else {}),
                             **({"hub_label": hub_label(hub_url)} if hub_url else {}))
        window.finished.connect(next_clerk)
        windows[:] = [window]
        window.show()

    def next_clerk(handover: bool) -> None:
        if not handover:
            app.quit()
            return
        dialog = SignInDialog(office, info, counter_no=counter_no)
        if dialog.exec() == SignInDialog.DialogCode.Accepted and dialog.session is not None:
            open_desk(dialog.session)
        else:
            app.quit()

    open_desk(sign_in.session)
    hall = board() if board is not None else None
    citizen = rating() if rating is not None else None
    code = app.exec()
    if spool is not None:
        spool.stop()
    for screen in (hall, citizen):
        if screen is not None:
            screen.deleteLater()
    return code
