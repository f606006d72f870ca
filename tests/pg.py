"""A throwaway PostgreSQL cluster for the city server's tests: initdb, start on a loopback port, stop.

Uses the Debian package's binaries (scripts/setup.sh installs `postgresql`). PostgreSQL refuses to
run as root, so under root (CI) the cluster is run as the package's `postgres` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    raise RuntimeError("PostgreSQL is not installed: run scripts/setup.sh (it installs the postgresql package)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """`fsync=False` for tests (fast, nothing to keep); benchmarks run with it on, as production does."""

    def __init__(self, *, fsync: bool = False, keep: Path | None = None) -> None:
        """`keep`: a folder the cluster lives in across runs (a benchmark's large database, built once);
        started as it is when it is there, never removed."""
        self.bin = _bindir()
        # Its own folder directly under /tmp: pytest's folders are private to root, so the postgres
        # user could not reach one inside them.
        self.keep = keep
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
        self.root = keep or Path(tempfile.mkdtemp(prefix="counter-city-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.fsync = fsync

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def start(self) -> str:
        existing = self.keep is not None and (self.data / "PG_VERSION").exists()
        if not existing:
            self.data.mkdir(parents=True, exist_ok=True)
            if self.as_root:
                shutil.chown(self.root, "postgres")
                shutil.chown(self.data, "postgres")
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        if not self.fsync:
            options += " -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.data / "log"), "-w", "start")
        admin = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        deadline = time.monotonic() + 20
        while True:
            try:
                with psycopg.connect(admin, autocommit=True) as conn:
                    if not existing:
                        conn.execute("CREATE DATABASE city")
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/city"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            if self.keep is None:
                shutil.rmtree(self.root, ignore_errors=True)
