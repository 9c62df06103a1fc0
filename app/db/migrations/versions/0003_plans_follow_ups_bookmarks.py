"""interview plans, follow-up chains, replay bookmarks

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00

Issue 19. A plan holds the interview date the practice works toward (per pack, or for all
packs when pack_id is empty), the daily load and the easy days. A follow-up answer points at
the answer it followed (parent_attempt_id), so a mock interview's chains can be shown. A
bookmark marks a moment of a recording with a note.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(length=64), nullable=True),
        sa.Column("interview_date", sa.Date(), nullable=False),
        sa.Column("daily_load", sa.Integer(), nullable=False),
        sa.Column("easy_days", sa.JSON(), nullable=False),
        sa.Column("desired_retention", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pack_id"),
    )
    op.create_table(
        "bookmarks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("at_s", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bookmarks", schema=None) as batch_op:
        batch_op.create_index("ix_bookmarks_attempt_id", ["attempt_id"], unique=False)
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_attempt_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_attempts_parent_attempt_id", ["parent_attempt_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_attempts_parent_attempt_id", "attempts", ["parent_attempt_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_constraint("fk_attempts_parent_attempt_id", type_="foreignkey")
        batch_op.drop_index("ix_attempts_parent_attempt_id")
        batch_op.drop_column("parent_attempt_id")
    with op.batch_alter_table("bookmarks", schema=None) as batch_op:
        batch_op.drop_index("ix_bookmarks_attempt_id")
    op.drop_table("bookmarks")
    op.drop_table("plans")
