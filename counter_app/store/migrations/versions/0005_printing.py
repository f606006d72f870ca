"""printing: printers, the persistent print spool and print settings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import counter_app.store.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _dt(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, counter_app.store.types.AwareDateTime(length=32), nullable=nullable)


def _text(name: str) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("office") as batch_op:
        batch_op.add_column(sa.Column("printing", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "printer",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("name"),
        sa.Column("config", sa.JSON(), nullable=False),
        _dt("updated_at", False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "print_job",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("kind"),
        sa.Column("request", sa.JSON(), nullable=False),
        _text("printer"),
        _text("state"),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _text("actor"),
        _text("worker"),
        _dt("created_at", False),
        _dt("updated_at", False),
        _dt("next_try_at", True),
        _dt("lease_until", True),
        _text("fault"),
        _text("last_error_en"),
        _text("last_error_vi"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_print_job_state_printer", "print_job", ["state", "printer", "id"])


def downgrade() -> None:
    op.drop_index("ix_print_job_state_printer", table_name="print_job")
    op.drop_table("print_job")
    op.drop_table("printer")
    with op.batch_alter_table("office") as batch_op:
        batch_op.drop_column("printing")
