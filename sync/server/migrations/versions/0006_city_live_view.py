"""the city's live view: what each dossier is counted by, the counts kept per office and day, each hub's
last snapshot, and the operators who sign in to see them; the lookup throttle's table unlogged

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = {"postgresql": "COALESCE((intake->>'channel')::int, 1)",
           "sqlite": "COALESCE(json_extract(intake, '$.channel'), 1)"}


def upgrade() -> None:
    with op.batch_alter_table('city_dossier') as batch:
        batch.add_column(sa.Column('channel', sa.SmallInteger(), nullable=False, server_default='1'))
        batch.add_column(sa.Column('reception_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('legal_due_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('status_at', sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    # What the dossiers already here are counted by: the best the city knew of them before.
    op.execute(f"UPDATE city_dossier SET channel = {CHANNEL[bind.dialect.name]}, legal_due_at = due_at, "
               "reception_at = CASE WHEN status NOT IN (1, 3) THEN received_at END, status_at = updated_at, "
               "settled_at = CASE WHEN status IN (9, 10) THEN COALESCE(returned_at, updated_at) END")
    op.create_table('point_tally',
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('measure', sa.String(length=24), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('agency_code', 'day', 'measure')
    )
    op.create_index('ix_point_tally_measure_day', 'point_tally', ['measure', 'day'])
    op.create_table('point_link',
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('heard_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('waiting', sa.Integer(), nullable=False),
    sa.Column('longest_wait_s', sa.Integer(), nullable=False),
    sa.Column('counters_open', sa.Integer(), nullable=False),
    sa.Column('ops_waiting', sa.Integer(), nullable=False),
    sa.Column('ops_refused', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('agency_code')
    )
    op.create_table('operator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('agency_code', sa.String(length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('login')
    )
    op.create_table('operator_session',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index('ix_operator_session_operator_id', 'operator_session', ['operator_id'])
    if bind.dialect.name == "postgresql":  # the throttle's counts need no WAL (nor a flush per lookup): a
        op.execute("ALTER TABLE lookup_attempt SET UNLOGGED")  # crash forgets a minute's counts, no more
    # The counts of the dossiers already here, counted the way every later push keeps them.
    from sync.server import tally

    tally.rebuild(Session(bind=bind))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE lookup_attempt SET LOGGED")
    op.drop_index('ix_operator_session_operator_id', table_name='operator_session')
    op.drop_table('operator_session')
    op.drop_table('operator')
    op.drop_table('point_link')
    op.drop_index('ix_point_tally_measure_day', table_name='point_tally')
    op.drop_table('point_tally')
    with op.batch_alter_table('city_dossier') as batch:
        batch.drop_column('status_at')
        batch.drop_column('settled_at')
        batch.drop_column('legal_due_at')
        batch.drop_column('reception_at')
        batch.drop_column('channel')
