"""One start of the clerk application as a clerk starts it (`counter-app gui`), to its sign-in window.

Run by bench_start.py in a fresh process: app_start T0 [counter-app arguments]. T0 is the parent's
`time.monotonic()` just before it started this process (one clock for both on Linux). Prints
`SIGN-IN <seconds since T0>` when the sign-in window is first shown, and `LOADED <packages>`: which of
those the sign-in window should not wait for were loaded by then; then closes it, so the application
ends as if the clerk had cancelled.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LATER = ("reportlab", "escpos", "alembic", "fastapi", "uvicorn", "starlette", "openpyxl", "PIL", "qrcode")


def main() -> int:
    started = float(sys.argv[1])
    from ui.desk.sign_in import SignInDialog  # imported by the application before its window anyway

    shown = SignInDialog.showEvent

    def show_event(dialog: SignInDialog, event: object) -> None:
        shown(dialog, event)
        print(f"SIGN-IN {time.monotonic() - started:.3f}", flush=True)
        print("LOADED " + ",".join(sorted({m.split(".")[0] for m in sys.modules} & set(LATER))), flush=True)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, dialog.reject)

    SignInDialog.showEvent = show_event  # type: ignore[method-assign]
    from counter_app.cli.main import main as app_main

    return app_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
