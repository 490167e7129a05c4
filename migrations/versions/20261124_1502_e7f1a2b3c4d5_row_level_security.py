"""row-level security on every unit-owned table

Revision ID: e7f1a2b3c4d5
Revises: d8a5b0c3e921
Create Date: 2026-11-24 15:02:00

The policies read per-transaction settings that the application sets from its unit scope
(core/tenancy.py); a role subject to RLS that sets nothing sees no unit's rows. The complaints
tables got theirs in their own revision.
"""
from alembic import op

revision = "e7f1a2b3c4d5"
down_revision = "d8a5b0c3e921"
branch_labels = None
depends_on = None

OWNED_TABLES = (
    "attachment", "audit_entry", "award", "award_agenda_item", "award_certificate_layout", "award_council",
    "award_council_member", "award_council_session", "award_decision", "award_decision_change", "award_fund_entry",
    "award_member_vote", "award_session_attendance", "body", "checklist_item", "checklist_section",
    "checklist_template", "cluster_score_event", "cluster_self_score", "cluster_self_score_line",
    "corrective_action", "emulation_cluster", "emulation_cluster_member", "emulation_compact",
    "emulation_registration", "exemplar", "exemplar_publicity", "inspection", "inspection_answer",
    "inspection_event", "inspection_finding", "inspection_round", "issued_number", "movement",
    "movement_achievement", "movement_body", "movement_review", "movement_review_result", "movement_target",
    "nomination", "nomination_objection", "nomination_step", "nominee", "nominee_freeze", "plan", "plan_history",
    "plan_item", "progress_report", "scoring_criterion", "scoring_group", "scoring_table", "unit_due_stat",
    "unit_year_stat",
)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    from thiduaweb.core.tenancy import row_level_security_sql

    for table in OWNED_TABLES:
        for statement in row_level_security_sql(table):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in OWNED_TABLES:
        op.execute(f"DROP POLICY IF EXISTS unit_scope ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
