"""The city server under test: a real PostgreSQL (and SQLite, allowed for development) behind real HTTP."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
import psycopg
import pytest
import uvicorn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from counter_app.rules.clock import now
from sync.server import crud
from sync.server.app import create_app
from sync.server.db import make_engine, migrate
from tests.pg import Postgres

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """One cluster for the whole run (about a second to start); each test gets its own database."""
    pg = Postgres()
    url = pg.start()
    yield url
    pg.stop()


def new_database(postgres: str) -> str:
    """A fresh, empty database on the session's cluster; its URL."""
    name = f"city_{next(_numbers)}"
    with psycopg.connect(postgres.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["postgresql", "sqlite"])
def city_engine(request, tmp_path) -> Iterator[Engine]:
    if request.param == "postgresql":
        url = new_database(request.getfixturevalue("postgres"))
    else:
        url = f"sqlite:///{tmp_path / 'city.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(postgres: str) -> Iterator[Engine]:
    """The city's database on PostgreSQL only, as in production (the fault tests)."""
    engine = make_engine(new_database(postgres))
    migrate(engine)
    yield engine
    engine.dispose()


@dataclass
class City:
    url: str
    engine: Engine
    server: uvicorn.Server

    def token(self, agency: str, role: str = "hub") -> str:
        with Session(self.engine) as s, s.begin():
            return crud.create_credential(s, agency_code=agency, role=role, label=f"test {agency}", at=now())

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=10)


def serve(engine: Engine, port: int = 0, clock: Callable[[], datetime] = now
          ) -> tuple[uvicorn.Server, threading.Thread, str]:
    """The FastAPI app served by uvicorn on a loopback port, in a thread."""
    config = uvicorn.Config(create_app(engine, clock=clock), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("city server did not start")
        time.sleep(0.01)
    return server, thread, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(engine: Engine, clock: Callable[[], datetime] = now) -> Iterator[City]:
    """The city server on a loopback port for the length of the block."""
    server, thread, url = serve(engine, clock=clock)
    try:
        yield City(url, engine, server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def city(city_engine: Engine) -> Iterator[City]:
    with serving(city_engine) as running:
        yield running


@pytest.fixture
def pg_city(pg_engine: Engine) -> Iterator[City]:
    """The city server over PostgreSQL only (the fault tests)."""
    with serving(pg_engine) as running:
        yield running
