"""The store-health part of `LocalOffice`: the newest good backup and the free space, for the status bar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from counter_app import office_setup
from counter_app.backups.schedule import overdue
from counter_app.backups.service import BackupPlan, free_bytes, last_attempt, list_backups
from counter_app.store import Store
from counter_app.store.models import OfficeRow
from counter_app.views.health import LOW_SPACE_BYTES, StoreHealth


class LocalHealth:
    """Mixed into `LocalOffice`, which provides `store` and `_now`."""

    store: Store
    _now: Callable[[], datetime]
    backup_plan: BackupPlan | None = None  # set by whoever starts the closing-time backups

    def store_health(self) -> StoreHealth:
        free = free_bytes(self.store.path)
        plan = self.backup_plan
        backups = list_backups(plan.folders) if plan is not None else []
        newest = backups[0].made_at if backups else None
        with self.store.read() as s:
            calendar = office_setup.load_calendar(s) if s.get(OfficeRow, 1) is not None else None
        attempt = last_attempt(plan) if plan is not None else {}
        return StoreHealth(
            backups_set_up=plan is not None and plan.key is not None, last_backup_at=newest,
            backup_overdue=calendar is not None and overdue(self._now(), calendar, newest),
            last_error_vi="" if attempt.get("ok", True) else str(attempt.get("error_vi", "")),
            free_bytes=free, low_space=free < LOW_SPACE_BYTES)
