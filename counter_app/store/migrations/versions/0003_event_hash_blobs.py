"""event hashes as 32-byte blobs instead of 64 hex characters

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Halves the two hash columns of the event log (about 250 bytes per dossier). The chain itself
is unchanged: an event's hash still covers the hex form of the previous hash, so a log written
before this revision verifies after it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def _convert(to_blob: bool) -> None:
    conn = op.get_bind()
    select = sa.text("SELECT seq, prev_hash, hash FROM event WHERE seq > :after ORDER BY seq LIMIT :n")
    update = sa.text("UPDATE event SET prev_hash = :prev, hash = :hash WHERE seq = :seq")
    after = 0
    while rows := conn.execute(select, {"after": after, "n": BATCH}).all():
        if to_blob:
            params = [{"seq": s, "prev": bytes.fromhex(p), "hash": bytes.fromhex(h)} for s, p, h in rows]
        else:
            params = [{"seq": s, "prev": bytes(p).hex(), "hash": bytes(h).hex()} for s, p, h in rows]
        conn.execute(update, params)
        after = rows[-1][0]


def _retype(new_type: sa.types.TypeEngine, old_type: sa.types.TypeEngine) -> None:
    # Rebuilds `event`; Store.migrate runs migrations with foreign keys off and checks them after.
    with op.batch_alter_table("event") as batch_op:
        batch_op.alter_column("prev_hash", type_=new_type, existing_type=old_type, existing_nullable=False)
        batch_op.alter_column("hash", type_=new_type, existing_type=old_type, existing_nullable=False)


def upgrade() -> None:
    _convert(to_blob=True)
    _retype(sa.LargeBinary(length=32), sa.String())


def downgrade() -> None:
    _convert(to_blob=False)
    _retype(sa.String(), sa.LargeBinary(length=32))
