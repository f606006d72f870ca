"""sync state: the city change-feed cursor and the last sync round's outcome

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import counter_app.store.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _dt(name: str) -> sa.Column:
    return sa.Column(name, counter_app.store.types.AwareDateTime(length=32), nullable=True)


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        _dt("last_success_at"),
        _dt("last_attempt_at"),
        sa.Column("failures", sa.Integer(), nullable=False),
        _dt("next_try_at"),
        sa.Column("last_error_en", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("last_error_vi", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
