"""A large upload as an outsider sends it, chunked, counting how much went out before the server stopped it."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

MB = 1024 * 1024


@dataclass
class Upload:
    status: int | None  # None: the server closed the connection while the upload went on
    body: bytes
    sent: int  # bytes of the body handed to the connection


def chunked_upload(url: str, token: str, *, megabytes: int, head: bytes = b"", tail: bytes = b"",
                   filler: bytes = b"x") -> Upload:
    sent = 0

    def chunks():
        nonlocal sent
        yield head
        for _ in range(megabytes):
            sent += MB
            yield filler * MB
        yield tail

    try:
        answer = httpx.post(url, content=chunks(), timeout=30,
                            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    except httpx.TransportError:
        return Upload(None, b"", sent)
    return Upload(answer.status_code, answer.content, sent)
