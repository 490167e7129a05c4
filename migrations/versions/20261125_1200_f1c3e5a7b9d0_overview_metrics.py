"""dashboard: the summary rows of the nominations list's overview

The nominations list shows the 30% share with the nominations still waiting for the decision, and how
many nominations from the units below wait in the incoming queue. They are now read from summary rows
kept by `dashboard.stats` (metrics nom.pending_person, nom.pending_direct, nom.queue) instead of counted
on each visit; the upgrade counts them for the rows already there, as `flask dashboard rebuild` would.
The conditions are those of `dashboard.stats.METRICS` at this revision.

Revision ID: f1c3e5a7b9d0
Revises: e7b3d9f1a2c5
Create Date: 2026-11-25 12:00:00

"""
from alembic import op


revision = 'f1c3e5a7b9d0'
down_revision = 'e7b3d9f1a2c5'
branch_labels = None
depends_on = None

METRICS = ("nom.pending_person", "nom.pending_direct", "nom.queue")
PENDING = "n.state IN ('appraisal', 'appraised') AND e.kind = 'person'"
DIRECT = "e.occupation_group IN ('farmer', 'labourer', 'worker')"
QUEUE = "n.origin_nomination_id IS NOT NULL AND n.state NOT IN ('awarded', 'refused', 'proposed')"


def _count(metric: str, condition: str) -> str:
    return (f"INSERT INTO unit_year_stat (unit_id, year, metric, value) "
            f"SELECT n.unit_id, n.year, '{metric}', count(*) FROM nomination n "
            f"JOIN nominee e ON e.id = n.nominee_id AND e.unit_id = n.unit_id "
            f"WHERE n.year IS NOT NULL AND {condition} GROUP BY n.unit_id, n.year")


def _delete() -> str:
    return "DELETE FROM unit_year_stat WHERE metric IN ({})".format(", ".join(f"'{m}'" for m in METRICS))


def _past_row_level_security():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("SELECT set_config('app.all_units', 'on', true)")


def upgrade():
    _past_row_level_security()
    op.execute(_delete())
    op.execute(_count("nom.pending_person", PENDING))
    op.execute(_count("nom.pending_direct", f"{PENDING} AND {DIRECT}"))
    op.execute(_count("nom.queue", QUEUE))


def downgrade():
    _past_row_level_security()
    op.execute(_delete())
