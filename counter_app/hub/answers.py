"""The answers the hub gave to keyed write requests, kept to be given again to a repeat.

That a key was carried out is durable with the write itself (`idempotency.record`); its answer is
held in memory at once and written to the store in batches, which spares every write a second
commit. Should the hub die before a batch is written, a repeat is told the request was already
carried out (`AlreadyDone`) rather than being carried out again.
"""

from __future__ import annotations

import logging
import threading
import time

from counter_app.hub import idempotency
from counter_app.rules.clock import now
from counter_app.store import Store

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0


class Answers:
    def __init__(self, store: Store, *, every_s: float = 0.5) -> None:
        self.store = store
        self.every_s = every_s
        self._unsaved: dict[str, tuple[int, bytes]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-answers", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.flush()

    def put(self, key: str, status: int, body: bytes) -> None:
        with self._lock:
            self._unsaved[key] = (status, body)

    def get(self, key: str) -> tuple[str, int | None, bytes | None] | None:
        """(request hash, status, body) of a key carried out, or None if it never was."""
        row = idempotency.answer(self.store.peek, key)
        if row is None:
            return None
        request_hash, status, body = row
        with self._lock:
            status, body = self._unsaved.get(key, (status, body))
        return request_hash, status, body

    def flush(self) -> int:
        with self._lock:
            batch = dict(self._unsaved)
        if not batch:
            return 0
        with self.store.write() as s:
            idempotency.save_answers(s, batch)
        with self._lock:
            for key in batch:
                if self._unsaved.get(key) == batch[key]:
                    del self._unsaved[key]
        return len(batch)

    def prune(self) -> int:
        """Forget keys older than a day: their answers hold personal data."""
        with self.store.write() as s:
            return idempotency.prune(s, now())

    def _run(self) -> None:
        next_prune = time.monotonic() + PRUNE_EVERY_S
        while not self._stop.wait(self.every_s):
            try:
                self.flush()
                if time.monotonic() >= next_prune:
                    next_prune = time.monotonic() + PRUNE_EVERY_S
                    log.info("%d request keys older than a day forgotten", self.prune())
            except Exception:  # a locked or full disk must not stop the hub answering
                log.exception("could not store the answers of keyed requests; will try again")
