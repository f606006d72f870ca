"""Helpers for tests that run processes: one function in several spawned processes started together, and
stopping a helper process (a hub, a private cupsd) cleanly."""

from __future__ import annotations

import multiprocessing
import subprocess
from collections.abc import Callable
from typing import Any


def _child(target: Callable[..., Any], args: tuple, start, out) -> None:
    start.wait()
    out.put(target(*args))


def run_together(target: Callable[..., Any], args_per_process: list[tuple], timeout: float = 120) -> list[Any]:
    """`target(*args)` in one process per args tuple, released at the same moment; results in finish order.

    `target` must be importable (module level), as spawned processes import it afresh.
    """
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_child, args=(target, args, start, out)) for args in args_per_process]
    for p in procs:
        p.start()
    start.set()
    results = [out.get(timeout=timeout) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return results


def stop_process(proc: subprocess.Popen | None) -> None:
    """Ask a helper process (a hub, a private cupsd) to end; kill it if it has not within ten seconds."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
