"""awards, issue 5: council (members, sessions, attendance, agenda, votes), vote thresholds, base salary,
certificate layout, decision changes (amend, revoke), reward fund

Revision ID: b5e2c8d41f07
Revises: fc4a86aaf365
Create Date: 2026-11-24 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e2c8d41f07'
down_revision = 'fc4a86aaf365'
branch_labels = None
depends_on = None

OWNED_TABLES = ['award_council', 'award_council_member', 'award_council_session', 'award_session_attendance', 'award_agenda_item', 'award_member_vote', 'award_certificate_layout', 'award_decision_change', 'award_fund_entry']


def upgrade():
    op.create_table('award_base_salary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('legal_basis', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_base_salary')),
    sa.UniqueConstraint('valid_from', name=op.f('uq_award_base_salary_valid_from'))
    )
    op.create_table('award_certificate_layout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_width_mm', sa.Integer(), nullable=False),
    sa.Column('page_height_mm', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('print_labels', sa.Boolean(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_certificate_layout_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_certificate_layout')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_certificate_layout_unit_id_id'),
    sa.UniqueConstraint('unit_id', name='uq_award_certificate_layout_unit')
    )
    with op.batch_alter_table('award_certificate_layout', schema=None) as batch_op:
        batch_op.create_index('ix_award_certificate_layout_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('award_council',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('established_by', sa.String(length=120), nullable=True),
    sa.Column('term_from', sa.Date(), nullable=False),
    sa.Column('term_to', sa.Date(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_council_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_council')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_council_unit_id_id')
    )
    with op.batch_alter_table('award_council', schema=None) as batch_op:
        batch_op.create_index('ix_award_council_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('award_fund_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('entry_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_fund_entry_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_fund_entry')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_fund_entry_unit_id_id')
    )
    with op.batch_alter_table('award_fund_entry', schema=None) as batch_op:
        batch_op.create_index('ix_award_fund_entry_unit_id', ['unit_id', 'id'], unique=False)
        batch_op.create_index('ix_award_fund_entry_unit_year', ['unit_id', 'year'], unique=False)

    op.create_table('award_vote_threshold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.String(length=10), nullable=True),
    sa.Column('award_code', sa.String(length=40), nullable=True),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('base', sa.String(length=10), nullable=False),
    sa.Column('share', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('strict', sa.Boolean(), nullable=False),
    sa.Column('quorum', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('legal_basis', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['award_regulation_version.id'], name=op.f('fk_award_vote_threshold_version_id_award_regulation_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_vote_threshold')),
    sa.UniqueConstraint('version_id', 'province_code', 'award_code', name=op.f('uq_award_vote_threshold_version_id_province_code_award_code'))
    )
    with op.batch_alter_table('award_vote_threshold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_vote_threshold_version_id'), ['version_id'], unique=False)

    op.create_table('award_council_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('job_title', sa.String(length=160), nullable=True),
    sa.Column('term_from', sa.Date(), nullable=False),
    sa.Column('term_to', sa.Date(), nullable=True),
    sa.Column('nominee_id', sa.Integer(), nullable=True),
    sa.Column('household_nominee_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id', 'council_id'], ['award_council.unit_id', 'award_council.id'], name='fk_award_council_member_council_id_award_council_unit'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_council_member_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_council_member')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_council_member_unit_id_id')
    )
    with op.batch_alter_table('award_council_member', schema=None) as batch_op:
        batch_op.create_index('ix_award_council_member_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('award_council_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=255), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('minutes_symbol', sa.String(length=40), nullable=True),
    sa.Column('minutes_number_id', sa.Integer(), nullable=True),
    sa.Column('closed_by', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id', 'council_id'], ['award_council.unit_id', 'award_council.id'], name='fk_award_council_session_council_id_award_council_unit'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_council_session_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_council_session')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_council_session_unit_id_id')
    )
    with op.batch_alter_table('award_council_session', schema=None) as batch_op:
        batch_op.create_index('ix_award_council_session_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('award_decision_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('number_symbol', sa.String(length=40), nullable=False),
    sa.Column('issued_number_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('award_ids', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('amount_to_recover', sa.Integer(), nullable=False),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id', 'decision_id'], ['award_decision.unit_id', 'award_decision.id'], name='fk_award_decision_change_decision_id_award_decision_unit'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_decision_change_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_decision_change')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_decision_change_unit_id_id')
    )
    with op.batch_alter_table('award_decision_change', schema=None) as batch_op:
        batch_op.create_index('ix_award_decision_change_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('award_session_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('absence_reason', sa.String(length=255), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id', 'member_id'], ['award_council_member.unit_id', 'award_council_member.id'], name='fk_award_session_attendance_member_id_award_council_member_unit'),
    sa.ForeignKeyConstraint(['unit_id', 'session_id'], ['award_council_session.unit_id', 'award_council_session.id'], name='fk_award_session_attendance_session_id_award_council_s_26b94b63'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_session_attendance_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_session_attendance')),
    sa.UniqueConstraint('session_id', 'member_id', name='uq_award_session_attendance'),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_session_attendance_unit_id_id')
    )
    with op.batch_alter_table('award_session_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_award_session_attendance_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('award_agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=True),
    sa.Column('votes_blank', sa.Integer(), nullable=True),
    sa.Column('recused', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=True),
    sa.Column('result', sa.String(length=10), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id', 'nomination_id'], ['nomination.unit_id', 'nomination.id'], name='fk_award_agenda_item_nomination_id_nomination_unit'),
    sa.ForeignKeyConstraint(['unit_id', 'session_id'], ['award_council_session.unit_id', 'award_council_session.id'], name='fk_award_agenda_item_session_id_award_council_session_unit'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_agenda_item_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_agenda_item')),
    sa.UniqueConstraint('session_id', 'nomination_id', name='uq_award_agenda_item'),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_agenda_item_unit_id_id')
    )
    with op.batch_alter_table('award_agenda_item', schema=None) as batch_op:
        batch_op.create_index('ix_award_agenda_item_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('award_member_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('vote', sa.String(length=10), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id', 'item_id'], ['award_agenda_item.unit_id', 'award_agenda_item.id'], name='fk_award_member_vote_item_id_award_agenda_item_unit'),
    sa.ForeignKeyConstraint(['unit_id', 'member_id'], ['award_council_member.unit_id', 'award_council_member.id'], name='fk_award_member_vote_member_id_award_council_member_unit'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_member_vote_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_member_vote')),
    sa.UniqueConstraint('item_id', 'member_id', name='uq_award_member_vote'),
    sa.UniqueConstraint('unit_id', 'id', name='uq_award_member_vote_unit_id_id')
    )
    with op.batch_alter_table('award_member_vote', schema=None) as batch_op:
        batch_op.create_index('ix_award_member_vote_unit_id', ['unit_id', 'id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        from thiduaweb.core.tenancy import row_level_security_sql

        for table in OWNED_TABLES:
            for statement in row_level_security_sql(table):
                op.execute(statement)


def downgrade():
    with op.batch_alter_table('award_member_vote', schema=None) as batch_op:
        batch_op.drop_index('ix_award_member_vote_unit_id')

    op.drop_table('award_member_vote')
    with op.batch_alter_table('award_agenda_item', schema=None) as batch_op:
        batch_op.drop_index('ix_award_agenda_item_unit_id')

    op.drop_table('award_agenda_item')
    with op.batch_alter_table('award_session_attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_award_session_attendance_unit_id')

    op.drop_table('award_session_attendance')
    with op.batch_alter_table('award_decision_change', schema=None) as batch_op:
        batch_op.drop_index('ix_award_decision_change_unit_id')

    op.drop_table('award_decision_change')
    with op.batch_alter_table('award_council_session', schema=None) as batch_op:
        batch_op.drop_index('ix_award_council_session_unit_id')

    op.drop_table('award_council_session')
    with op.batch_alter_table('award_council_member', schema=None) as batch_op:
        batch_op.drop_index('ix_award_council_member_unit_id')

    op.drop_table('award_council_member')
    with op.batch_alter_table('award_vote_threshold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_vote_threshold_version_id'))

    op.drop_table('award_vote_threshold')
    with op.batch_alter_table('award_fund_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_award_fund_entry_unit_year')
        batch_op.drop_index('ix_award_fund_entry_unit_id')

    op.drop_table('award_fund_entry')
    with op.batch_alter_table('award_council', schema=None) as batch_op:
        batch_op.drop_index('ix_award_council_unit_id')

    op.drop_table('award_council')
    with op.batch_alter_table('award_certificate_layout', schema=None) as batch_op:
        batch_op.drop_index('ix_award_certificate_layout_unit_id')

    op.drop_table('award_certificate_layout')
    op.drop_table('award_base_salary')
