"""the public status lookup: each office's key for its receipts' check, and the page's throttle

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lookup_key',
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('agency_code')
    )
    op.create_table('lookup_attempt',
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('minute', sa.BigInteger(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('client', 'minute')
    )


def downgrade() -> None:
    op.drop_table('lookup_attempt')
    op.drop_table('lookup_key')
