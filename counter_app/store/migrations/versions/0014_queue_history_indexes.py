"""indexes so that no queue read grows with history: a lane's last finished tickets, a counter's calls of today

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_ticket_lane_state_done", "ticket", ["lane_id", "state", "done_at"])
    op.create_index("ix_ticket_call_counter_at", "ticket_call", ["counter_no", "at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_call_counter_at", table_name="ticket_call")
    op.drop_index("ix_ticket_lane_state_done", table_name="ticket")
