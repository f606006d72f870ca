"""Keeping a long-running hub's native heap flat.

glibc gives each thread that allocates its own malloc arena, up to eight per core. The hub serves
requests on a pool of worker threads, and freed memory scattered over many arenas is rarely given
back: in a four-hour soak its resident size kept creeping (114 to 143 MiB) while Python's own
objects did not grow. Two arenas held it flat (`benchmarks/bench_hub.py`, soak).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's malloc.h


def limit_malloc_arenas(count: int = 2) -> bool:
    """Cap glibc's malloc arenas for threads started from now on; True if the cap was set.

    Call it before the process starts its threads. An administrator's own MALLOC_ARENA_MAX wins;
    other C libraries and other systems are left as they are.
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        log.info("MALLOC_ARENA_MAX=%s set by the environment; left as it is", os.environ["MALLOC_ARENA_MAX"])
        return False
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        log.info("no mallopt in this C library; malloc arenas left as they are")
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    if mallopt(M_ARENA_MAX, count) != 1:
        log.warning("mallopt refused to cap malloc arenas at %d", count)
        return False
    log.info("malloc arenas capped at %d", count)
    return True
