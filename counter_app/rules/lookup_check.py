"""The short signed check the receipt's QR carries beside the dossier code, so nobody can walk codes.

HMAC-SHA256 of the code under the office's lookup key (the city made it and keeps it; the office
fetched it once over its sync credential), cut to 40 bits and written in 8 base-32 letters: short
enough for a small QR, far too many to guess at a throttled page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

CHECK_LEN = 8


def lookup_check(key: bytes, code: str) -> str:
    digest = hmac.new(key, code.strip().upper().encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest[:5]).decode("ascii")


def check_matches(key: bytes, code: str, given: str) -> bool:
    """Whether `given` is the check of `code`; compared in constant time."""
    want = lookup_check(key, code).encode("ascii")
    return hmac.compare_digest(want, given.strip().upper().encode("utf-8"))  # bytes: any input, no TypeError
