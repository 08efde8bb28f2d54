"""Cached results name the server process that runs them, so that several processes (`dtbd serve --workers N`)
start each background job once, and a job whose process is gone is started again.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cached_results") as batch:
        batch.add_column(sa.Column("owner", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cached_results") as batch:
        batch.drop_column("owner")
