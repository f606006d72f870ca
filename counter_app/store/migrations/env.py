"""Alembic environment of the office store.

`Store.migrate` passes its own connection (with the store's pragmas and IMMEDIATE
transactions) in `config.attributes["connection"]`; the `alembic` command line gets one
from `sqlalchemy.url`.
"""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import counter_app.store.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
