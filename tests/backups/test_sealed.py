"""The backup file format: what it takes to open one, and every way a changed file is refused."""

from __future__ import annotations

import io
import json
import os
import struct
from pathlib import Path

import pytest

from counter_app.backups import sealed
from counter_app.backups.sealed import BackupUnreadable

HEADER = {"made_at": "2026-11-30T17:05:00+07:00", "office": "000.00.73.H26", "events": 42}


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(sealed, "CHUNK", 1024)  # several chunks from a few kilobytes


def _sealed(tmp_path: Path, data: bytes, key: bytes) -> Path:
    path = tmp_path / "b.cabk"
    with path.open("wb") as f:
        sealed.seal(io.BytesIO(data), f, key, HEADER)
    return path


def _open(path: Path, key: bytes) -> bytes:
    out = io.BytesIO()
    sealed.unseal(path, out, key)
    return out.getvalue()


def _chunks(path: Path) -> tuple[bytes, list[bytes]]:
    raw = path.read_bytes()
    (length,) = struct.unpack(">I", raw[5:9])
    head, rest, chunks = raw[:9 + length], raw[9 + length:], []
    while rest:
        (size,) = struct.unpack(">I", rest[:4])
        chunks.append(rest[:4 + size])
        rest = rest[4 + size:]
    return head, chunks


def test_a_backup_opens_with_its_key_and_says_what_it_holds_without_it(tmp_path, small_chunks):
    key, data = sealed.new_key(), os.urandom(5000) + b"Nguy\xe1\xbb\x85n V\xc4\x83n \xc4\x90\xe1\xbb\xa9c" * 300
    path = _sealed(tmp_path, data, key)
    assert _open(path, key) == data
    header = sealed.read_header(path)  # no key needed to list backups
    assert header["events"] == 42 and header["key_id"] == sealed.key_id(key)
    assert b"Nguy" not in path.read_bytes()  # nothing of the content is readable


def test_the_key_as_written_down_reads_back(tmp_path):
    key = sealed.new_key()
    text = sealed.key_text(key)
    assert len(text.replace("-", "")) == 52
    assert sealed.key_from_text(text.lower().replace("-", " ")) == key
    with pytest.raises(BackupUnreadable) as err:
        sealed.key_from_text(text[:-5])
    assert "52 ký tự" in err.value.message_vi


def test_another_key_is_named_as_such(tmp_path):
    path = _sealed(tmp_path, b"x" * 100, sealed.new_key())
    with pytest.raises(BackupUnreadable) as err:
        _open(path, sealed.new_key())
    assert "khóa khác" in err.value.message_vi


@pytest.mark.parametrize("damage", ["flip a byte", "cut the last chunk", "cut mid-chunk", "swap two chunks",
                                    "duplicate a chunk", "change the header", "append bytes", "not a backup"])
def test_a_changed_file_is_refused(tmp_path, small_chunks, damage):
    key = sealed.new_key()
    path = _sealed(tmp_path, os.urandom(6000), key)
    head, chunks = _chunks(path)
    assert len(chunks) >= 4
    if damage == "flip a byte":
        raw = bytearray(path.read_bytes())
        raw[len(head) + 100] ^= 1
        path.write_bytes(bytes(raw))
    elif damage == "cut the last chunk":
        path.write_bytes(head + b"".join(chunks[:-1]))
    elif damage == "cut mid-chunk":
        path.write_bytes(head + b"".join(chunks)[:-10])
    elif damage == "swap two chunks":
        path.write_bytes(head + chunks[1] + chunks[0] + b"".join(chunks[2:]))
    elif damage == "duplicate a chunk":
        path.write_bytes(head + chunks[0] + b"".join(chunks))
    elif damage == "change the header":
        header = json.loads(head[9:])
        header["events"] = 41
        new = json.dumps(header, ensure_ascii=False, sort_keys=True).encode()
        path.write_bytes(sealed.MAGIC + struct.pack(">I", len(new)) + new + b"".join(chunks))
    elif damage == "append bytes":
        path.write_bytes(path.read_bytes() + b"\0")
    else:
        path.write_bytes(b"SQLite format 3\0" + os.urandom(100))
    with pytest.raises(BackupUnreadable) as err:
        _open(path, key)
    assert err.value.message_vi
