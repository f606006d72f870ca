"""hub on the LAN: registered machines (hashed tokens) and the idempotency record of write requests

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import counter_app.store.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _dt(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, counter_app.store.types.AwareDateTime(length=32), nullable=nullable)


def _text(name: str) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "machine",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("name"),
        _text("kind"),
        sa.Column("counter_no", sa.Integer(), nullable=True),
        _text("token_hash"),
        _dt("created_at", False),
        _text("created_by"),
        _dt("revoked_at", True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "hub_request",
        _text("key"),
        _text("machine"),
        _text("operation"),
        _dt("at", False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_hub_request_at", "hub_request", ["at"])


def downgrade() -> None:
    op.drop_index("ix_hub_request_at", table_name="hub_request")
    op.drop_table("hub_request")
    op.drop_table("machine")
