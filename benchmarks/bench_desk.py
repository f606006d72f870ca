"""The clerk's desk: cold start, Save to receipt, the dossier list over 500,000 dossiers, memory.

Goals (issue 4): a signed-in usable window under 2.5 s from a cold start (offscreen); Save to the
receipt ready to print under 300 ms; each scroll or filter step of a 500,000-dossier list under
100 ms; the clerk app's resident memory under 300 MB with that database. Issue 23: `counter-app gui`
to its sign-in window under 1.5 s median and 2 s worst of 5, leaving nothing in the temporary folder.

The 500,000-dossier store is bench_search's (built once into benchmarks/.cache/), copied and given
a realistic mix of statuses, due times, clerks and procedures by SQL, so filters have work to do.
Run: .venv/bin/python -m benchmarks.bench_desk [--rebuild] [N]
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import CACHE, figures, fresh_office, year_store_file
from counter_app import accounts
from counter_app.local.office import LocalOffice
from counter_app.store import Store
from counter_app.views.accounts import AccountIn, Role
from counter_app.views.dossiers import ApplicantIn
from counter_app.views.lists import DossierQuery

PASSWORD = "bench-2026-mk"
ROOT = Path(__file__).resolve().parents[1]


def _staff(store: Store) -> None:
    from counter_app.rules.clock import now

    with store.write() as s:
        for name, role in (("canbo1", Role.CLERK), ("canbo2", Role.CLERK), ("totruong", Role.SUPERVISOR)):
            if accounts.get(s, name) is None:
                accounts.save(s, AccountIn(username=name, full_name=name, role=role, password=PASSWORD),
                              at=now(), actor=accounts.SYSTEM)


def big_store(n: int, rebuild: bool) -> Path:
    """The year-old store (_common: bench_search's dossiers and a year of tickets), copied, mixed (statuses,
    due times, clerks, procedures), with staff."""
    if rebuild:
        for stale in (CACHE / f"search-{n}.sqlite3", CACHE / f"year-{n}.sqlite3"):
            stale.unlink(missing_ok=True)
    source = year_store_file(n)
    path = CACHE / f"desk-{n}.sqlite3"
    if rebuild or not path.exists():
        shutil.copyfile(source, path)
        Store.open(path, backup_before_upgrade=False).close()  # migrate to the current schema
        con = sqlite3.connect(path)
        keys = [r[0] for r in con.execute("SELECT key FROM procedure LIMIT 40")]
        con.execute("PRAGMA synchronous=OFF")
        # Received on the day its code says, during office hours; the newest hundredth (about the last
        # eleven days) still open in a mix of statuses with a 7-day due time, so some are overdue.
        day = "'20' || substr(code, 15, 2) || '-' || substr(code, 17, 2) || '-' || substr(code, 19, 2)"
        con.execute(f"""UPDATE dossier SET
            received_at = {day} || printf('T%02d:%02d:00.000000+07:00', 8 + id % 9, id % 60),
            clerk = CASE id % 3 WHEN 0 THEN 'canbo1' WHEN 1 THEN 'canbo2' ELSE 'canbo3' END,
            procedure_key = CASE id % {len(keys)} {' '.join(f"WHEN {i} THEN '{k}'" for i, k in enumerate(keys))} END,
            status = CASE WHEN id > {n * 99 // 100} THEN (CASE id % 4 WHEN 0 THEN 2 WHEN 1 THEN 4 WHEN 2 THEN 5
                                                      ELSE 9 END) ELSE status END,
            due_at = date({day}, CASE WHEN id > {n * 99 // 100} THEN '+7 days' ELSE '+3 days' END)
                     || 'T17:00:00.000000+07:00'""")
        con.commit()
        con.close()
    store = Store.open(path, backup_before_upgrade=False)
    _staff(store)
    store.close()
    return path


def cold_start(path: Path, runs: int = 3) -> None:
    ready, rss = [], ""
    for _ in range(runs):
        subprocess.run(["sync"], check=False)
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "benchmarks.desk_start", str(path), "canbo1", PASSWORD,
                               str(t0)], cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.monotonic() - t0
        if proc.returncode:
            raise SystemExit(f"desk_start failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}")
        lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.split()}
        ready.append(float(lines["READY"].split()[1]))
        rss = lines["RSS"]
        print(f"  start: window usable after {ready[-1]:.2f} s (whole run incl. scrolling and exit {wall:.2f} s)")
    print(f"cold start to a usable signed-in window ({path.name}): best {min(ready):.2f} s, "
          f"worst {max(ready):.2f} s (goal < 2.5 s)")
    print(f"clerk app {rss.removeprefix('RSS ')} (goal < 300 MB)")


def to_sign_in(path: Path, runs: int = 5) -> None:
    """`counter-app gui` as a clerk starts it, to its sign-in window (benchmarks/app_start.py), each run in a
    temporary folder of its own that must be empty afterwards."""
    shown, left = [], []
    for _ in range(runs):
        subprocess.run(["sync"], check=False)
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.monotonic()
            command = [sys.executable, str(ROOT / "benchmarks" / "app_start.py"), str(t0), "--db", str(path),
                       "--settings", str(Path(tmp) / "settings.toml"), "gui"]
            proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                                  env={**os.environ, "TMPDIR": tmp, "TEMP": tmp, "TMP": tmp})
            lines = [line for line in proc.stdout.splitlines() if line.startswith("SIGN-IN ")]
            if proc.returncode or not lines:
                raise SystemExit(f"app_start failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr[-3000:]}")
            shown.append(float(lines[0].split()[1]) * 1000)
            left += [p.name for p in Path(tmp).iterdir()]
    print(figures(f"counter-app gui to its sign-in window ({path.name}, {runs} cold starts; goal median < 1500, "
                  "worst < 2000)", shown))
    print(f"  left in the temporary folder by those runs: {', '.join(left) or 'nothing'}")


def list_steps(path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.desk.dossier_list import DossierListModel

    app = QApplication.instance() or QApplication(sys.argv)
    office = LocalOffice(Store.open(path, backup_before_upgrade=False))
    model = DossierListModel(office)

    def step(action: Callable[[], object]) -> float:
        t0 = time.perf_counter()
        action()
        while model.loading:
            app.processEvents()
            time.sleep(0.0005)
        return (time.perf_counter() - t0) * 1000

    filters = [DossierQuery(), DossierQuery(period="all"), DossierQuery(period="all", statuses=[4]),
               DossierQuery(period="all", due="overdue"), DossierQuery(period="30d", clerk="canbo1"),
               DossierQuery(period="all", procedure="ct.ban-sao"), DossierQuery(period="all", text="nguyen van"),
               DossierQuery(period="all", text="0912"), DossierQuery(period="all", statuses=[10], clerk="canbo2")]
    filtering = [step(lambda q=q: model.set_query(q)) for q in filters * 3]
    model.set_query(DossierQuery(period="all"))
    step(lambda: None)
    scrolling = [step(model.fetchMore) for _ in range(100)]
    counting = []
    for q in filters:
        t0 = time.perf_counter()
        office.dossier_count(q)
        counting.append((time.perf_counter() - t0) * 1000)
    print(figures("list: change a filter, first page shown", filtering))
    print(figures("list: scroll, next 200 rows shown", scrolling), f"({model.rowCount():,} rows loaded)")
    print(figures("list: count of matching dossiers (status line, in the background)", counting))
    model.runner.wait()
    model.deleteLater()
    app.processEvents()
    office.store.close()


def save_to_receipt(runs: int = 20) -> None:
    from PySide6.QtWidgets import QApplication

    from counter_app.views.printing import PrinterConfig
    from printers import job_render
    from ui.desk.intake_form import IntakeFormWidget

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = fresh_office(Path(tmp) / "office.sqlite3")
        _staff(store)
        office = LocalOffice(store)
        office.save_printer(PrinterConfig(name="A4", kind="a4", purposes=["a4"]), actor=accounts.SYSTEM)
        printer = office.printer("A4")
        jobs: list = []
        form = IntakeFormWidget(office, actor="canbo1", counter_no=1,
                                on_print=lambda d, request: jobs.append(office.submit_print(request, actor="canbo1")))
        while not form.picker.procedures:
            app.processEvents()
            time.sleep(0.0005)
        samples = []
        for i in range(runs + 1):
            form.picker.choose("cutru.thuong-tru")
            form.checklist.check_all()
            a = ApplicantIn(name=f"Nguyễn Văn Đức {uuid.uuid4().hex[:4]}", id_number="001090012345",
                            phone="0912345678", address="Số 12 Hàng Bông, Phường Cửa Nam, Hà Nội")
            form.name.setText(a.name)
            form.id_number.setText(a.id_number)
            form.phone.setText(a.phone)
            form.address.setText(a.address)
            t0 = time.perf_counter()
            form.save()
            while len(jobs) <= i:
                app.processEvents()
                time.sleep(0.0005)
            output = job_render.render(jobs[i], office, printer, office._now())  # what the spool sends
            if i:  # the first loads fonts
                samples.append((time.perf_counter() - t0) * 1000)
            assert output.is_pdf and output.data.startswith(b"%PDF")
        print(figures("Save pressed to the receipt PDF ready to print (commit, job queued, rendered)", samples))
        form.shutdown()
        form.deleteLater()
        app.processEvents()
        store.close()


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 500_000
    path = big_store(n, "--rebuild" in sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        fresh_office(Path(tmp) / "office.sqlite3").close()
        to_sign_in(Path(tmp) / "office.sqlite3")
    to_sign_in(path)
    cold_start(path)
    list_steps(path)
    save_to_receipt()


if __name__ == "__main__":
    main()
