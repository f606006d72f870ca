"""Typed events the office announces after a change is committed (DESIGN.md, Screens).

Listeners are called on the thread that made the change; the `ui` package re-emits them on
the GUI thread. A failing listener is logged and never breaks the change or other listeners.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OfficeEvent:
    """Base of every event."""


@dataclass(frozen=True)
class DossierChanged(OfficeEvent):
    code: str
    status: int
    action: str


@dataclass(frozen=True)
class CatalogChanged(OfficeEvent):
    version: str


@dataclass(frozen=True)
class QueueChanged(OfficeEvent):
    """A ticket was issued, called, recalled, served, finished, moved or closed."""

    label: str
    state: str
    step: str
    counter_no: int | None = None


@dataclass(frozen=True)
class PrintChanged(OfficeEvent):
    """A print job was queued, printed, failed, redirected or cancelled, or a printer was set up."""

    job_id: int | None
    state: str
    printer: str
    message_vi: str = ""


@dataclass(frozen=True)
class SyncChanged(OfficeEvent):
    """A sync round with the city finished (or failed); read `Office.sync_status()` for the figures."""

    ok: bool


@dataclass(frozen=True)
class SyncRequested(OfficeEvent):
    """Someone pressed "sync now": the scheduler starts a round at once."""


@dataclass(frozen=True)
class OfficeChanged(OfficeEvent):
    """Identity, hours, calendar, lanes or counters changed."""


@dataclass(frozen=True)
class HubConnection(OfficeEvent):
    """A LAN client lost or regained the office hub (never announced by the embedded hub)."""

    online: bool
    message_vi: str = ""


Listener = Callable[[OfficeEvent], None]


def event_types() -> dict[str, type[OfficeEvent]]:
    """Every event class by name: how events cross the LAN (`{"type": name, **fields}`)."""
    return {cls.__name__: cls for cls in OfficeEvent.__subclasses__()}


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: OfficeEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("listener %r failed on %r", listener, event)
