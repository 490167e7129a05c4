"""dashboard: one wide row of figures per unit and year; nominations by unit and state

The city dashboard reads `unit_year_figures` (two rows a commune) instead of pivoting forty
`unit_year_stat` rows a commune, and its charts read each city's "sub." rows (its children's
dynamic figures summed); the upgrade fills both from the existing summary rows. The new index
serves "Việc cần làm" (what waits on someone, in any year).

Revision ID: 5e70fb669eb1
Revises: a4c7e9b2d513
Create Date: 2026-11-24 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e70fb669eb1'
down_revision = 'a4c7e9b2d513'
branch_labels = None
depends_on = None

#: Column of unit_year_figures → metric of unit_year_stat (as in dashboard/stats.py FIGURE_SOURCES).
FIGURE_SOURCES = {
    "plans_adopted": "plan.adopted", "plans_late": "plan.late", "mov_running": "mov.running",
    "mov_targets": "mov.targets", "mov_progress_sum": "mov.progress", "nom_total": "nom.total",
    "nom_review": "nom.review", "nom_proposed": "nom.proposed", "nom_awarded": "nom.awarded",
    "award_total": "award.total", "award_title": "award.title", "award_form": "award.form",
    "award_person": "award.person", "award_direct": "award.direct", "insp_score100": "insp.score",
}


def _fill_from_summary_rows():
    columns = ", ".join(
        f"MAX(CASE WHEN metric = '{metric}' THEN value END)" if name == "insp_score100"
        else f"COALESCE(SUM(CASE WHEN metric = '{metric}' THEN value ELSE 0 END), 0)"
        for name, metric in FIGURE_SOURCES.items())
    metrics = ", ".join(f"'{m}'" for m in FIGURE_SOURCES.values())
    op.execute(f"INSERT INTO unit_year_figures (unit_id, year, {', '.join(FIGURE_SOURCES)}) "
               f"SELECT unit_id, year, {columns} FROM unit_year_stat WHERE metric IN ({metrics}) "
               "GROUP BY unit_id, year")


def _sum_children_dynamic_figures():
    dynamic = " OR ".join(f"s.metric LIKE '{p}%'" for p in ("award.code.", "pet.kind.", "pet.status."))
    op.execute("DELETE FROM unit_year_stat WHERE metric LIKE 'sub.%'")
    op.execute("INSERT INTO unit_year_stat (unit_id, year, metric, value) "
               "SELECT u.parent_id, s.year, 'sub.' || s.metric, SUM(s.value) FROM unit_year_stat s "
               f"JOIN unit u ON u.id = s.unit_id WHERE u.parent_id IS NOT NULL AND ({dynamic}) "
               "GROUP BY u.parent_id, s.year, s.metric")


def upgrade():
    op.create_table('unit_year_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('plans_adopted', sa.Integer(), nullable=False),
    sa.Column('plans_late', sa.Integer(), nullable=False),
    sa.Column('mov_running', sa.Integer(), nullable=False),
    sa.Column('mov_targets', sa.Integer(), nullable=False),
    sa.Column('mov_progress_sum', sa.Integer(), nullable=False),
    sa.Column('nom_total', sa.Integer(), nullable=False),
    sa.Column('nom_review', sa.Integer(), nullable=False),
    sa.Column('nom_proposed', sa.Integer(), nullable=False),
    sa.Column('nom_awarded', sa.Integer(), nullable=False),
    sa.Column('award_total', sa.Integer(), nullable=False),
    sa.Column('award_title', sa.Integer(), nullable=False),
    sa.Column('award_form', sa.Integer(), nullable=False),
    sa.Column('award_person', sa.Integer(), nullable=False),
    sa.Column('award_direct', sa.Integer(), nullable=False),
    sa.Column('insp_score100', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_year_figures_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_year_figures')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_unit_year_figures_unit_id_id'),
    sa.UniqueConstraint('unit_id', 'year', name='uq_unit_year_figures_key')
    )
    with op.batch_alter_table('unit_year_figures', schema=None) as batch_op:
        batch_op.create_index('ix_unit_year_figures_unit_id', ['unit_id', 'id'], unique=False)

    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.create_index('ix_nomination_unit_id_state', ['unit_id', 'state'], unique=False)

    _sum_children_dynamic_figures()
    _fill_from_summary_rows()  # before the policy: a migration role subject to it would see no rows
    if op.get_bind().dialect.name == "postgresql":
        from thiduaweb.core.tenancy import row_level_security_sql

        for statement in row_level_security_sql("unit_year_figures"):
            op.execute(statement)


def downgrade():
    op.execute("DELETE FROM unit_year_stat WHERE metric LIKE 'sub.%'")
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index('ix_nomination_unit_id_state')

    with op.batch_alter_table('unit_year_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_year_figures_unit_id')

    op.drop_table('unit_year_figures')
