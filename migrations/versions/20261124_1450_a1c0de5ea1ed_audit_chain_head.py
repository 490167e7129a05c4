"""audit chain head

Revision ID: a1c0de5ea1ed
Revises: 7778fd04f37f
Create Date: 2026-11-24 15:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "a1c0de5ea1ed"
down_revision = "7778fd04f37f"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade():
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    # Entries written before this revision: the head takes the newest hash and their count.
    conn = op.get_bind()
    last = conn.execute(sa.text("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1")).scalar()
    count = conn.execute(sa.text("SELECT count(*) FROM audit_entry")).scalar()
    conn.execute(sa.text("INSERT INTO audit_chain_head (id, last_hash, entries) VALUES (1, :h, :n)"),
                 {"h": last or GENESIS, "n": count or 0})


def downgrade():
    op.drop_table("audit_chain_head")
