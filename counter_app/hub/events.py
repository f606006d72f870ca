"""The hub's live event stream: every office event, once committed, to every connected machine.

Events are numbered within one run of the hub (`boot.seq`). A machine that reconnects names the last
event it saw; if the hub still holds what followed, it gets exactly that, else (the hub restarted, or
it was away too long) a `resync`, after which its screens reload what they show.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections import deque
from dataclasses import asdict

from counter_app.events import OfficeEvent

log = logging.getLogger(__name__)

KEEP = 2000  # events kept for machines that reconnect
QUEUE_MAX = 1000  # a machine this far behind is cut off (it reconnects and resyncs)


def encode(event: OfficeEvent) -> str:
    return json.dumps({"type": type(event).__name__, **asdict(event)}, ensure_ascii=False)


class Fanout:
    def __init__(self) -> None:
        self.boot = secrets.token_hex(4)
        self.seq = 0
        self._recent: deque[tuple[int, str]] = deque(maxlen=KEEP)
        self._queues: set[asyncio.Queue[str | None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    @property
    def listeners(self) -> int:
        return len(self._queues)

    def publish(self, event: OfficeEvent) -> None:
        """Called on whichever thread committed the change; hands the event to the server's loop."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._deliver, encode(event))

    def _frame(self, seq: int, data: str) -> str:
        return f"id: {self.boot}.{seq}\nevent: office\ndata: {data}\n\n"

    def _deliver(self, data: str) -> None:
        self.seq += 1
        self._recent.append((self.seq, data))
        frame = self._frame(self.seq, data)
        for queue in list(self._queues):
            try:
                queue.put_nowait(frame)
            except asyncio.QueueFull:
                log.warning("an event listener fell %d events behind; cutting it off to resync", QUEUE_MAX)
                self._queues.discard(queue)
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(None)

    def close(self) -> None:
        """End every stream (the hub is stopping); callable from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._end_all)

    def _end_all(self) -> None:
        for queue in list(self._queues):
            self._queues.discard(queue)
            while not queue.empty():
                queue.get_nowait()
            queue.put_nowait(None)

    def attach(self, last_event_id: str) -> asyncio.Queue[str | None]:
        """A queue for one connection, starting with what it missed (or a resync)."""
        queue: asyncio.Queue[str | None] = asyncio.Queue(QUEUE_MAX + 1)
        boot, _, seq_text = last_event_id.partition(".")
        seen = int(seq_text) if boot == self.boot and seq_text.isdigit() else None
        oldest = self._recent[0][0] if self._recent else self.seq + 1
        if seen is not None and seen + 1 >= oldest and seen <= self.seq and self.seq - seen <= QUEUE_MAX:
            for seq, data in self._recent:
                if seq > seen:
                    queue.put_nowait(self._frame(seq, data))
        else:
            queue.put_nowait(f"id: {self.boot}.{self.seq}\nevent: resync\ndata: {{}}\n\n")
        self._queues.add(queue)
        return queue

    def detach(self, queue: asyncio.Queue[str | None]) -> None:
        self._queues.discard(queue)
