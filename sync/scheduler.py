"""When the hub syncs: at start-up, nightly at a set hour, every few minutes while work is pending and
the city answers its health check, at once on "sync now"; after a failure it backs off (seconds, then
minutes, capped at an hour). With nothing to send it still asks the city every quarter of an hour, so
results and requests for supplements reach the counters the same day. One thread; every round's
outcome is announced through the office.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from counter_app.audit import ChainReport
from counter_app.city import changes as city_changes
from counter_app.city import outbox
from counter_app.events import CatalogChanged, OfficeEvent, SyncRequested
from counter_app.local.office import LocalOffice
from counter_app.rules.clock import now
from sync.client import SyncClient, SyncError

log = logging.getLogger(__name__)

BACKOFF_S = (0.5, 1, 2, 4, 8, 60, 120, 300, 600, 1800, 3600)  # after 1, 2, 3… failures in a row


class SyncScheduler:
    def __init__(self, office: LocalOffice, client: SyncClient, *, nightly: time = time(2, 0),
                 busy_every: timedelta = timedelta(minutes=3), idle_every: timedelta = timedelta(minutes=15),
                 backoff: tuple[float, ...] = BACKOFF_S, clock: Callable[[], datetime] = now) -> None:
        self.office, self.client, self.clock = office, client, clock
        self.nightly, self.busy_every, self.idle_every, self.backoff = nightly, busy_every, idle_every, backoff
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.rounds = 0
        self.anchors_checked_on: date | None = None
        self.last_anchor_report: ChainReport | None = None

    def start(self) -> None:
        self.office.sync_configured = True
        if self.client.on_catalog is None:  # screens reload their procedure lists
            self.client.on_catalog = lambda version: self.office.bus.publish(CatalogChanged(version))
        self._unsubscribe = self.office.subscribe(self._on_event)
        self._thread = threading.Thread(target=self._run, name="city-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._thread is not None:
            self._thread.join(timeout=15)

    def _on_event(self, event: OfficeEvent) -> None:
        if isinstance(event, SyncRequested):
            self._wake.set()

    def _run(self) -> None:
        reason = "start-up"
        while not self._stop.is_set():
            ok = self._round(reason)
            due = self._next(ok)
            with self.office.store.write() as s:
                city_changes.plan_next(s, due)
            self.office.sync_finished(ok)
            wait = max(0.0, (due - self.clock()).total_seconds())
            woken = self._wake.wait(timeout=wait)
            self._wake.clear()
            reason = "sync now" if woken else "schedule"

    def _round(self, reason: str) -> bool:
        self.rounds += 1
        try:
            if reason == "schedule":
                self.client.check_health()
            report = self.client.round()
        except SyncError as exc:
            log.warning("sync round (%s) failed: %s", reason, exc)
            if reason == "schedule":  # round() records its own failures; a failed health check is one too
                self._record_failure(exc)
            return False
        except Exception:  # a bug must not kill the thread: logged, retried later
            log.exception("sync round (%s) crashed", reason)
            return False
        log.info("sync round (%s): pushed %d (%d rejected), pulled %d", reason, report.pushed, report.rejected,
                 report.pulled)
        self._check_anchors_daily()
        return True

    def _check_anchors_daily(self) -> None:
        """Once a day, after a good round: the log against the heads the city keeps (a mismatch is logged)."""
        today = self.clock().date()
        if self.anchors_checked_on == today:
            return
        try:
            self.last_anchor_report = self.client.check_anchors()
            self.anchors_checked_on = today
        except SyncError as exc:
            log.warning("chain heads not compared with the city: %s", exc)

    def _record_failure(self, exc: SyncError) -> None:
        with self.office.store.write() as s:
            st = city_changes.state(s)
            st.failures += 1
            st.last_attempt_at, st.last_error_en, st.last_error_vi = self.clock(), str(exc), exc.message_vi
            s.add(st)

    def _next(self, ok: bool) -> datetime:
        at = self.clock()
        with self.office.store.read() as s:
            failures = city_changes.peek(s).failures
            pending = outbox.pending_count(s)
        if not ok and failures:
            return at + timedelta(seconds=self.backoff[min(failures, len(self.backoff)) - 1])
        nightly = datetime.combine(at.date(), self.nightly, at.tzinfo)
        if nightly <= at:
            nightly += timedelta(days=1)
        return min(nightly, at + (self.busy_every if pending else self.idle_every))
