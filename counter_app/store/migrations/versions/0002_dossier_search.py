"""dossier search: an FTS5 index over folded code, applicant, ID number, phone and address

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

The text is folded in Python (`counter_app.rules.textfold.fold`) because SQLite's
`remove_diacritics` leaves đ/Đ alone. Existing dossiers are indexed here, so an office
upgrading from 0001 can search what it already holds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from counter_app.rules.search_text import dossier_search_text

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE dossier_search USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')"
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, code, applicant_name, representative, id_number, phone, address FROM dossier")
    )
    insert = sa.text("INSERT INTO dossier_search(rowid, body) VALUES (:id, :body)")
    for row in rows.mappings().all():
        conn.execute(insert, {"id": row["id"], "body": dossier_search_text(**{k: row[k] for k in row if k != "id"})})


def downgrade() -> None:
    op.execute("DROP TABLE dossier_search")
