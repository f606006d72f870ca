"""The city's operators: accounts with argon2 password hashes, and browser sessions any worker can check.

Roles: "city" sees every point; "point" (a point's leader) sees only the office named on the account.
A session is a random cookie whose sha256 is stored with its expiry: nothing to share between workers
but the database, and signing out (or disabling the account) ends it everywhere at once.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from counter_app.errors import InvalidInput
from sync.server.models import Operator, OperatorSession

log = logging.getLogger(__name__)

ROLES = {"city": "Cán bộ điều hành thành phố", "point": "Lãnh đạo điểm phục vụ"}
SESSION_HOURS = timedelta(hours=10)  # a working day; signing in again next morning
MIN_PASSWORD = 10
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Viewer:
    """Who is looking: what the pages need of the signed-in operator."""

    login: str
    full_name: str
    role: str
    agency_code: str

    @property
    def title(self) -> str:
        return ROLES[self.role]

    def may_see(self, agency_code: str) -> bool:
        return self.role == "city" or agency_code == self.agency_code

    @property
    def only(self) -> str | None:
        """The one point this viewer may see, or None for every point."""
        return None if self.role == "city" else self.agency_code


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the login does not exist, so a wrong login takes as long as a wrong password."""
    return _hasher.hash("not a password of anyone")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def add(session: Session, *, login: str, full_name: str, role: str, password: str, agency_code: str = "",
        at: datetime) -> Operator:
    """A new operator account (from `counter-app city operator`)."""
    login = login.strip().lower()
    if not login or not full_name.strip():
        raise InvalidInput("login and full name are needed", "Cần tên đăng nhập và họ tên đầy đủ.")
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}", "Vai trò phải là city hoặc point.")
    if role == "point" and not agency_code:
        raise InvalidInput("a point leader needs the point's agency code", "Lãnh đạo điểm cần mã đơn vị của điểm.")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password too short", f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    if session.scalar(select(Operator.id).where(Operator.login == login)) is not None:
        raise InvalidInput(f"operator {login} exists", f"Tên đăng nhập {login} đã có.")
    row = Operator(login=login, full_name=full_name.strip(), role=role,
                   agency_code=agency_code if role == "point" else "", password_hash=_hasher.hash(password),
                   created_at=at)
    session.add(row)
    session.flush()
    return row


def disable(session: Session, login: str, at: datetime) -> bool:
    row = session.scalars(select(Operator).where(Operator.login == login.strip().lower())).first()
    if row is None:
        return False
    row.disabled_at = at
    session.execute(delete(OperatorSession).where(OperatorSession.operator_id == row.id))
    return True


def sign_in(session: Session, login: str, password: str, at: datetime) -> str | None:
    """A new session's cookie value, or None (a wrong login and a wrong password take the same time)."""
    row = session.scalars(select(Operator).where(Operator.login == login.strip().lower()[:64])).first()
    try:
        _hasher.verify(row.password_hash if row is not None else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        log.info("operator sign-in refused")
        return None
    if row is None or row.disabled_at is not None:
        log.info("operator sign-in refused")
        return None
    token = secrets.token_urlsafe(32)
    session.add(OperatorSession(token_hash=_digest(token), operator_id=row.id, created_at=at,
                                expires_at=at + SESSION_HOURS))
    session.execute(delete(OperatorSession).where(OperatorSession.operator_id == row.id,
                                                  OperatorSession.expires_at < at))
    log.info("operator %s signed in", row.login)
    return token


def viewer(session: Session, token: str, at: datetime) -> Viewer | None:
    """The operator whose session `token` is, while it lasts and the account is enabled."""
    if not token:
        return None
    found = session.execute(select(Operator, OperatorSession.expires_at).join(
        OperatorSession, OperatorSession.operator_id == Operator.id).where(
        OperatorSession.token_hash == _digest(token))).first()
    if found is None:
        return None
    row, expires_at = found
    if expires_at <= at or row.disabled_at is not None:
        return None
    return Viewer(login=row.login, full_name=row.full_name, role=row.role, agency_code=row.agency_code)


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(OperatorSession).where(OperatorSession.token_hash == _digest(token)))
