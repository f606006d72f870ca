"""The backup file: a readable header, then the store compressed and encrypted with the office's key.

    b"CABK" 0x01 | header length (4 bytes, big-endian) | header JSON | chunks

The header says what the backup holds (when, which office, how many events, the chain head) and
nothing personal, so `backup status` and the start-up message can list backups without the key. The
body is the SQLite file, zlib-compressed, cut into chunks of at most `CHUNK` bytes, each sealed with
AES-256-GCM under a key derived for this file alone (HKDF of the office key and a random salt). A
chunk's nonce is its number plus a flag on the last one, and every chunk is bound to the header, so
a reordered, cut-short, spliced or edited file, or a changed header, fails to open (the STREAM
construction of Hoang, Reyhanitabar, Rogaway and Vizár, as in `age` and Tink).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from counter_app.errors import OfficeError

MAGIC = b"CABK\x01"
CHUNK = 1 << 20
KEY_BYTES = 32
_TAG = 16


class BackupUnreadable(OfficeError):
    """A backup file that is not one, was cut short or changed, or needs another key."""


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def key_text(key: bytes) -> str:
    """The key as the administrator writes it down: base32 in groups of four."""
    text = base64.b32encode(key).decode("ascii").rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def key_from_text(text: str) -> bytes:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    try:
        key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise BackupUnreadable("backup key is not 32 bytes of base32",
                               "Khóa sao lưu không đúng: cần đủ 52 ký tự (chữ A–Z và số 2–7) như khi được cấp.")
    return key


def key_id(key: bytes) -> str:
    """A short name of the key, written in each header, so a wrong key is named as such."""
    return hashlib.sha256(b"counter-app backup key id\0" + key).hexdigest()[:16]


def _file_key(key: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"counter-app backup v1").derive(key)
    return AESGCM(derived)


def _nonce(number: int, last: bool) -> bytes:
    return struct.pack(">QB3x", number, 1 if last else 0)


def _compressed(source: IO[bytes]) -> Iterator[bytes]:
    """The source compressed, in pieces of exactly CHUNK bytes (the last one shorter, possibly empty)."""
    packer = zlib.compressobj(6)
    pending = bytearray()
    while block := source.read(CHUNK):
        pending += packer.compress(block)
        while len(pending) >= CHUNK:
            yield bytes(pending[:CHUNK])
            del pending[:CHUNK]
    pending += packer.flush()
    while len(pending) > CHUNK:
        yield bytes(pending[:CHUNK])
        del pending[:CHUNK]
    yield bytes(pending)


def seal(source: IO[bytes], target: IO[bytes], key: bytes, header: dict[str, Any]) -> dict[str, Any]:
    """Write `source` to `target` sealed with `key`; returns the header as written."""
    salt = os.urandom(16)
    header = {**header, "format": 1, "key_id": key_id(key), "salt": salt.hex(), "chunk": CHUNK}
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    target.write(MAGIC + struct.pack(">I", len(head)) + head)
    aead = _file_key(key, salt)
    pieces = _compressed(source)
    current = next(pieces)
    number = 0
    for following in pieces:
        _write_chunk(target, aead.encrypt(_nonce(number, False), current, head))
        current, number = following, number + 1
    _write_chunk(target, aead.encrypt(_nonce(number, True), current, head))
    return header


def _write_chunk(target: IO[bytes], sealed: bytes) -> None:
    target.write(struct.pack(">I", len(sealed)) + sealed)


def read_header(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return _header(f, path)[0]


def _header(f: IO[bytes], path: Path) -> tuple[dict[str, Any], bytes]:
    start = f.read(len(MAGIC) + 4)
    if len(start) < len(MAGIC) + 4 or not start.startswith(MAGIC):
        raise BackupUnreadable(f"{path.name}: not a counter-app backup",
                               f"Tệp “{path.name}” không phải bản sao lưu của phần mềm một cửa.")
    (length,) = struct.unpack(">I", start[len(MAGIC):])
    head = f.read(length) if length <= 1 << 16 else b""
    try:
        return json.loads(head.decode("utf-8")), head
    except (UnicodeDecodeError, ValueError):
        raise BackupUnreadable(f"{path.name}: header unreadable",
                               f"Phần đầu của bản sao lưu “{path.name}” bị hỏng.") from None


def unseal(path: Path, target: IO[bytes], key: bytes) -> dict[str, Any]:
    """Write the store held in the backup at `path` to `target`; refuses a wrong key or a changed file."""
    with path.open("rb") as f:
        header, head = _header(f, path)
        if header.get("key_id") != key_id(key):
            raise BackupUnreadable(f"{path.name}: sealed with another key ({header.get('key_id')})",
                                   f"Bản sao lưu “{path.name}” được mã hóa bằng một khóa khác; cần đúng khóa sao lưu "
                                   "của văn phòng đã dùng khi sao lưu.")
        aead = _file_key(key, bytes.fromhex(header["salt"]))
        unpacker = zlib.decompressobj()
        number, last = 0, False
        while not last:
            size_bytes = f.read(4)
            if len(size_bytes) < 4:
                raise _damaged(path, f"cut short after {number} chunks")
            (size,) = struct.unpack(">I", size_bytes)
            sealed = f.read(size) if _TAG <= size <= header["chunk"] + _TAG else b""
            if len(sealed) != size or not sealed:
                raise _damaged(path, f"chunk {number} cut short")
            try:
                plain = aead.decrypt(_nonce(number, False), sealed, head)
            except InvalidTag:
                try:
                    plain, last = aead.decrypt(_nonce(number, True), sealed, head), True
                except InvalidTag:
                    raise _damaged(path, f"chunk {number} does not authenticate") from None
            target.write(unpacker.decompress(plain))
            number += 1
        if f.read(1):
            raise _damaged(path, "bytes after the last chunk")
        target.write(unpacker.flush())
        if not unpacker.eof:
            raise _damaged(path, "compressed stream incomplete")
    return header


def _damaged(path: Path, why: str) -> BackupUnreadable:
    return BackupUnreadable(f"{path.name}: {why}",
                            f"Bản sao lưu “{path.name}” bị hỏng hoặc đã bị sửa; không dùng được để khôi phục.")
