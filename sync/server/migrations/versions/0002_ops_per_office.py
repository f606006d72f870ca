"""op ids are one namespace per office: received_op keyed by (agency_code, op_id)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import warnings
from collections.abc import Sequence

from alembic import op
from sqlalchemy.exc import SAWarning

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(columns: list[str]) -> None:
    if op.get_bind().dialect.name == 'sqlite':  # development only: the table is copied with its new key
        # SQLAlchemy warns that the copy's key differs from the reflected one: that is the point here.
        with warnings.catch_warnings():
            warnings.filterwarnings('ignore', 'Table .* specifies columns', SAWarning)
            with op.batch_alter_table('received_op', recreate='always') as batch:
                batch.create_primary_key('received_op_pkey', columns)
        return
    op.drop_constraint('received_op_pkey', 'received_op', type_='primary')
    op.create_primary_key('received_op_pkey', 'received_op', columns)


def upgrade() -> None:
    _key(['agency_code', 'op_id'])


def downgrade() -> None:
    _key(['op_id'])
