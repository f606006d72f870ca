"""Writes office_0001.sql: an office as schema 0001 held it (one dossier), for the upgrade test.

Run from the repository root: `.venv/bin/python tests/data/make_office_0001.py`. The rows are
made by the real services, then dumped without the tables that later migrations added.
"""

import sqlite3
import sys
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

from counter_app import office_setup
from counter_app.dossiers import catalog
from counter_app.local.office import LocalOffice
from counter_app.rules.clock import TZ
from counter_app.store import Store
from counter_app.views.dossiers import ApplicantIn, IntakeForm

TABLES_OF_0001 = ("office", "lane", "counter", "catalog_version", "procedure", "sequence_counter",
                  "dossier", "dossier_document", "dossier_fee", "event", "outbox")

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "o.sqlite3"
    store = Store.open(path)
    with store.write() as s:
        office_setup.setup_office(s, ward_code=73, agency_code="000.00.73.H26", actor="admin")
        catalog.import_catalog(s, catalog.bundled_catalog(), actor="admin")
    office = LocalOffice(store, clock=lambda: datetime(2025, 6, 1, 9, 15, tzinfo=TZ))
    office.receive(IntakeForm(
        submission_id=str(uuid.UUID(int=1)), procedure="ct.chu-ky",
        applicant=ApplicantIn(name="Trần Thị Hương", id_number="001190012345", phone="0987654321",
                              address="Số 3 Quán Sứ, Phường Cửa Nam, Thành phố Hà Nội"),
    ), actor="canbo1")
    store.close()
    con = sqlite3.connect(path)
    out = Path(__file__).with_name("office_0001.sql").open("w", encoding="utf-8")
    for table in TABLES_OF_0001:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        for row in con.execute(f"SELECT * FROM {table}"):
            values = ", ".join("NULL" if v is None else str(v) if isinstance(v, int | float)
                               else "'" + str(v).replace("'", "''") + "'" for v in row)
            out.write(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values});\n")
    out.close()
    sys.stdout.write("written\n")
