"""The accounts part of `LocalOffice`: sign-in, sessions and account administration over the local store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from counter_app import accounts
from counter_app.errors import OfficeError
from counter_app.rules.throttle import Throttle
from counter_app.store import Store
from counter_app.views.accounts import AccountIn, AccountView, SessionView

log = logging.getLogger(__name__)


class LocalAccounts:
    """Mixed into `LocalOffice`, which provides `store` and `_now`."""

    store: Store
    _now: Callable[[], datetime]
    _throttle: Throttle  # made by LocalOffice: one per office, for every machine's sign-ins

    def sign_in(self, username: str, password: str, *, counter_no: int | None = None, replace: bool = False,
                machine: str = "") -> SessionView:
        """`machine` is given by the hub only (the machine the request came from); it is not on the interface."""
        with self.store.write() as s:
            result = accounts.sign_in(s, username, password, counter_no=counter_no, at=self._now(), machine=machine,
                                      throttle=self._throttle, replace=replace)
        if isinstance(result, OfficeError):
            raise result  # after the commit
        return result

    def session(self, token: str) -> SessionView:
        return accounts.session_of(self.store.peek, token, at=self._now())

    def sign_out(self, token: str) -> None:
        with self.store.write() as s:
            accounts.sign_out(s, token, at=self._now())

    def accounts(self) -> list[AccountView]:
        with self.store.read() as s:
            return accounts.accounts(s)

    def save_account(self, value: AccountIn, *, actor: str, unlock: bool = False) -> AccountView:
        with self.store.write() as s:
            result = accounts.save(s, value, at=self._now(), actor=actor, unlock=unlock)
        if unlock:
            self._throttle.forget(result.username)
        log.info("account %s (%s) saved by %s", result.username, result.role.value, actor)
        return result
