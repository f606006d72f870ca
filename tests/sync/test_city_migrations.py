"""The city's migrations on a database that already holds dossiers: the live view's counts start out right."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import JSON, column, insert, table
from sqlalchemy.orm import Session

from counter_app.rules.clock import TZ
from sync.server.db import make_engine, migrate
from sync.server.models import CityDossier, UtcDateTime
from tests.sync.conftest import new_database
from tests.sync.live import counted, kept

_TYPES = {"intake": JSON, "results": JSON, "received_at": UtcDateTime(), "due_at": UtcDateTime(),
          "returned_at": UtcDateTime(), "updated_at": UtcDateTime()}
OLD_DOSSIER = table("city_dossier", *(column(c, _TYPES.get(c)) for c in (
    "code", "agency_code", "status", "intake", "received_at", "due_at", "returned_at", "results", "hub_event_seq",
    "updated_at")))


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_the_live_view_s_counts_are_made_from_the_dossiers_already_there(backend, request, tmp_path):
    url = new_database(request.getfixturevalue("postgres")) if backend == "postgresql" \
        else f"sqlite:///{tmp_path / 'city.sqlite3'}"
    engine = make_engine(url)
    migrate(engine, "0005")
    day = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    rows = []
    for n, (status, channel, due_days) in enumerate([(2, 1, 5), (4, 2, -3), (10, 1, 5), (1, 2, 5), (3, 1, 5)]):
        received = day + timedelta(minutes=n)
        rows.append({"code": f"000.00.73.H26-261123-{n + 1:04d}", "agency_code": "000.00.73.H26", "status": status,
                     "intake": {"channel": channel}, "received_at": received,
                     "due_at": received + timedelta(days=due_days), "returned_at": None, "results": {},
                     "hub_event_seq": n, "updated_at": received})
    with engine.begin() as conn:
        conn.execute(insert(OLD_DOSSIER), rows)
    migrate(engine)
    assert kept(engine) == counted(engine) and sum(kept(engine).values()) > 0
    cells = kept(engine)
    with Session(engine) as s:
        channels = {d.code[-1]: d.channel for d in s.query(CityDossier)}
    assert channels == {"1": 1, "2": 2, "3": 1, "4": 2, "5": 1}
    received = {m: n for (_, d, m), n in cells.items() if m.startswith("received")}
    assert received == {"received_counter": 2, "received_online": 1}  # not the one registered online, nor refused
    assert cells[("000.00.73.H26", (day + timedelta(days=-3)).date(), "open")] == 1  # overdue, counted as open
    engine.dispose()
