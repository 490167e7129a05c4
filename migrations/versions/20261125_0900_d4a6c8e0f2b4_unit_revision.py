"""revisions: the dashboard's counter becomes every unit page's (unit_revision), with an own revision

A unit's `revision` now rises with any change of a row it owns (not only of its figures), of the
units below it and of its predecessors; `own_revision` with a change of its own rows only. The home
page and the lists keep their rendered parts under them (core/revisions.py). Every counter starts at
the current time, so that nothing rendered before the upgrade is taken for current.

Revision ID: d4a6c8e0f2b4
Revises: c9e1f3a5b7d2
Create Date: 2026-11-25 09:00:00

"""
import time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a6c8e0f2b4'
down_revision = 'c9e1f3a5b7d2'
branch_labels = None
depends_on = None


def upgrade():
    op.rename_table('dashboard_revision', 'unit_revision')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE unit_revision RENAME CONSTRAINT pk_dashboard_revision TO pk_unit_revision')
    with op.batch_alter_table('unit_revision') as batch:
        batch.add_column(sa.Column('own_revision', sa.BigInteger(), nullable=False, server_default='0'))
    now = int(time.time() * 1_000_000)
    op.execute(sa.text("UPDATE unit_revision SET revision = CASE WHEN revision + 1 > :now THEN revision + 1 "
                       "ELSE :now END, own_revision = :now").bindparams(now=now))


def downgrade():
    with op.batch_alter_table('unit_revision') as batch:
        batch.drop_column('own_revision')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE unit_revision RENAME CONSTRAINT pk_unit_revision TO pk_dashboard_revision')
    op.rename_table('unit_revision', 'dashboard_revision')
