"""the citizen's rating of each service (a finished ticket, a result handed back)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import counter_app.store.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=False),
        sa.Column("clerk", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("lane_id", sa.Integer(), nullable=True),
        sa.Column("dossier_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("asked_at", counter_app.store.types.AwareDateTime(length=32), nullable=False),
        sa.Column("choice", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("answered_at", counter_app.store.types.AwareDateTime(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service"),
    )
    op.create_index("ix_rating_counter_asked", "rating", ["counter_no", "asked_at"])
    op.create_index("ix_rating_answered", "rating", ["answered_at"])


def downgrade() -> None:
    op.drop_index("ix_rating_answered", table_name="rating")
    op.drop_index("ix_rating_counter_asked", table_name="rating")
    op.drop_table("rating")
