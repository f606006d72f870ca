"""The office's local store: one SQLite file, SQLModel tables, Alembic migrations."""

from counter_app.store.db import Store, default_db_path

__all__ = ["Store", "default_db_path"]
