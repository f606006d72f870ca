"""Serial LED signs and pole displays showing the last call per counter (pyserial).

Such signs show plain ASCII only, so text loses its accents (Đ → D). Two protocols are built in:
`ascii` (each line followed by CR LF, for the many LED signs that take plain lines) and `cd5220`
(the common pole display command set: ESC @ init, FF clear, ESC Q A/B line CR). A vendor's sign
gets its own protocol through `register_protocol`. Writing happens on a background thread so the
board's screen never waits on a slow serial line.
"""

from __future__ import annotations

import logging
import queue
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import serial

from counter_app.errors import ConfigError
from counter_app.views.queue import CallView

log = logging.getLogger(__name__)

ESC, FF, CR, LF = b"\x1b", b"\x0c", b"\r", b"\n"


def ascii_text(text: str) -> str:
    """ "Mời số A012 đến quầy 3" → "Moi so A012 den quay 3"; anything else non-ASCII becomes "?"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.encode("ascii", "replace").decode("ascii")


class SignProtocol(Protocol):
    width: int
    lines: int

    def frame(self, lines: list[str]) -> bytes:
        """The bytes that make the sign show `lines` (already ASCII, at most `width` each)."""
        ...


@dataclass
class AsciiLines:
    width: int = 20
    lines: int = 2

    def frame(self, lines: list[str]) -> bytes:
        return b"".join(line.ljust(self.width)[: self.width].encode("ascii") + CR + LF for line in lines)


@dataclass
class CD5220:
    """Two lines of 20 characters: ESC @ initialise, FF clear, ESC Q A upper line CR, ESC Q B lower line CR."""

    width: int = 20
    lines: int = 2

    def frame(self, lines: list[str]) -> bytes:
        out = ESC + b"@" + FF
        for selector, line in zip((b"A", b"B"), lines, strict=False):
            out += ESC + b"Q" + selector + line.ljust(self.width)[: self.width].encode("ascii") + CR
        return out


PROTOCOLS: dict[str, Callable[[], SignProtocol]] = {"ascii": AsciiLines, "cd5220": CD5220}


def register_protocol(name: str, factory: Callable[[], SignProtocol]) -> None:
    """Add a vendor's sign protocol under `name` (usable in the `sign_protocol` setting)."""
    PROTOCOLS[name] = factory


def make_protocol(name: str) -> SignProtocol:
    try:
        return PROTOCOLS[name]()
    except KeyError:
        raise ConfigError(f"unknown sign protocol {name!r}",
                          f"Không có giao thức bảng LED “{name}” (có: {', '.join(sorted(PROTOCOLS))}).") from None


@dataclass
class CallLines:
    """What the sign says: for one counter, its last call on two lines; for the hall, one line per counter."""

    protocol: SignProtocol
    counter_no: int | None = None  # a pole display at one counter; None: a hall sign for every counter
    last: dict[int, str] = field(default_factory=dict)

    def add(self, call: CallView) -> bool:
        """Remember the call; True when the sign must change."""
        if self.counter_no is not None and call.counter_no != self.counter_no:
            return False
        self.last[call.counter_no] = call.label
        return True

    def lines(self) -> list[str]:
        w = self.protocol.width
        if self.counter_no is not None:
            label = self.last.get(self.counter_no, "")
            rows = [f"MOI SO {label}" if label else "", f"DEN QUAY {self.counter_no}" if label else ""]
        else:
            rows = [f"QUAY {n}: {label}" for n, label in sorted(self.last.items())][-self.protocol.lines:]
        rows += [""] * (self.protocol.lines - len(rows))
        return [ascii_text(r).center(w)[:w] for r in rows]


class SerialSign:
    """A sign on a serial port or pyserial URL ("COM3", "/dev/ttyUSB0", "loop://"), written by a worker thread."""

    def __init__(self, port: str, *, baudrate: int = 9600, protocol: str = "cd5220",
                 counter_no: int | None = None) -> None:
        self.port, self.baudrate = port, baudrate
        self.calls = CallLines(make_protocol(protocol), counter_no)
        self._serial: serial.SerialBase | None = None
        self._lock = threading.Lock()
        self._frames: queue.Queue[bytes | None] = queue.Queue()
        self._thread = threading.Thread(target=self._write_loop, name="serial-sign", daemon=True)
        self._thread.start()

    def show_calls(self, calls: list[CallView]) -> None:
        """Take new calls (oldest first); the sign is rewritten once with the result."""
        if any([self.calls.add(c) for c in calls]):
            self.show_lines(self.calls.lines())

    def show_lines(self, lines: list[str]) -> None:
        self._frames.put(self.calls.protocol.frame([ascii_text(line) for line in lines]))

    def _port(self) -> serial.SerialBase:
        with self._lock:
            if self._serial is None:
                self._serial = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=1, write_timeout=5)
            return self._serial

    def _write_loop(self) -> None:
        while (frame := self._frames.get()) is not None:
            while not self._frames.empty():  # only the newest state matters on a slow line
                newer = self._frames.get()
                if newer is None:
                    return
                frame = newer
            try:
                port = self._port()
                port.write(frame)
                port.flush()
            except (serial.SerialException, OSError) as exc:
                log.warning("sign on %s: write failed: %s", self.port, exc)
                self._serial = None  # reopen next time: the cable may come back

    def close(self) -> None:
        self._frames.put(None)
        self._thread.join(5)
        if self._serial is not None:
            self._serial.close()

    @property
    def serial(self) -> serial.SerialBase:
        """The open port (tests read back what a `loop://` port received)."""
        return self._port()
