"""Alembic environment of the city server's database (PostgreSQL; SQLite for development).

`sync.server.db.migrate` passes its connection in `config.attributes["connection"]`.
"""

from alembic import context

from sync.server.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


_run(config.attributes["connection"])
