"""When the office backs itself up: once each working day, at or after closing time.

The hub (or the one-PC app) runs `BackupScheduler`; it looks every few minutes, so a PC switched on
after closing still makes that day's backup. A day's backup is any backup made after that day's
closing time, in any of the folders.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta

from counter_app import office_setup
from counter_app.backups.service import BackupPlan, backup_in_child, list_backups
from counter_app.errors import OfficeError
from counter_app.rules.clock import now
from counter_app.rules.workcal import WorkCalendar
from counter_app.store import Store
from counter_app.store.models import OfficeRow

log = logging.getLogger(__name__)

OVERDUE_WORKING_DAYS = 2


def due(at: datetime, calendar: WorkCalendar, newest: datetime | None) -> bool:
    """Whether a closing-time backup is due at `at`, the newest backup having been made at `newest`."""
    day = at.date()
    if not calendar.is_working_day(day):
        return False
    closing = calendar.closing(day)
    return at >= closing and (newest is None or newest < closing)


def working_days_between(first: date, last: date, calendar: WorkCalendar) -> int:
    """Working days after `first` up to and including `last`."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def overdue(at: datetime, calendar: WorkCalendar, newest: datetime | None) -> bool:
    """More than two working days without a good backup: the status bar shows it in red."""
    if newest is None:
        return True
    return working_days_between(newest.date(), at.date(), calendar) > OVERDUE_WORKING_DAYS


class BackupScheduler:
    def __init__(self, store: Store, plan: BackupPlan, *, every_s: float = 300,
                 clock: Callable[[], datetime] = now) -> None:
        self.store, self.plan, self.every_s, self.clock = store, plan, every_s, clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.made = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="backup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)  # a backup under way finishes: its file is renamed into place last

    def check(self) -> bool:
        """Make the day's backup if it is due; True if one was made."""
        at = self.clock()
        with self.store.read() as s:
            if s.get(OfficeRow, 1) is None:
                return False  # nothing to keep before the office is set up
            calendar = office_setup.load_calendar(s)
        backups = list_backups(self.plan.folders)
        if not due(at, calendar, backups[0].made_at if backups else None):
            return False
        backup_in_child(self.store.path, self.plan, kind="closing", at=at)  # the counters keep the interpreter
        self.made += 1
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.check()
            except OfficeError as exc:  # recorded in the state file and shown in the status bar
                log.warning("closing-time backup not made: %s", exc)
            except Exception:
                log.exception("closing-time backup failed unexpectedly")
            self._stop.wait(self.every_s)
