"""dashboard: a revision counter per unit, raised with every change of its figures or its children's

The city dashboard's rendered table is cached under the unit's revision (dashboard/cache.py); the
counter rises in the same transaction as the change, so a cached table is never served stale.

Revision ID: b7d2e4f6a8c1
Revises: 5e70fb669eb1
Create Date: 2026-11-24 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2e4f6a8c1'
down_revision = '5e70fb669eb1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dashboard_revision',
        sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('revision', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_dashboard_revision')),
    )


def downgrade():
    op.drop_table('dashboard_revision')
