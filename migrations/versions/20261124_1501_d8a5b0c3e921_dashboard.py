"""dashboard: summary rows (unit_year_stat, unit_due_stat) and background export jobs

After upgrading on a database with data, run `flask dashboard rebuild` once to fill the summary rows.

Revision ID: d8a5b0c3e921
Revises: b5e2c8d41f07
Create Date: 2026-11-24 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd8a5b0c3e921'
down_revision = 'b5e2c8d41f07'
branch_labels = None
depends_on = None

OWNED_TABLES = ("unit_year_stat", "unit_due_stat")


def upgrade():
    op.create_table('unit_year_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'id', name='uq_unit_year_stat_unit_id_id'),
    sa.UniqueConstraint('unit_id', 'year', 'metric', name='uq_unit_year_stat_key')
    )
    with op.batch_alter_table('unit_year_stat', schema=None) as batch_op:
        batch_op.create_index('ix_unit_year_stat_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('unit_due_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=80), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'id', name='uq_unit_due_stat_unit_id_id')
    )
    with op.batch_alter_table('unit_due_stat', schema=None) as batch_op:
        batch_op.create_index('ix_unit_due_stat_unit_id', ['unit_id', 'id'], unique=False)
        batch_op.create_index('ix_unit_due_stat_key', ['unit_id', 'metric', 'due_on'], unique=False)

    op.create_table('export_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_in_unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.create_index('ix_export_job_user', ['user_id', 'created_at'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        from thiduaweb.core.tenancy import row_level_security_sql

        for table in OWNED_TABLES:
            for statement in row_level_security_sql(table):
                op.execute(statement)


def downgrade():
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_index('ix_export_job_user')
    op.drop_table('export_job')
    with op.batch_alter_table('unit_due_stat', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_due_stat_key')
        batch_op.drop_index('ix_unit_due_stat_unit_id')
    op.drop_table('unit_due_stat')
    with op.batch_alter_table('unit_year_stat', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_year_stat_unit_id')
    op.drop_table('unit_year_stat')
