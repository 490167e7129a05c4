"""revisions: a unit's counters per area (the module whose rows changed)

A part of a unit page that reads one module only (a home panel, the nominations list) is kept under
the counters of its areas (core/revisions.py), so that a change in another module does not redraw it.
The table starts empty: an area that never changed in a unit reads 0 (parts kept before the upgrade
are gone with the processes that kept them).

Revision ID: e7b3d9f1a2c5
Revises: d4a6c8e0f2b4
Create Date: 2026-11-25 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b3d9f1a2c5'
down_revision = 'd4a6c8e0f2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'unit_area_revision',
        sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('area', sa.String(length=32), nullable=False),
        sa.Column('revision', sa.BigInteger(), nullable=False),
        sa.Column('own_revision', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('unit_id', 'area', name=op.f('pk_unit_area_revision')),
    )


def downgrade():
    op.drop_table('unit_area_revision')
