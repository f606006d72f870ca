"""One clerk-app start, for bench_desk: sign in, open the window, wait until it is usable, then scroll.

Prints `READY <seconds since the parent started this process>` once the window shows the first page of today's
dossiers and the catalog, then the resident memory after scrolling and filtering the list.
Run by bench_desk.py in a fresh process (the point is a cold start): desk_start DB USER PASSWORD T0, where
T0 is the parent's `time.monotonic()` just before it started the process (one clock for both on Linux).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    db, username, password, started = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    from PySide6.QtWidgets import QApplication

    from counter_app.local.office import LocalOffice
    from counter_app.store import Store
    from counter_app.views.lists import DossierQuery
    from ui.desk import clerk_style
    from ui.desk.clerk_window import ClerkWindow

    app = QApplication(sys.argv)
    clerk_style.apply_font(app)
    office = LocalOffice(Store.open(db, backup_before_upgrade=False))
    session = office.sign_in(username, password, counter_no=1)
    window = ClerkWindow(office, office.info(), session)
    window.show()
    listing, picker = window.dossiers, window.intake.picker
    while listing.model.loading or not picker.procedures:
        app.processEvents()
        time.sleep(0.002)
    print(f"READY {time.monotonic() - started:.3f}", flush=True)

    window.show_list()
    listing.model.set_query(DossierQuery(period="all"))
    for _ in range(25):  # 5,000 rows scrolled through
        while listing.model.loading:
            app.processEvents()
            time.sleep(0.0005)
        listing.model.fetchMore()
    for query in (DossierQuery(period="all", due="overdue"), DossierQuery(period="all", text="nguyen van"),
                  DossierQuery(period="30d", statuses=[4])):
        listing.model.set_query(query)
        while listing.model.loading:
            app.processEvents()
            time.sleep(0.0005)
    app.processEvents()
    print(f"RSS {rss_mb():.0f} MB with {listing.model.rowCount()} rows in the list now", flush=True)
    window.close()
    window.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
