"""accounts: a revision counter per user

Every page loaded the user with their memberships and units. The user's counter is raised in the
transaction that changes the user, one of their memberships or a unit they hold one in, and it is read
with the unit's counters a page reads anyway: each process keeps the user it loaded while the counter
stands (accounts.services.load_user, core/revisions.py).

Revision ID: a2b4c6d8e0f1
Revises: f1c3e5a7b9d0
Create Date: 2026-11-25 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a2b4c6d8e0f1'
down_revision = 'f1c3e5a7b9d0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('revision')
