"""Study-visit requests: officer, area, mentor, format, period, group, note, status.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 04:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("country", sa.String(length=120), nullable=True),
        sa.Column("area_id", sa.String(length=80), nullable=False),
        sa.Column("mentor_city", sa.String(length=120), nullable=True),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=120), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=600), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["selfcheck_runs.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("visit_requests", schema=None) as batch_op:
        for column in ("area_id", "created_at", "status", "user_id"):
            batch_op.create_index(batch_op.f(f"ix_visit_requests_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit_requests", schema=None) as batch_op:
        for column in ("user_id", "status", "created_at", "area_id"):
            batch_op.drop_index(batch_op.f(f"ix_visit_requests_{column}"))
    op.drop_table("visit_requests")
