"""The hub caps glibc's malloc arenas: counted from glibc's own report, in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc arenas")

# Eight threads allocate at the same time; glibc then reports one "Arena N:" block per arena in use.
PROGRAM = """
import ctypes, sys, threading
from counter_app.hub.native_heap import limit_malloc_arenas
print(limit_malloc_arenas(2) if sys.argv[1] == "cap" else None, flush=True)
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
barrier = threading.Barrier(8)
def work():
    barrier.wait()
    for _ in range(2000):
        libc.malloc(64)  # ctypes calls drop the GIL, so the threads really allocate together
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
libc.malloc_stats()
"""


def _arenas(mode: str, **env: str) -> tuple[str, int]:
    environ = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | env
    done = subprocess.run([sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, env=environ,
                          timeout=60, check=True)
    return done.stdout.strip(), sum(line.startswith("Arena ") for line in done.stderr.splitlines())


def test_capped_process_uses_at_most_two_arenas_where_an_uncapped_one_uses_more() -> None:
    said, capped = _arenas("cap")
    assert said == "True"
    assert 1 <= capped <= 2
    _said, free = _arenas("free")
    assert free > 2


def test_an_administrators_own_setting_is_left_alone() -> None:
    said, arenas = _arenas("cap", MALLOC_ARENA_MAX="3")
    assert said == "False"
    assert 1 <= arenas <= 3
