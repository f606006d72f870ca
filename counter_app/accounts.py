"""Staff accounts: argon2 password hashes, lock-out after failed attempts, sessions, and role checks.

Roles are enforced here, in the services: an operation that needs a supervisor or an administrator
calls `require` with the actor, whatever the screen showed. `SYSTEM` is the actor of the office's own
operator commands (`counter-app` on the hub PC, whose user already holds the database file); it is
never accepted from a client over the network.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from counter_app import audit
from counter_app.errors import Forbidden, InvalidInput, SessionElsewhere, SignInFailed
from counter_app.rules.clock import aware
from counter_app.rules.throttle import Throttle
from counter_app.rules.workcal import OfficeHours, session_end
from counter_app.store.models import Account, ClerkSession, OfficeRow
from counter_app.store.peek import Peek
from counter_app.views.accounts import MIN_PASSWORD, AccountIn, AccountView, Role, SessionView

log = logging.getLogger(__name__)

SYSTEM = "system"
REFUSED_VI = "Sai tên đăng nhập hoặc mật khẩu."

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
        if account.active and not value.active:
            end_sessions(session, at=at, why=f"account {account.username} disabled", account_id=account.id)
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
    session: Session, username: str, password: str, *, counter_no: int | None, at: datetime, machine: str = "",
    throttle: Throttle | None = None, replace: bool = False,
) -> SessionView | SignInFailed | SessionElsewhere:
    """Check the password; the session works only from `machine` ("" is the hub PC itself).

    A wrong name, a wrong password, a disabled or a locked account get the same answer in the same time:
    one argon2 verification each, nothing written. Failures slow down further tries of that name at that
    machine (`throttle`), never the account at other machines, so nobody can lock a clerk out from afar.
    One clerk, one session: signing in again at the same machine (after the screen locked) ends the
    session there; a session at another machine is ended only with `replace`, which the clerk confirms
    after being told where (`SessionElsewhere`, answered only once the password was right). A refusal is
    returned, not raised.
    """
    key = (username.strip().lower(), machine)
    wait = throttle.wait(key, at) if throttle is not None else 0
    if wait:
        log.warning("sign-in throttled at %s: %d s to wait", machine or "the hub PC", wait)
        return SignInFailed("sign-in throttled", f"Đăng nhập sai nhiều lần trên máy này; xin thử lại sau {wait} giây.")
    account = get(session, username)
    usable = account is not None and account.active and not (
        account.locked_until is not None and aware(account.locked_until) > at)
    try:
        _hasher.verify(account.password_hash if usable and account is not None else _dummy_hash(), password)
        right = usable
    except (VerificationError, InvalidHashError):
        right = False
    if not right or account is None:
        if throttle is not None:
            throttle.failed(key, at)
        why = "unknown user name" if account is None else "wrong password" if usable else "account disabled or locked"
        log.warning("sign-in refused at %s: %s%s", machine or "the hub PC", why,
                    "" if account is None else f" ({account.username})")  # an unknown name may be a password
        return SignInFailed("sign-in refused", REFUSED_VI)
    if throttle is not None:
        throttle.succeeded(key)
    open_now = session.exec(select(ClerkSession).where(
        ClerkSession.account_id == account.id, col(ClerkSession.ended_at).is_(None),
        (col(ClerkSession.ends_at).is_(None)) | (col(ClerkSession.ends_at) > at))).all()
    elsewhere = [row for row in open_now if row.machine != machine]
    if elsewhere and not replace:
        where = elsewhere[-1]
        counter_vi = f"quầy {where.counter_no}" if where.counter_no else "một máy khác"
        return SessionElsewhere(f"{where.machine or 'the hub PC'} (counter {where.counter_no})",
                                f"{counter_vi} (máy “{where.machine or 'máy chủ'}”)")
    if open_now:
        end_sessions(session, at=at, why=f"{account.username} signed in again", account_id=account.id)
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    account.failed_attempts = 0
    session.add(account)
    token = secrets.token_urlsafe(32)
    session.add(ClerkSession(token_hash=_token_hash(token), account_id=account.id, counter_no=counter_no,
                             machine=machine, started_at=at, ends_at=_session_end(session, at)))
    audit.append(session, at=at, actor=account.username, subject=f"account:{account.username}",
                 kind="account.signed_in", details={"counter": counter_no})
    log.info("%s signed in at counter %s", account.username, counter_no)
    return SessionView(token=token, username=account.username, full_name=account.full_name,
                       role=Role(account.role), counter_no=counter_no, started_at=at, machine=machine)


def _session_end(session: Session, at: datetime) -> datetime:
    office = session.get(OfficeRow, 1)
    hours = OfficeHours.from_rows(office.hours, office.same_day_cutoff) if office else OfficeHours.default()
    return session_end(at, hours)


def session_of(peek: Peek, token: str, *, at: datetime) -> SessionView:
    """The open session of `token`, or `SignInFailed` (past its day's closing, signed out, account disabled).

    The hub asks this on every request of a clerk, so it is one plain SQL query.
    """
    row = peek(
        "SELECT a.username, a.full_name, a.role, s.counter_no, s.started_at, s.machine, s.ends_at "
        "FROM clerk_session s JOIN account a ON a.id = s.account_id "
        "WHERE s.token_hash = ? AND s.ended_at IS NULL AND a.active", (_token_hash(token),))
    if row is not None and row[6] is not None and aware(datetime.fromisoformat(row[6])) <= at:
        row = None  # the working day is over: sign in again tomorrow
    if row is None:
        raise SignInFailed("unknown or ended session", "Phiên làm việc đã kết thúc; xin đăng nhập lại.")
    return SessionView(token=token, username=row[0], full_name=row[1], role=Role(row[2]), counter_no=row[3],
                       started_at=aware(datetime.fromisoformat(row[4])), machine=row[5])


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


def end_sessions(session: Session, *, at: datetime, why: str, account_id: int | None = None,
                 machine: str | None = None) -> int:
    """End the open sessions of an account or of a machine (disabled, revoked); they never come back."""
    query = select(ClerkSession).where(col(ClerkSession.ended_at).is_(None))
    if account_id is not None:
        query = query.where(ClerkSession.account_id == account_id)
    if machine is not None:
        query = query.where(ClerkSession.machine == machine)
    rows = session.exec(query).all()
    for row in rows:
        row.ended_at = at
        session.add(row)
    if rows:
        log.info("%d clerk session(s) ended: %s", len(rows), why)
    return len(rows)


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
