"""Real-time status of an ESC/POS printer (DLE EOT n), read before a job is sent.

Bits per the ESC/POS reference: n=1 printer status (bit 3 offline); n=2 offline cause (bit 2 cover
open, bit 5 stopped at paper end, bit 6 error); n=4 roll paper sensor (bits 2-3 near end, bits 5-6
paper end). A printer that does not answer is assumed ready: many cheap printers never reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"


@dataclass(frozen=True)
class PrinterStatus:
    answered: bool = False
    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    error: bool = False


def decode(printer: int | None, cause: int | None, paper: int | None) -> PrinterStatus:
    """Status from the three answer bytes (None where the printer did not answer)."""
    if printer is None and cause is None and paper is None:
        return PrinterStatus()
    printer, cause, paper = printer or 0, cause or 0, paper or 0
    return PrinterStatus(
        answered=True,
        offline=bool(printer & 0x08),
        cover_open=bool(cause & 0x04),
        paper_out=bool(cause & 0x20) or (paper & 0x60) == 0x60,
        paper_near_end=(paper & 0x0C) == 0x0C,
        error=bool(cause & 0x40),
    )


def query(device) -> PrinterStatus:
    """Ask an open python-escpos printer (network, serial or USB) for its status."""
    answers: list[int | None] = []
    for n in (1, 2, 4):
        try:
            device._raw(DLE_EOT + bytes([n]))
            reply = device._read()
        except Exception as exc:  # timeouts differ per connection type; no answer means "unknown"
            log.debug("status query %d got no answer: %s", n, exc)
            reply = b""
        answers.append(reply[0] if reply else None)
    return decode(*answers)
