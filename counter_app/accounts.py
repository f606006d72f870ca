"""Staff accounts: argon2 password hashes, lock-out after failed attempts, sessions, and role checks.

Roles are enforced here, in the services: an operation that needs a supervisor or an administrator
calls `require` with the actor, whatever the screen showed. `SYSTEM` is the actor of the office's own
operator commands (`counter-app` on the hub PC, whose user already holds the database file); it is
never accepted from a client over the network.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import math
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from counter_app import audit
from counter_app.errors import Forbidden, InvalidInput, SignInFailed
from counter_app.rules.clock import aware
from counter_app.store.models import Account, ClerkSession
from counter_app.views.accounts import MIN_PASSWORD, AccountIn, AccountView, Role, SessionView

log = logging.getLogger(__name__)

SYSTEM = "system"
MAX_FAILED = 5  # attempts in a row before the account is locked
LOCK_FOR = timedelta(minutes=15)

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the username does not exist, so a wrong name takes as long as a wrong password."""
    return _hasher.hash("not a password of anyone")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password too short", f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()  # any text a client sends


def view(account: Account) -> AccountView:
    return AccountView(username=account.username, full_name=account.full_name, role=Role(account.role),
                       active=account.active, locked_until=account.locked_until)


def get(session: Session, username: str) -> Account | None:
    return session.exec(select(Account).where(Account.username == username.strip().lower())).first()


def accounts(session: Session) -> list[AccountView]:
    return [view(a) for a in session.exec(select(Account).order_by(col(Account.username))).all()]


def save(
    session: Session, value: AccountIn, *, at: datetime, actor: str, password_hash: str = "", unlock: bool = False
) -> AccountView:
    """Create or edit an account (administrators only); `unlock` lifts a lock-out.

    `password_hash` lets a set-up give several accounts one hash (argon2 is slow on purpose).
    """
    require(session, actor, Role.ADMINISTRATOR, "quản lý tài khoản")
    if value.username == SYSTEM:
        raise InvalidInput("reserved username", f"Tên đăng nhập “{SYSTEM}” được dành cho hệ thống.")
    account = get(session, value.username)
    new_hash = password_hash or (hash_password(value.password) if value.password else "")
    if account is None:
        if not new_hash:
            raise InvalidInput("new account without password", "Tài khoản mới cần có mật khẩu.")
        account = Account(username=value.username, full_name=value.full_name, role=value.role.value,
                          password_hash=new_hash, active=value.active, created_at=at, updated_at=at)
        kind = "account.created"
    else:
        if account.username == actor and (value.role is not Role.ADMINISTRATOR or not value.active):
            raise InvalidInput("administrator demoting itself",
                               "Không thể tự hạ quyền hoặc tự khóa tài khoản quản trị đang dùng.")
        account.full_name, account.role, account.active = value.full_name, value.role.value, value.active
        if new_hash:
            account.password_hash = new_hash
        if new_hash or unlock:
            account.failed_attempts, account.locked_until = 0, None
        account.updated_at = at
        kind = "account.changed"
    session.add(account)
    session.flush()
    audit.append(session, at=at, actor=actor, subject=f"account:{account.username}", kind=kind,
                 details={"role": account.role, "active": account.active, "password_set": bool(new_hash)})
    return view(account)


def sign_in(
    session: Session, username: str, password: str, *, counter_no: int | None, at: datetime
) -> SessionView | SignInFailed:
    """Check the password; five failures in a row lock the account for 15 minutes.

    A refusal is returned, not raised, so the caller commits the failure count before raising it.
    """
    account = get(session, username)
    refused = SignInFailed(f"sign-in refused for {username!r}", "Sai tên đăng nhập hoặc mật khẩu.")
    if account is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_dummy_hash(), password)
        log.warning("sign-in with unknown username %r", username)
        return refused
    if not account.active:
        log.warning("sign-in to disabled account %s", account.username)
        return SignInFailed(f"account {account.username} disabled",
                           "Tài khoản này đã bị khóa. Xin liên hệ quản trị của bộ phận một cửa.")
    if account.locked_until is not None and aware(account.locked_until) > at:
        minutes = max(1, math.ceil((aware(account.locked_until) - at).total_seconds() / 60))
        log.warning("sign-in to locked account %s", account.username)
        return SignInFailed(f"account {account.username} locked until {account.locked_until}",
                           f"Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Xin thử lại sau {minutes} phút.")
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        account.failed_attempts += 1
        if account.failed_attempts >= MAX_FAILED:
            account.locked_until, account.failed_attempts = at + LOCK_FOR, 0
            audit.append(session, at=at, actor=SYSTEM, subject=f"account:{account.username}",
                         kind="account.locked", details={"minutes": int(LOCK_FOR.total_seconds() // 60)})
            log.warning("account %s locked after %d failed sign-ins", account.username, MAX_FAILED)
        session.add(account)
        log.warning("wrong password for %s (%d in a row)", account.username, account.failed_attempts)
        return refused
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    account.failed_attempts, account.locked_until = 0, None
    session.add(account)
    token = secrets.token_urlsafe(32)
    session.add(ClerkSession(token_hash=_token_hash(token), account_id=account.id, counter_no=counter_no,
                             started_at=at))
    audit.append(session, at=at, actor=account.username, subject=f"account:{account.username}",
                 kind="account.signed_in", details={"counter": counter_no})
    log.info("%s signed in at counter %s", account.username, counter_no)
    return SessionView(token=token, username=account.username, full_name=account.full_name,
                       role=Role(account.role), counter_no=counter_no, started_at=at)


def session_of(session: Session, token: str) -> SessionView:
    """The open session of `token`, or `SignInFailed` (expired, signed out, or the account disabled).

    The hub asks this on every request of a clerk, so it is one plain SQL query.
    """
    row = session.connection().exec_driver_sql(
        "SELECT a.username, a.full_name, a.role, s.counter_no, s.started_at FROM clerk_session s "
        "JOIN account a ON a.id = s.account_id WHERE s.token_hash = ? AND s.ended_at IS NULL AND a.active",
        (_token_hash(token),)).first()
    if row is None:
        raise SignInFailed("unknown or ended session", "Phiên làm việc đã kết thúc; xin đăng nhập lại.")
    return SessionView(token=token, username=row[0], full_name=row[1], role=Role(row[2]), counter_no=row[3],
                       started_at=aware(datetime.fromisoformat(row[4])))


def sign_out(session: Session, token: str, *, at: datetime) -> None:
    row = session.exec(select(ClerkSession).where(ClerkSession.token_hash == _token_hash(token))).first()
    if row is None or row.ended_at is not None:
        return
    row.ended_at = at
    session.add(row)
    account = session.get(Account, row.account_id)
    name = account.username if account else "?"
    audit.append(session, at=at, actor=name, subject=f"account:{name}", kind="account.signed_out",
                 details={"counter": row.counter_no})


def role_of(session: Session, actor: str) -> Role | None:
    if actor == SYSTEM:
        return Role.ADMINISTRATOR
    account = get(session, actor)
    return Role(account.role) if account is not None and account.active else None


def require(session: Session, actor: str, needed: Role, what_vi: str) -> None:
    """Refuse unless `actor` is an active account whose role covers `needed` (or the office operator)."""
    role = role_of(session, actor)
    if role is None or not role.covers(needed):
        log.warning("%r (role %s) refused: %s needs %s", actor, role, what_vi, needed.value)
        raise Forbidden(f"{actor!r} with role {role} may not do what needs {needed.value}",
                        f"Tài khoản của bạn không có quyền {what_vi} (cần quyền {needed.label_vi}).")


def full_names(session: Session) -> dict[str, str]:
    return {a.username: a.full_name for a in session.exec(select(Account)).all()}
