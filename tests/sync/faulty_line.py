"""A bad line between the hub and the city: a loopback HTTP/1.1 proxy that misbehaves on purpose.

Each request goes to the city over a fresh connection (the proxy asks for `Connection: close`) unless
the line picks a fault for it, at random with the given shares:

- "500": answers 500 itself; the city never sees the request.
- "500_after": the city handles the request (and commits), then the hub gets a 500 instead.
- "413": answers 413 itself, as a proxy with a small body limit does (also `max_body`).
- "hang": holds the request and never answers (the hub's timeout fires).
- "slow_answer": the city handles it; its answer comes after the hub stopped waiting.
- "cut_request": the connection drops before the request reaches the city.
- "cut_answer": the city handles it; the connection drops before the answer reaches the hub.

`down = True` cuts the line both ways: every connection is closed as soon as it opens.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter

FAULTS = ("500", "500_after", "413", "hang", "slow_answer", "cut_request", "cut_answer")


def _canned(status: int, reason: str) -> bytes:
    body = f'{{"detail": "{reason} (faulty line)"}}'.encode()
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


class FaultyLine:
    def __init__(self, upstream: str, *, faults: dict[str, float] | None = None, seed: int = 0,
                 hold_s: float = 2.0) -> None:
        host, _, port = upstream.removeprefix("http://").partition(":")
        self.upstream = (host, int(port))
        self.faults = dict(faults or {})
        assert set(self.faults) <= set(FAULTS) and sum(self.faults.values()) <= 1
        self.rng = random.Random(seed)
        self.hold_s = hold_s  # how long "hang" and "slow_answer" hold: longer than the hub's timeout
        self.down = False
        self.max_body: int | None = None
        # Faults for the next pushes, in order, before the dice take over (pushes are where losing an
        # answer after the city committed matters).
        self.script: list[str] = []
        self.pushes: Counter[str] = Counter()  # what happened to the pushes
        self.counts: Counter[str] = Counter()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="faulty-line", daemon=True)
        self.url = ""

    def start(self) -> str:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._handle, "127.0.0.1", 0), self._loop).result(5)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self.url

    def stop(self) -> None:
        async def close() -> None:
            assert self._server is not None
            self._server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _pick(self, path: str, body_size: int) -> str:
        if self.down:
            return "down"
        if self.max_body is not None and body_size > self.max_body:
            return "too_large"
        if self.script and path == "/v1/sync/push":
            return self.script.pop(0)
        roll, edge = self.rng.random(), 0.0
        for fault, share in self.faults.items():
            edge += share
            if roll < edge:
                return fault
        return "pass"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._relay(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # the hub gave up on this connection; that is its business
        finally:
            writer.close()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            self.counts["down"] += 1
            return
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        kept, length = [lines[0]], 0
        for line in lines[1:]:
            name = line.partition(":")[0].strip().lower()
            if name == "content-length":
                length = int(line.partition(":")[2])
            if line and name != "connection":
                kept.append(line)
        body = await reader.readexactly(length)
        path = lines[0].split(" ")[1].partition("?")[0]
        fault = self._pick(path, len(body))
        self.counts[fault] += 1
        if path == "/v1/sync/push":
            self.pushes[fault] += 1
        if fault in ("down", "cut_request"):
            return
        if fault == "500":
            writer.write(_canned(500, "Internal Server Error"))
        elif fault in ("413", "too_large"):
            writer.write(_canned(413, "Request Entity Too Large"))
        elif fault == "hang":
            await asyncio.sleep(self.hold_s)
        else:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
            up_writer.write(("\r\n".join([*kept, "Connection: close"]) + "\r\n\r\n").encode("latin-1") + body)
            await up_writer.drain()
            answer = await up_reader.read()
            up_writer.close()
            if fault == "cut_answer":
                return
            if fault == "500_after":
                answer = _canned(500, "Internal Server Error")
            elif fault == "slow_answer":
                await asyncio.sleep(self.hold_s)
            writer.write(answer)
        await writer.drain()
