"""A CUPS server of the test's own, with one queue going to cups-pdf, which keeps what the spooler received.

The backend cups-pdf runs as root (its file is 0700 root), so this needs root, as CI and the set-up
script have; the PDFs land in the submitting user's ~/PDF, named after the job's title.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

from tests.processes import stop_process

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def missing() -> str:
    """Why a private CUPS cannot run here ("" when it can)."""
    if not shutil.which("cupsd") or not shutil.which("lpadmin") or not PPD.exists():
        return "CUPS and cups-pdf are not installed (scripts/setup.sh installs them)"
    if os.geteuid() != 0:
        return "the cups-pdf backend runs as root only; run the tests as root (as CI does)"
    return ""


class Cups:
    def __init__(self, root: Path, queue: str = "OfficeA4") -> None:
        self.root, self.queue = root, queue
        self.socket = root / "run" / "cups.sock"
        self.proc: subprocess.Popen | None = None

    @property
    def output(self) -> Path:
        return Path(pwd.getpwuid(os.geteuid()).pw_dir) / "PDF"

    def start(self) -> str:
        for sub in ("conf", "log", "spool/tmp", "cache", "state", "run"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self.root / "conf" / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n", encoding="utf-8")
        r = self.root
        (r / "conf" / "cups-files.conf").write_text(
            f"ServerRoot {r}/conf\nRequestRoot {r}/spool\nCacheDir {r}/cache\nStateDir {r}/state\n"
            f"ErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\nPageLog {r}/log/page_log\n"
            f"TempDir {r}/spool/tmp\nUser lp\nGroup lp\n", encoding="utf-8")
        self.proc = subprocess.Popen(["cupsd", "-f", "-c", str(r / "conf" / "cupsd.conf"),
                                      "-s", str(r / "conf" / "cups-files.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        env = {**os.environ, "CUPS_SERVER": str(self.socket)}
        try:
            deadline = time.monotonic() + 60
            while "scheduler is running" not in subprocess.run(["lpstat", "-r"], env=env, capture_output=True,
                                                               text=True, check=False).stdout:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    log = r / "log" / "error_log"
                    raise RuntimeError(f"cupsd did not start: {log.read_text() if log.exists() else 'no log'}")
                time.sleep(0.1)
            added = subprocess.run(["lpadmin", "-p", self.queue, "-E", "-v", "cups-pdf:/", "-P", str(PPD)],
                                   env=env, capture_output=True, text=True, check=False)
            if added.returncode != 0:
                raise RuntimeError(f"lpadmin failed: {added.stderr}")
        except BaseException:
            self.stop()
            raise
        return str(self.socket)

    def wait_for(self, title: str, timeout: float = 60) -> Path:
        """The PDF cups-pdf wrote for the job titled `title`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = sorted(self.output.glob(f"{title}*.pdf")) if self.output.exists() else []
            if found and found[-1].stat().st_size and time.time() - found[-1].stat().st_mtime > 0.5:
                return found[-1]
            time.sleep(0.2)
        log = (self.root / "log" / "error_log")
        raise AssertionError(f"no output for job {title!r}: {log.read_text() if log.exists() else 'no log'}")

    def stop(self) -> None:
        stop_process(self.proc)
