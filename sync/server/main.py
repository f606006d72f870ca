"""The city server as uvicorn starts it in each worker: `uvicorn --factory sync.server.main:build`.

The database URL comes from `COUNTER_CITY_DB_URL`; workers share nothing else, so any number of them
(on any number of machines) can serve behind a load balancer.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from counter_app.rules.redact import configure_logging
from sync.server.app import create_app
from sync.server.db import make_engine

DB_URL_ENV = "COUNTER_CITY_DB_URL"


def build() -> FastAPI:
    configure_logging()  # in each worker process: no values of a refused request in its log
    url = os.environ.get(DB_URL_ENV)
    if not url:
        raise RuntimeError(f"{DB_URL_ENV} is not set: the city server needs its database URL")
    return create_app(make_engine(url))
