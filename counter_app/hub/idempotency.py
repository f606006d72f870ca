"""Write requests over the LAN carry an idempotency key; the hub carries each key out at most once.

The hub sets the key for the duration of one request (`pending`); the store's write transaction
records it (`record`) in the same commit as the change itself, so a key is on file exactly when its
change is. The answer is stored right after (`save_answers`, in batches) to be given again to a
repeat, and only to a repeat: the key is filed with a hash of who sent what (`request_hash`), and the
same key with another body, clerk or machine is refused. Answers hold personal data: kept one day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, delete

from counter_app.store.models import HubRequest
from counter_app.store.peek import Peek

KEEP = timedelta(days=1)


@dataclass
class Pending:
    key: str
    machine: str
    operation: str
    request_hash: str
    at: datetime
    recorded: bool = False


_pending: ContextVar[Pending | None] = ContextVar("hub_request", default=None)


@contextmanager
def pending(key: str, *, machine: str, operation: str, request_hash: str, at: datetime) -> Iterator[Pending]:
    request = Pending(key, machine, operation, request_hash, at)
    token = _pending.set(request)
    try:
        yield request
    finally:
        _pending.reset(token)


def record(session: Session) -> None:
    """The first write of a keyed request files its key (the hub registers this with `Store.add_before_commit`)."""
    request = _pending.get()
    if request is not None and not request.recorded:
        # A plain insert: the row is never read back in this transaction, so the session has nothing to track.
        session.execute(insert(HubRequest.__table__).values(
            key=request.key, machine=request.machine, operation=request.operation,
            request_hash=request.request_hash, at=request.at))
        request.recorded = True


def request_hash(machine: str, clerk: str, operation: str, body: str) -> str:
    """Who asked what: the machine, the clerk of the session, the operation and its arguments as parsed."""
    return hashlib.sha256("\x1f".join((machine, clerk, operation, body)).encode("utf-8", "surrogatepass")).hexdigest()


def answer(peek: Peek, key: str) -> tuple[str, int | None, bytes | None] | None:
    """(request hash, status, body) filed for `key`, or None. In plain SQL: every keyed write asks."""
    found = peek("SELECT request_hash, status, body FROM hub_request WHERE key = ?", (key,))
    return None if found is None else (found[0], found[1], found[2])


def save_answers(session: Session, answers: dict[str, tuple[int, bytes]]) -> None:
    """File a batch of answers in one statement (a key not on file is passed over)."""
    table = HubRequest.__table__
    session.connection().execute(
        update(table).where(table.c.key == bindparam("k")).values(status=bindparam("s"), body=bindparam("b")),
        [{"k": key, "s": status, "b": body} for key, (status, body) in answers.items()])


def prune(session: Session, now: datetime) -> int:
    result = session.exec(delete(HubRequest).where(col(HubRequest.at) < now - KEEP))
    return result.rowcount or 0
