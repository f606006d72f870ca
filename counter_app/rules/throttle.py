"""Growing waits after failed sign-ins, per (user name, machine): a slow guesser, never a lock from afar.

Three tries are free; then each failure doubles the wait before the next try of that name at that
machine (5 s, 10 s, 20 s, … up to 15 minutes). Another machine, and so the clerk at their own counter,
is not slowed. Kept in the hub's memory: only the hub's own restart, which an outsider cannot cause,
forgets it. Names that were never accounts are slowed the same way, so waiting tells nothing.
"""

from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta

FREE_TRIES = 3
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=15)
MAX_KEYS = 10_000  # an attacker typing endless new names fills this, not the hub's memory

Key = tuple[str, str]  # (user name as typed, folded; machine name)


class Throttle:
    def __init__(self) -> None:
        self._failures: dict[Key, tuple[int, datetime]] = {}  # failures in a row, and when the last one was
        self._lock = threading.Lock()

    def wait(self, key: Key, at: datetime) -> int:
        """Seconds to wait before `key` may try again (0: now)."""
        with self._lock:
            count, last = self._failures.get(key, (0, at))
        if count < FREE_TRIES:
            return 0
        until = last + min(LONGEST_WAIT, FIRST_WAIT * 2 ** (count - FREE_TRIES))
        return max(0, math.ceil((until - at).total_seconds()))

    def failed(self, key: Key, at: datetime) -> None:
        with self._lock:
            count, _last = self._failures.pop(key, (0, at))
            self._failures[key] = (count + 1, at)  # to the end: the dict stays in order of last failure
            while len(self._failures) > MAX_KEYS:
                del self._failures[next(iter(self._failures))]

    def succeeded(self, key: Key) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def forget(self, username: str) -> None:
        """An administrator unlocked the account: its waits at every machine end."""
        with self._lock:
            for key in [k for k in self._failures if k[0] == username]:
                del self._failures[key]
