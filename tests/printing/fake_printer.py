"""A stand-in for the ESC/POS printer we do not have here: it answers status queries and keeps what it got.

It speaks the real protocol over a real TCP socket (like a network printer on port 9100) or a real
serial line (a socat pty pair), so the product's own connection code is what gets tested.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field

DLE_EOT = b"\x10\x04"
READY = 0x12  # the fixed bits of every status byte


@dataclass
class FakePrinter:
    paper_out: bool = False
    cover_open: bool = False
    jobs: list[bytes] = field(default_factory=list)  # bytes received per connection, status queries removed

    def status(self, n: int) -> bytes:
        value = READY
        if n == 2:
            value |= (0x20 if self.paper_out else 0) | (0x04 if self.cover_open else 0)
        elif n == 4 and self.paper_out:
            value |= 0x60
        return bytes([value])

    def take(self, chunk: bytes, reply, printing: bool) -> bytes:
        """Answer the status queries before the print data; return the rest (what would be printed).

        Once data flows, DLE EOT bytes are image data (a raster row can hold them), not queries.
        """
        kept = bytearray()
        i = 0
        while i < len(chunk):
            if not printing and not kept and chunk[i:i + 2] == DLE_EOT and i + 2 < len(chunk):
                reply(self.status(chunk[i + 2]))
                i += 3
            else:
                kept.append(chunk[i])
                i += 1
        return bytes(kept)


class NetworkPrinter(FakePrinter):
    """Listens on a loopback port; every connection is one job."""

    def __init__(self) -> None:
        super().__init__()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                received = bytearray()
                while chunk := conn.recv(65536):
                    received += self.take(chunk, conn.sendall, printing=bool(received))
                if received:
                    self.jobs.append(bytes(received))

    def close(self) -> None:
        """Stop listening; shutting the socket down wakes the thread blocked in accept (closing alone does not)."""
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(timeout=5)
