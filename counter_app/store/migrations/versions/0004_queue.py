"""queue: tickets, their calls, queue settings and open counters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import counter_app.store.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _dt(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, counter_app.store.types.AwareDateTime(length=32), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("office") as batch_op:
        batch_op.add_column(sa.Column("queue", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("counter") as batch_op:
        batch_op.add_column(sa.Column("is_open", sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("lane_id", sa.Integer(), nullable=False),
        sa.Column("priority", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("procedure_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=True),
        sa.Column("target_counter", sa.Integer(), nullable=True),
        sa.Column("recalls", sa.Integer(), nullable=False),
        sa.Column("transfers", sa.Integer(), nullable=False),
        _dt("issued_at", False),
        _dt("arrival_at", False),
        _dt("first_called_at", True),
        _dt("called_at", True),
        _dt("serving_at", True),
        _dt("done_at", True),
        sa.Column("dossier_codes", sa.JSON(), nullable=False),
        sa.Column("closed_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["lane_id"], ["lane.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "label"),
    )
    op.create_index("ix_ticket_day_state_lane", "ticket", ["day", "state", "lane_id", "priority", "arrival_at"])
    op.create_index("ix_ticket_target_counter", "ticket", ["target_counter"])

    op.create_table(
        "ticket_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=False),
        _dt("at", False),
        sa.Column("recall", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ticket_call_ticket_id", "ticket_call", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_ticket_call_ticket_id", table_name="ticket_call")
    op.drop_table("ticket_call")
    op.drop_index("ix_ticket_target_counter", table_name="ticket")
    op.drop_index("ix_ticket_day_state_lane", table_name="ticket")
    op.drop_table("ticket")
    with op.batch_alter_table("counter") as batch_op:
        batch_op.drop_column("is_open")
    with op.batch_alter_table("office") as batch_op:
        batch_op.drop_column("queue")
