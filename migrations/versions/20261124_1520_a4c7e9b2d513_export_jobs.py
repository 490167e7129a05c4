"""export jobs: what a worker needs to rebuild any list's rows (source, params) and the list to go back to

Revision ID: a4c7e9b2d513
Revises: f3a9c2d4e6b8
Create Date: 2026-11-24 15:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "a4c7e9b2d513"
down_revision = "f3a9c2d4e6b8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("export_job") as batch:
        batch.add_column(sa.Column("source", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("params", sa.Text(), nullable=True))
        batch.add_column(sa.Column("back_url", sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table("export_job") as batch:
        batch.drop_column("back_url")
        batch.drop_column("params")
        batch.drop_column("source")
