"""sync detail: the city's Vietnamese reason for a refused op, and how far this PC's clock is off the city's

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("last_error_vi", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(sa.Column("clock_skew_s", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("clock_skew_s")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("last_error_vi")
