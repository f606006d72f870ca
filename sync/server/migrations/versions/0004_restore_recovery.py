"""recovery after an office restores a backup: its ops by time of receipt, and the heads its restore set aside

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_received_op_agency_received', 'received_op', ['agency_code', 'received_at', 'op_id'])
    op.create_table('chain_anchor_superseded',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), nullable=False),
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('restored_head_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_chain_anchor_superseded_agency_code', 'chain_anchor_superseded', ['agency_code'])


def downgrade() -> None:
    op.drop_index('ix_chain_anchor_superseded_agency_code', table_name='chain_anchor_superseded')
    op.drop_table('chain_anchor_superseded')
    op.drop_index('ix_received_op_agency_received', table_name='received_op')
