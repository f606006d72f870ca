"""What the sync tests check and do on both sides: the city acting, and hub and city holding the same ops."""

from __future__ import annotations

import random

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlmodel import select as hub_select

from counter_app.local.office import LocalOffice
from counter_app.rules.clock import now
from counter_app.store.models import Event, Outbox
from sync.server import crud
from sync.server.models import ChangeRow, CityDossier, ReceivedOp


def city_acts(engine: Engine, rng: random.Random) -> None:
    """A department somewhere in the city moves one open dossier along."""
    with Session(engine) as s, s.begin():
        open_ = s.execute(select(CityDossier.code, CityDossier.status).where(CityDossier.status.in_([2, 4]))).all()
        if open_:
            code, status = rng.choice(open_)
            action = "start_processing" if status == 2 else rng.choice(["result_ready", "request_supplement"])
            crud.city_action(s, code, action, at=now(), actor="Sở Tư pháp")


def assert_same_on_both_sides(office: LocalOffice, engine: Engine) -> tuple[int, int]:
    """Every hub op acknowledged, the same (op id, hash) set at the city, nothing refused, and every
    city change applied once at the hub; returns (ops, changes)."""
    with office.store.read() as s:
        hub = {(o.op_id, o.sha256, o.state) for o in s.exec(hub_select(Outbox))}
        applied = [e.details["city_seq"] for e in s.exec(hub_select(Event).where(Event.kind.like("city.%")))]
    with Session(engine) as s:
        city_ops = {(r.op_id, r.sha256) for r in s.scalars(select(ReceivedOp))}
        refused = s.scalars(select(ReceivedOp).where(ReceivedOp.result != "ok")).all()
        changes = s.scalars(select(ChangeRow.seq)).all()
    assert {state for *_, state in hub} == {"acked"}
    assert {(op_id, sha) for op_id, sha, _ in hub} == city_ops
    assert not refused, [(r.dossier_code, r.reason) for r in refused]
    assert sorted(applied) == sorted(changes)  # every city decision applied once
    assert office.sync_status().pending == 0
    return len(city_ops), len(changes)
