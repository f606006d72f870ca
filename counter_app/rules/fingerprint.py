"""A certificate's SHA-256 fingerprint as people compare it: `AB:CD:…` (what `serve` prints, what clients pin)."""

from __future__ import annotations

import hashlib
import ssl


def format_fingerprint(text: str) -> str:
    """Any spelling of a SHA-256 fingerprint (colons or not, any case) in one canonical form."""
    digits = "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
    return ":".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def fingerprint_of_der(der: bytes) -> str:
    return format_fingerprint(hashlib.sha256(der).hexdigest())


def fingerprint_of_pem(pem: str | bytes) -> str:
    text = pem.decode("ascii") if isinstance(pem, bytes) else pem
    return fingerprint_of_der(ssl.PEM_cert_to_DER_cert(text))
