"""A LAN client's end of the hub's event stream: a thread that follows it and reconnects by itself.

Events are re-announced on the client's own bus, so screens subscribe exactly as they do to the
embedded hub. Losing the hub announces `HubConnection(online=False)`; coming back announces
`HubConnection(online=True)`, and when events were missed (the hub restarted, or the PC was away
too long) one event of each kind with an empty subject, so every screen reloads what it shows.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

import httpx
from httpx_sse import EventSource, SSEError

from counter_app.errors import OfficeError
from counter_app.events import (
    DossierChanged,
    EventBus,
    OfficeEvent,
    PrintChanged,
    QueueChanged,
    SyncChanged,
    event_types,
)

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 25.0  # the hub sends a heartbeat every 10 s; silence this long means it is gone
RETRY_MIN_S, RETRY_MAX_S = 0.2, 5.0
OFFLINE_VI = "Mất kết nối với máy chủ văn phòng; đang tự kết nối lại…"

RESYNC: tuple[OfficeEvent, ...] = (QueueChanged("", "", "resync"), DossierChanged("", 0, "resync"),
                                   PrintChanged(None, "resync", ""), SyncChanged(ok=True))


def decode(data: str) -> OfficeEvent | None:
    try:
        fields = json.loads(data)
        cls = event_types()[fields.pop("type")]
        return cls(**fields)
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring an event the hub sent that this version does not know: %s (%s)", data[:200], exc)
        return None


class EventStream:
    def __init__(self, http: httpx.Client, bus: EventBus, on_online: Callable[[bool], None], *,
                 prepare: Callable[[], None] = lambda: None) -> None:
        self._http = http
        self._bus = bus
        self._on_online = on_online
        self._prepare = prepare
        self._last_id = ""
        self._stop = threading.Event()
        self._response: httpx.Response | None = None
        self._thread = threading.Thread(target=self._run, name="hub-events", daemon=True)
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        response = self._response
        if response is not None:
            response.close()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        delay = RETRY_MIN_S
        while not self._stop.is_set():
            try:
                self._follow()
                delay = RETRY_MIN_S
            except (httpx.HTTPError, OSError, OfficeError, SSEError) as exc:
                if self._stop.is_set():
                    return
                log.info("hub event stream down (%s); retrying in %.1f s", exc, delay)
            if self.connected.is_set():
                self.connected.clear()
                self._on_online(False)
            self._stop.wait(delay)
            delay = min(RETRY_MAX_S, delay * 2)

    def _follow(self) -> None:
        self._prepare()  # the hub shows the pinned certificate, or nothing is sent
        headers = {"Last-Event-ID": self._last_id} if self._last_id else {}
        timeout = httpx.Timeout(READ_TIMEOUT_S, connect=2.0)
        with self._http.stream("GET", "/api/events", headers=headers, timeout=timeout) as response:
            self._response = response
            if response.status_code != 200:
                response.read()
                log.warning("hub refused the event stream: %s %s", response.status_code, response.text[:200])
                raise httpx.HTTPStatusError("event stream refused", request=response.request, response=response)
            self.connected.set()
            self._on_online(True)
            for sse in EventSource(response).iter_sse():  # comments (the hub's pings) are skipped
                if self._stop.is_set():
                    return
                self._dispatch(sse.event, sse.data)
                if sse.id:
                    self._last_id = sse.id

    def _dispatch(self, kind: str, data: str) -> None:
        if kind == "resync":
            log.info("hub event stream: resync")
            for event in RESYNC:
                self._bus.publish(event)
        elif kind == "office":
            event = decode(data)
            if event is not None:
                self._bus.publish(event)
