"""Search over 500,000 dossiers (FTS5, folded) against a plain LIKE scan, and the store's size.

Goals (issue 2): search p95 under 30 ms; a 500,000-dossier database under 1.5 GB. Issue 23: the search
timed as the list uses it, on the queries clerks make, each with its expected hit, one letter included.

Building 500,000 dossiers through the service would take a long time, so the store is built
by copying the rows the real service writes for one dossier (dossier, documents, fee, four
events and their outbox ops with real payloads) with a different applicant, code and times
for each copy. It is cached in benchmarks/.cache/ and rebuilt with --rebuild.

The store is modelled in its steady state: 500,000 dossiers are about three years of a busy
ward, synced nightly; the city has acknowledged every op and `outbox.prune_acked` has removed
those acknowledged more than 30 days ago (OUTBOX_KEEP_DAYS). The figure for a hub that never
synced at all is printed as well, from the outbox bytes measured per dossier.
Run: .venv/bin/python benchmarks/bench_search.py [--rebuild] [N]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import figures, fresh_office

from counter_app.demo import _person
from counter_app.local.office import LocalOffice
from counter_app.rules.search_text import dossier_search_columns
from counter_app.rules.textfold import fold
from counter_app.store import Store
from counter_app.views.dossiers import IntakeForm
from counter_app.views.lists import DossierQuery

CACHE = Path(__file__).resolve().parent / ".cache"
START = date(2023, 11, 1)
DAYS = 3 * 365
OUTBOX_KEEP_DAYS = 30


def _template(store: Store) -> None:
    office = LocalOffice(store)
    rng = random.Random(1)
    d = office.receive(IntakeForm(submission_id="template", procedure="ct.ban-sao", applicant=_person(rng)), actor="b")
    office.start_processing(d.code, actor="b")
    office.result_ready(d.code, actor="b")
    office.return_result(d.code, to_whom=d.applicant_name, id_checked=True, actor="b")


def build(path: Path, n: int) -> None:
    store = fresh_office(path)
    _template(store)
    store.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    cols = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in
            ("dossier", "dossier_document", "dossier_fee", "event", "outbox")}
    dossier = dict(zip(cols["dossier"], con.execute("SELECT * FROM dossier").fetchone(), strict=True))
    docs = [dict(zip(cols["dossier_document"], r, strict=True)) for r in con.execute("SELECT * FROM dossier_document")]
    fees = [dict(zip(cols["dossier_fee"], r, strict=True)) for r in con.execute("SELECT * FROM dossier_fee")]
    events = [dict(zip(cols["event"], r, strict=True)) for r in con.execute("SELECT * FROM event WHERE dossier_id = 1")]
    ops = [dict(zip(cols["outbox"], r, strict=True)) for r in con.execute("SELECT * FROM outbox")]
    seq = con.execute("SELECT max(seq) FROM event").fetchone()[0]
    rng = random.Random(2025)
    keep_from = START + timedelta(days=DAYS - OUTBOX_KEEP_DAYS)
    per_day: dict[date, int] = {}

    def insert(table: str, rows: list[dict]) -> None:
        names = cols[table]
        con.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                        [tuple(r[c] for c in names) for r in rows])

    batch: dict[str, list[dict]] = {t: [] for t in cols}
    search_rows = []
    for i in range(2, n + 2):
        person = _person(rng)
        day = START + timedelta(days=i * DAYS // n)
        per_day[day] = per_day.get(day, 0) + 1
        code = f"000.00.73.H26-{day:%y%m%d}-{per_day[day]:04d}"
        row = dict(dossier, id=i, code=code, submission_id=str(uuid.UUID(int=i)), applicant_name=person.name,
                   id_number=person.id_number, phone=person.phone, address=person.address, register_row=i)
        batch["dossier"].append(row)
        batch["dossier_document"] += [dict(d, id=None, dossier_id=i) for d in docs]
        batch["dossier_fee"] += [dict(f, id=None, dossier_id=i) for f in fees]
        for e, op in zip(events, ops, strict=True):
            seq += 1
            batch["event"].append(dict(e, seq=seq, dossier_id=i, subject=f"dossier:{code}",
                                       details=e["details"].replace(dossier["applicant_name"], person.name)))
            if day >= keep_from:
                batch["outbox"].append(dict(op, id=None, op_id=str(uuid.uuid4()), dossier_id=i, event_seq=seq,
                                            payload=op["payload"].replace(dossier["applicant_name"], person.name)
                                            .replace(dossier["code"], code), state="acked", acked_at=op["created_at"]))
        search_rows.append((i, *dossier_search_columns(code=code, applicant_name=person.name, representative="",
                                                       id_number=person.id_number, phone=person.phone,
                                                       address=person.address)))
        if len(batch["dossier"]) >= 20_000 or i == n + 1:
            for table in ("dossier", "dossier_document", "dossier_fee", "event", "outbox"):
                insert(table, batch[table])
                batch[table] = []
            con.executemany("INSERT INTO dossier_search(rowid, name, rest) VALUES (?, ?, ?)", search_rows)
            search_rows = []
            con.commit()
            print(f"  built {i - 1:,} dossiers", flush=True)
    con.execute("INSERT INTO dossier_search(dossier_search) VALUES ('optimize')")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 500_000
    path = CACHE / f"search-{n}.sqlite3"
    CACHE.mkdir(exist_ok=True)
    if "--rebuild" in sys.argv or not path.exists():
        t0 = time.perf_counter()
        build(path, n)
        print(f"built {n:,} dossiers in {time.perf_counter() - t0:.0f} s")
    store = Store.open(path)
    with store.read() as s:
        count = s.execute(text("SELECT count(*) FROM dossier")).scalar()
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(f"store: {count:,} dossiers, {size / 2**30:.2f} GiB on disk ({size / count:.0f} bytes per dossier)")
    print(f"goal 1.5 GB: {'met' if size < 1.5e9 else 'NOT met'} ({size / 1e9:.2f} GB, outbox pruned "
          f"{OUTBOX_KEEP_DAYS} days after acknowledgement)")
    con = sqlite3.connect(path)
    try:
        parts = dict(con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        largest = sorted(parts.items(), key=lambda kv: -kv[1])[:6]
        print("  largest: " + ", ".join(f"{name} {b / count:.0f} B/dossier" for name, b in largest))
        with_ops = con.execute("SELECT count(DISTINCT dossier_id) FROM outbox").fetchone()[0]
        op_bytes = sum(b for name, b in parts.items() if "outbox" in name)
        if with_ops:
            never = size + (count - with_ops) * op_bytes / with_ops
            print(f"  a hub that never synced (every op kept): about {never / 1e9:.2f} GB "
                  f"({op_bytes / with_ops:.0f} outbox bytes per dossier)")
    except sqlite3.OperationalError:  # SQLite built without dbstat
        pass
    con.close()

    # The searches a clerk makes, each for a dossier of the store (so each has an expected hit, though among
    # 500,000 a given name and surname are shared by many, and the newest page may not hold it): the name as
    # typed without accents, the given name and surname, the phone, its last 4 digits, the ID number, its
    # last 6, the code's day-and-number tail; and one-letter queries. Timed through Office.dossier_page as
    # the list asks (every date, newest page), against a LIKE baseline written to find the same rows.
    office = LocalOffice(store)
    con = sqlite3.connect(path)
    rng = random.Random(99)
    chosen = ",".join(str(rng.randint(2, count)) for _ in range(60))
    picks = con.execute(f"SELECT id, code, applicant_name, phone, id_number FROM dossier WHERE id IN ({chosen})"
                        ).fetchall()
    cases = []  # (kind, query, expected id, LIKE sql, LIKE argument)
    for dossier_id, code, name, phone, id_number in picks:
        words = fold(name).split()
        cases += [("name", " ".join(words), dossier_id, "applicant_name LIKE ?", f"%{name}%"),
                  ("given+surname", f"{words[0]} {words[-1]}", dossier_id, "applicant_name LIKE ?",
                   f"{name.split()[0]}%{name.split()[-1]}%"),
                  ("phone", phone, dossier_id, "phone = ?", phone),
                  ("phone last 4", phone[-4:], dossier_id, "phone LIKE ?", f"%{phone[-4:]}"),
                  ("ID number", id_number, dossier_id, "id_number = ?", id_number),
                  ("ID last 6", id_number[-6:], dossier_id, "id_number LIKE ?", f"%{id_number[-6:]}"),
                  ("code tail", code.split("-", 1)[1], dossier_id, "code LIKE ?", f"%{code.split('-', 1)[1]}")]
    cases += [("one letter", letter, None, "applicant_name LIKE ?", f"%{letter}%") for letter in "nthlmd"]
    timings: dict[str, list[float]] = {}
    found: dict[str, list[bool]] = {}
    like: list[float] = []
    for kind, query, expected, where, argument in cases:
        t0 = time.perf_counter()
        page = office.dossier_page(DossierQuery(period="all", text=query), limit=200)
        timings.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        if expected is not None:
            codes = {r.code for r in page.rows}
            found.setdefault(kind, []).append(con.execute("SELECT code FROM dossier WHERE id = ?",
                                                          (expected,)).fetchone()[0] in codes)
        if len(like) < 40:  # a LIKE scan reads every row: a few are enough
            t0 = time.perf_counter()
            con.execute(f"SELECT id FROM dossier WHERE {where} ORDER BY id DESC LIMIT 200", (argument,)).fetchall()
            like.append((time.perf_counter() - t0) * 1000)
    con.close()
    for kind, samples in timings.items():
        hits = found.get(kind)
        print(figures(f"search as the list asks, {kind}", samples)
              + (f" found {sum(hits)}/{len(hits)}" if hits else ""))
    every = sorted(t for samples in timings.values() for t in samples)
    print(figures("all searches", every))
    print(figures("LIKE scan written to find the same rows", like))
    print(f"median ratio LIKE / search: {sorted(like)[len(like) // 2] / every[len(every) // 2]:.0f}x")
    store.close()


if __name__ == "__main__":
    main()
