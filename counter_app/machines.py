"""The machines of an office's LAN: each PC the administrator registers gets its own token for the hub.

Only the token's sha256 is stored (a token is 256 random bits, so a slow hash adds nothing); a
revoked machine is refused on its next request, since every request looks its token up.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from counter_app import accounts, audit
from counter_app.errors import InvalidInput, MachineRefused, NotFound
from counter_app.rules.clock import TZ
from counter_app.store.models import Counter, Machine
from counter_app.store.peek import Peek
from counter_app.views.machines import MachineKind, MachineView

log = logging.getLogger(__name__)

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _view(row: Machine) -> MachineView:
    return MachineView(name=row.name, kind=MachineKind(row.kind), counter_no=row.counter_no,
                       created_at=row.created_at, revoked_at=row.revoked_at)


def _require_counter(session: Session, number: int | None) -> None:
    """A counter PC sits at a counter the office has, and in service."""
    active = sorted(c.number for c in session.exec(select(Counter).where(col(Counter.active))).all())
    if number not in active:
        listed = ", ".join(str(n) for n in active) or "chưa có quầy nào"
        raise InvalidInput(f"no active counter {number} (the office has {active})",
                           f"Văn phòng không có quầy số {number} đang hoạt động (các quầy hiện có: {listed}).")


def register(session: Session, name: str, kind: MachineKind, *, counter_no: int | None, at: datetime,
             actor: str) -> tuple[MachineView, str]:
    """Add a machine (or give a revoked one a fresh token); returns it with its token, shown this once."""
    name = name.strip().lower()
    if not NAME.fullmatch(name):
        raise InvalidInput(f"bad machine name {name!r}",
                           "Tên máy gồm 1–32 chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.")
    if kind.at_a_counter and (counter_no is None or counter_no < 1):
        raise InvalidInput(f"{kind.value} machine without counter number", f"{kind.label_vi} cần có số quầy (từ 1).")
    if not kind.at_a_counter:
        counter_no = None
    else:
        _require_counter(session, counter_no)
    token = secrets.token_urlsafe(32)
    row = session.exec(select(Machine).where(Machine.name == name)).first()
    if row is not None and row.revoked_at is None:
        raise InvalidInput(f"machine {name} already registered",
                           f"Máy “{name}” đã được đăng ký; thu hồi trước khi cấp mã mới.")
    row = row or Machine(name=name, kind=kind.value, token_hash="", created_by=actor, created_at=at)
    row.kind, row.counter_no, row.token_hash, row.revoked_at = kind.value, counter_no, _hash(token), None
    row.created_at, row.created_by = at, actor
    session.add(row)
    session.flush()
    audit.append(session, at=at, actor=actor, subject=f"machine:{name}", kind="machine.registered",
                 details={"kind": kind.value, "counter": counter_no})
    log.info("machine %s (%s, counter %s) registered by %s", name, kind.value, counter_no, actor)
    return _view(row), token


def revoke(session: Session, name: str, *, at: datetime, actor: str) -> MachineView:
    row = session.exec(select(Machine).where(Machine.name == name.strip().lower())).first()
    if row is None:
        raise NotFound(f"no machine {name!r}", f"Không có máy “{name}”.")
    if row.revoked_at is None:
        row.revoked_at = at
        session.add(row)
        accounts.end_sessions(session, at=at, why=f"machine {row.name} revoked", machine=row.name)
        audit.append(session, at=at, actor=actor, subject=f"machine:{row.name}", kind="machine.revoked",
                     details={})
        log.info("machine %s revoked by %s", row.name, actor)
    return _view(row)


def machines(session: Session) -> list[MachineView]:
    return [_view(m) for m in session.exec(select(Machine).order_by(col(Machine.name))).all()]


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(TZ)


def authenticate(peek: Peek, token: str) -> MachineView:
    """The machine holding `token`; refused if unknown or revoked. Runs on every request, so in plain SQL."""
    found = peek("SELECT name, kind, counter_no, created_at, revoked_at FROM machine WHERE token_hash = ?",
                 (_hash(token),)) if token else None
    if found is None:
        raise MachineRefused("unknown machine token",
                             "Máy này chưa được đăng ký với máy chủ văn phòng (mã máy không đúng).")
    name, kind, counter_no, created_at, revoked_at = found
    if revoked_at is not None:
        raise MachineRefused(f"machine {name} is revoked",
                             f"Máy “{name}” đã bị thu hồi quyền kết nối. Xin liên hệ quản trị.")
    return MachineView(name=name, kind=MachineKind(kind), counter_no=counter_no, created_at=_when(created_at),
                       revoked_at=None)
