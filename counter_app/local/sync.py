"""The sync part of `LocalOffice`: the state the status bar shows, "sync now", and re-sending a refused op."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from counter_app import accounts
from counter_app.city import changes as city_changes
from counter_app.city import outbox
from counter_app.events import EventBus, SyncChanged, SyncRequested
from counter_app.store import Store
from counter_app.views.accounts import Role
from counter_app.views.sync import RejectedOp, SyncStatus

log = logging.getLogger(__name__)


class LocalSync:
    """Mixed into `LocalOffice`, which provides `store`, `bus` and `_now`."""

    store: Store
    bus: EventBus
    _now: Callable[[], datetime]
    sync_configured: bool = False  # set by whoever starts the sync scheduler for this office

    def sync_status(self) -> SyncStatus:
        with self.store.read() as s:
            st = city_changes.peek(s)
            return SyncStatus(
                configured=self.sync_configured, last_success_at=st.last_success_at,
                last_attempt_at=st.last_attempt_at, failures=st.failures, next_try_at=st.next_try_at,
                last_error_vi=st.last_error_vi, clock_skew_s=st.clock_skew_s, pending=outbox.pending_count(s),
                rejected=[RejectedOp(op_id=o.op_id, dossier_code=code, kind=o.kind, reason=o.last_error,
                                     reason_vi=o.last_error_vi or o.last_error, created_at=o.created_at)
                          for o, code in outbox.rejected(s)])

    def request_sync(self) -> None:
        self.bus.publish(SyncRequested())

    def sync_finished(self, ok: bool) -> None:
        self.bus.publish(SyncChanged(ok))

    def resend_op(self, op_id: str, *, actor: str) -> None:
        """A supervisor sends a refused op again once its cause is fixed; its dossier's later ops follow."""
        with self.store.write() as s:
            accounts.require(s, actor, Role.SUPERVISOR, "gửi lại dữ liệu bị thành phố từ chối")
            outbox.resend(s, op_id)
        log.info("op %s re-sent by %s", op_id, actor)
        self.request_sync()
