"""Run one function in several spawned processes that start together; collect what each returns."""

from __future__ import annotations

import multiprocessing
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
