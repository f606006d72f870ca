"""accounts: staff accounts (argon2 password hashes, lock-out), sign-in sessions, list and report indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import counter_app.store.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _dt(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, counter_app.store.types.AwareDateTime(length=32), nullable=nullable)


def _text(name: str) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("username"),
        _text("full_name"),
        _text("role"),
        _text("password_hash"),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        _dt("locked_until", True),
        _dt("created_at", False),
        _dt("updated_at", False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "clerk_session",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("token_hash"),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("counter_no", sa.Integer(), nullable=True),
        _dt("started_at", False),
        _dt("ended_at", True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_clerk_session_account_id", "clerk_session", ["account_id"])
    # The dossier list filters by clerk and by procedure within a period; keep those steps indexed.
    op.create_index("ix_dossier_clerk_received", "dossier", ["clerk", "received_at"])
    op.create_index("ix_dossier_procedure_received", "dossier", ["procedure_key", "received_at"])
    op.create_index("ix_dossier_status_received", "dossier", ["status", "received_at"])
    op.create_index("ix_event_at", "event", ["at"])  # the daily figures read one day of events


def downgrade() -> None:
    op.drop_index("ix_event_at", "event")
    op.drop_index("ix_dossier_status_received", "dossier")
    op.drop_index("ix_dossier_procedure_received", "dossier")
    op.drop_index("ix_dossier_clerk_received", "dossier")
    op.drop_index("ix_clerk_session_account_id", "clerk_session")
    op.drop_table("clerk_session")
    op.drop_table("account")
