"""Receiving a dossier: code, due time, event, outbox, search entry, commit with synchronous=FULL.

Goal (issue 2): median under 15 ms, p95 under 30 ms on the project machine; on a fresh store and on the
year-old one (issue 23, _common), whose 500,000 dossiers make the search index and the register deep.
Run: .venv/bin/python benchmarks/bench_receive.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import figures, history_note, office_at

from counter_app import office_setup
from counter_app.demo import WEIGHTS, _person, _subject
from counter_app.dossiers import intake
from counter_app.local.office import LocalOffice
from counter_app.rules.clock import now
from counter_app.views.dossiers import IntakeForm


def main(n: int = 500) -> None:
    run(n, year=False)
    run(n, year=True)


def run(n: int, *, year: bool) -> None:
    rng = random.Random(7)
    keys = list(WEIGHTS)
    with tempfile.TemporaryDirectory() as tmp:
        store = office_at(Path(tmp) / "bench.sqlite3", year=year)
        print(f"on {history_note(store)}:")
        office = LocalOffice(store)
        with store.read() as s:
            calendar = office_setup.load_calendar(s)
        transaction, api = [], []
        for i in range(n):
            key, applicant = rng.choice(keys), _person(rng)
            form = IntakeForm(submission_id=str(uuid.uuid4()), procedure=key, applicant=applicant,
                              subject=_subject(rng, key, applicant, now().date()))
            t0 = time.perf_counter()
            if i % 2:
                office.receive(form, actor="bench")  # the Office call, including reading the detail back
                api.append((time.perf_counter() - t0) * 1000)
            else:
                with store.write() as s:  # the service and the commit alone
                    intake.receive(s, form, actor="bench", at=now(), calendar=calendar)
                transaction.append((time.perf_counter() - t0) * 1000)
        print(figures("  receive (transaction + fsync commit)", transaction))
        print(figures("  receive (Office.receive incl. detail read-back)", api))
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
