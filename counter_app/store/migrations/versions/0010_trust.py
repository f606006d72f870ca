"""trust on the LAN: clerk sessions bound to their machine and day, idempotency keys to their request

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import counter_app.store.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # "" is a session of the hub PC itself (the one-PC office, the operator's command line).
    with op.batch_alter_table("clerk_session") as batch:
        batch.add_column(sa.Column("machine", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("ends_at", counter_app.store.types.AwareDateTime(length=32), nullable=True))
    op.create_index("ix_clerk_session_machine", "clerk_session", ["machine"])
    # sha256 of who sent it and what it asked; "" for keys filed before (they age out within a day)
    with op.batch_alter_table("hub_request") as batch:
        batch.add_column(sa.Column("request_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("hub_request") as batch:
        batch.drop_column("request_hash")
    op.drop_index("ix_clerk_session_machine", table_name="clerk_session")
    with op.batch_alter_table("clerk_session") as batch:
        batch.drop_column("ends_at")
        batch.drop_column("machine")
