"""dossier: the representative's ID number, and whom the dossier concerns (the child, the deceased, the ward)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("representative_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("subject_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("subject_birth_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("subject_id_number", sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("subject_id_number")
        batch.drop_column("subject_birth_date")
        batch.drop_column("subject_name")
        batch.drop_column("representative_id")
