"""dossier search by field: names in a column of their own (ranked first), ID and phone numbers also reversed
(their last digits found as a prefix), a one-letter prefix index, and no token positions

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30

Every dossier is indexed again here (about a minute for 500,000; the store is backed up first).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from counter_app.rules.search_text import dossier_search_columns

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("code", "applicant_name", "representative", "id_number", "phone", "address", "representative_id",
           "subject_name", "subject_id_number")


def upgrade() -> None:
    op.execute("DROP TABLE dossier_search")
    # detail=column: no token positions (every query is words and prefixes, never a phrase), a third smaller
    op.execute(
        "CREATE VIRTUAL TABLE dossier_search USING fts5("
        "name, rest, tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3 4', detail = column)"
    )
    conn = op.get_bind()
    insert = sa.text("INSERT INTO dossier_search(rowid, name, rest) VALUES (:id, :name, :rest)")
    select = sa.text(f"SELECT id, {', '.join(COLUMNS)} FROM dossier WHERE id > :after ORDER BY id LIMIT 5000")
    after = 0
    while rows := conn.execute(select, {"after": after}).mappings().all():  # a page at a time
        conn.execute(insert, [{"id": row["id"], **dict(zip(("name", "rest"), dossier_search_columns(
            **{k: row[k] or "" for k in COLUMNS}), strict=True))} for row in rows])
        after = rows[-1]["id"]


def downgrade() -> None:
    op.execute("DROP TABLE dossier_search")
    op.execute(
        "CREATE VIRTUAL TABLE dossier_search USING fts5("
        "body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')"
    )
