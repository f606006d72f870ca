"""A full disk under the hub: a typed refusal and a Vietnamese message, nothing committed lost, work resumes.

The hub's store lives on a small tmpfs, filled up by another file as a log or a download would.
Mounting needs the right to mount (root, as CI and this machine run); elsewhere the test is skipped.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from counter_app.audit import verify_chain
from counter_app.errors import StorageFull
from counter_app.store import Store
from counter_app.store.models import Dossier
from tests.conftest import STAFF_PASSWORD, make_form
from tests.hub.conftest import Hub, post_op, running_hub


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Take all the disk's space but `leave` bytes with one file."""
    filler = disk / "filler.bin"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with filler.open("wb") as f:
        f.truncate(0)
        chunk = b"\0" * (1 << 20)
        remaining = max(0, free - leave)
        while remaining > 0:
            f.write(chunk[:min(len(chunk), remaining)])
            remaining -= len(chunk)
    return filler


def test_a_full_disk_refuses_writes_clearly_loses_nothing_and_recovers(small_disk: Path):
    hub: Hub
    for hub in running_hub(small_disk):
        office = hub.client("quay-1")
        session = office.sign_in("canbo1", STAFF_PASSWORD, counter_no=1)
        saved = [office.receive(make_form(name="Nguyễn Văn Một"), actor="canbo1").code]
        filler = _fill(small_disk, leave=64 * 1024)
        refused = None
        for _ in range(400):
            try:
                saved.append(office.receive(make_form(name="Trần Thị Hai"), actor="canbo1").code)
            except StorageFull as exc:
                refused = exc
                break
        assert refused is not None, "the disk never filled"
        assert "Ổ đĩa" in refused.message_vi and "còn trên màn hình" in refused.message_vi
        raw = post_op(hub, "receive", {"form": make_form().model_dump(mode="json")}, session=session.token,
                      key=str(uuid.uuid4()))
        assert raw.status_code == 507 and raw.json()["kind"] == "StorageFull"
        assert hub.health().status_code == 200  # the hub itself stays up
        assert [office.dossier(code).code for code in saved] == saved  # every answered intake is there

        filler.unlink()  # the administrator frees space
        saved.append(office.receive(make_form(name="Lê Văn Ba"), actor="canbo1").code)
    store = Store.open(small_disk / "office.sqlite3")
    try:
        with store.read() as s:
            assert verify_chain(s).ok
            codes = [d.code for d in s.exec(select(Dossier)).all()]
        assert sorted(codes) == sorted(saved)  # the refused intake left nothing behind, half or whole
    finally:
        store.close()
