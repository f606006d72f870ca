"""python-escpos's capabilities cache, as processes starting together on a fresh PC meet it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

IMPORT = ("from printers.escpos_cache import import_escpos; import_escpos(); "
          "import escpos.capabilities as c; print(len(c.CAPABILITIES['profiles']))")
ROOT = Path(__file__).resolve().parents[2]


def _start(cache: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", IMPORT], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "ESCPOS_CAPABILITIES_PICKLE_DIR": str(cache)})


def test_processes_starting_together_on_an_empty_cache_all_import(tmp_path):
    runs = [_start(tmp_path) for _ in range(4)]  # the clerk app, the kiosk, the board, a rating tablet
    answers = [(r.wait(timeout=60), *r.communicate()) for r in runs]
    assert all(code == 0 for code, _, _ in answers), [err[-500:] for _, _, err in answers]
    assert len({out for _, out, _ in answers}) == 1 and int(answers[0][1]) > 10  # the same profiles everywhere
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []  # nothing half written left


def test_a_cache_left_half_written_is_written_anew(tmp_path):
    import platform

    broken = tmp_path / f"{platform.python_version()}.capabilities.pickle"
    broken.write_bytes(b"\x80\x02}q")  # cut off mid-write, newer than the library's file
    now = time.time()
    os.utime(broken, (now, now))
    run = _start(tmp_path)
    code, (out, err) = run.wait(timeout=60), run.communicate()
    assert code == 0, err[-2000:]
    assert int(out) > 10 and broken.stat().st_size > 10_000
