"""awards: sort keys of nominees and register rows (lists sort by given name and page in SQL)

Revision ID: f3a9c2d4e6b8
Revises: e7f1a2b3c4d5
Create Date: 2026-11-24 15:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = "f3a9c2d4e6b8"
down_revision = "e7f1a2b3c4d5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("nominee") as batch:
        batch.add_column(sa.Column("sort_key", sa.String(length=1000), nullable=False, server_default=""))
        batch.create_index("ix_nominee_unit_id_sort_key", ["unit_id", "sort_key"])
    with op.batch_alter_table("award") as batch:
        batch.add_column(sa.Column("sort_key", sa.String(length=1000), nullable=False, server_default=""))
    with op.batch_alter_table("nominee") as batch:
        batch.alter_column("sort_key", server_default=None)
    with op.batch_alter_table("award") as batch:
        batch.alter_column("sort_key", server_default=None)
    _fill()


def _fill():
    """Compute the keys of the rows already there (past row-level security, as system maintenance)."""
    from thiduaweb.awards.models import name_sort_text

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("SELECT set_config('app.all_units', 'on', true)")
    for table, column in (("nominee", "name"), ("award", "nominee_name")):
        rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table}")).all()
        for row_id, name in rows:
            bind.execute(sa.text(f"UPDATE {table} SET sort_key = :key WHERE id = :id"),
                         {"key": name_sort_text(name), "id": row_id})


def downgrade():
    with op.batch_alter_table("award") as batch:
        batch.drop_column("sort_key")
    with op.batch_alter_table("nominee") as batch:
        batch.drop_index("ix_nominee_unit_id_sort_key")
        batch.drop_column("sort_key")
