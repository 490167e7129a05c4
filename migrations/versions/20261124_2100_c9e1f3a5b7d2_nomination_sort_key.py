"""awards: the nominee's sort key copied onto each nomination

The nominations list sorts by year (newest first) and the nominee's given name. With the key on the
nomination itself, the database sorts one year's nominations read in year order from
ix_nomination_unit_id_year_state, and joins the nominee to the page's rows only, instead of joining
every nominee of the unit to every nomination of the year before sorting. `awards.models` keeps the copy when a nomination is
written or its nominee renamed; the upgrade fills it for the rows already there.

Revision ID: c9e1f3a5b7d2
Revises: b7d2e4f6a8c1
Create Date: 2026-11-24 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c9e1f3a5b7d2'
down_revision = 'b7d2e4f6a8c1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("nomination") as batch:
        batch.add_column(sa.Column("sort_key", sa.String(length=1000), nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("SELECT set_config('app.all_units', 'on', true)")  # past row-level security
    op.execute("UPDATE nomination SET sort_key = (SELECT nominee.sort_key FROM nominee "
               "WHERE nominee.id = nomination.nominee_id AND nominee.unit_id = nomination.unit_id)")
    with op.batch_alter_table("nomination") as batch:
        batch.alter_column("sort_key", server_default=None)


def downgrade():
    with op.batch_alter_table("nomination") as batch:
        batch.drop_column("sort_key")
