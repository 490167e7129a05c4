"""complaints desk: petitions, their history, deadline rules (with the 01/7/2026 version), days off

Revision ID: c0e6a1b2d3f4
Revises: a1c0de5ea1ed
Create Date: 2026-11-24 14:55:00

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0e6a1b2d3f4'
down_revision = 'a1c0de5ea1ed'
branch_labels = None
depends_on = None

#: Unit-owned tables: under PostgreSQL row-level security like every other.
OWNED_TABLES = ("complaint_setting", "unit_day_off", "petition", "petition_event")

#: The deadline rules as they stood when the desk was built (later changes: new migrations).
RULES = [
    {'kind': 'complaint', 'instance': 1, 'stage': 'accept', 'variant': 'normal', 'days': 10, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'Điều 27 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 1, 'stage': 'accept', 'variant': 'normal', 'days': 10, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'Điều 27 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 1, 'stage': 'resolve', 'variant': 'normal', 'days': 30, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 28 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 1, 'stage': 'resolve', 'variant': 'normal', 'days': 30, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 28 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 1, 'stage': 'resolve', 'variant': 'complex', 'days': 45, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 28 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 1, 'stage': 'resolve', 'variant': 'complex', 'days': 45, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 28 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 1, 'stage': 'resolve', 'variant': 'remote', 'days': 45, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 2 Điều 28 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 1, 'stage': 'resolve', 'variant': 'remote', 'days': 45, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 2 Điều 28 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 1, 'stage': 'resolve', 'variant': 'remote_complex', 'days': 60, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 2 Điều 28 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 1, 'stage': 'resolve', 'variant': 'remote_complex', 'days': 60, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 2 Điều 28 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 1, 'stage': 'appeal', 'variant': 'normal', 'days': 30, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'Điều 33 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 1, 'stage': 'appeal', 'variant': 'normal', 'days': 30, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'Điều 33 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 1, 'stage': 'appeal', 'variant': 'remote', 'days': 45, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'Điều 33 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 1, 'stage': 'appeal', 'variant': 'remote', 'days': 45, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'Điều 33 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 2, 'stage': 'accept', 'variant': 'normal', 'days': 10, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'Điều 36 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 2, 'stage': 'accept', 'variant': 'normal', 'days': 10, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'Điều 36 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 2, 'stage': 'resolve', 'variant': 'normal', 'days': 45, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 37 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 2, 'stage': 'resolve', 'variant': 'normal', 'days': 45, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 37 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 2, 'stage': 'resolve', 'variant': 'complex', 'days': 60, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 37 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 2, 'stage': 'resolve', 'variant': 'complex', 'days': 60, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 37 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 2, 'stage': 'resolve', 'variant': 'remote', 'days': 60, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 2 Điều 37 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 2, 'stage': 'resolve', 'variant': 'remote', 'days': 60, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 2 Điều 37 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'complaint', 'instance': 2, 'stage': 'resolve', 'variant': 'remote_complex', 'days': 70, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 2 Điều 37 Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'regulation': 'Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'complaint', 'instance': 2, 'stage': 'resolve', 'variant': 'remote_complex', 'days': 70, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 2 Điều 37 Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'accept', 'variant': 'normal', 'days': 7, 'counting': 'working', 'max_extensions': 0, 'citation': 'khoản 1 Điều 24 Luật Tố cáo 25/2018/QH14', 'regulation': 'Luật Tố cáo 25/2018/QH14', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'accept', 'variant': 'normal', 'days': 7, 'counting': 'working', 'max_extensions': 0, 'citation': 'khoản 1 Điều 24 Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'accept', 'variant': 'several_places', 'days': 10, 'counting': 'working', 'max_extensions': 0, 'citation': 'khoản 1 Điều 24 Luật Tố cáo 25/2018/QH14', 'regulation': 'Luật Tố cáo 25/2018/QH14', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'accept', 'variant': 'several_places', 'days': 10, 'counting': 'working', 'max_extensions': 0, 'citation': 'khoản 1 Điều 24 Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'notify', 'variant': 'normal', 'days': 5, 'counting': 'working', 'max_extensions': 0, 'citation': 'khoản 2 Điều 29 Luật Tố cáo 25/2018/QH14', 'regulation': 'Luật Tố cáo 25/2018/QH14', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'notify', 'variant': 'normal', 'days': 5, 'counting': 'working', 'max_extensions': 0, 'citation': 'khoản 2 Điều 29 Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'resolve', 'variant': 'normal', 'days': 30, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 30 Luật Tố cáo 25/2018/QH14', 'regulation': 'Luật Tố cáo 25/2018/QH14', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'resolve', 'variant': 'normal', 'days': 30, 'counting': 'calendar', 'max_extensions': 0, 'citation': 'khoản 1 Điều 30 Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'extend', 'variant': 'normal', 'days': 30, 'counting': 'calendar', 'max_extensions': 2, 'citation': 'khoản 1 Điều 30 Luật Tố cáo 25/2018/QH14', 'regulation': 'Luật Tố cáo 25/2018/QH14', 'effective_from': date(2019, 1, 1), 'effective_to': date(2026, 6, 30)},
    {'kind': 'denunciation', 'instance': 1, 'stage': 'extend', 'variant': 'normal', 'days': 30, 'counting': 'calendar', 'max_extensions': 2, 'citation': 'khoản 1 Điều 30 Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'regulation': 'Luật Tố cáo 25/2018/QH14, sửa đổi bởi Luật 136/2025/QH15', 'effective_from': date(2026, 7, 1), 'effective_to': None},
    {'kind': 'petition', 'instance': 1, 'stage': 'process', 'variant': 'normal', 'days': 10, 'counting': 'working', 'max_extensions': 0, 'citation': 'Điều 6 Thông tư 07/2014/TT-TTCP', 'regulation': 'Thông tư 07/2014/TT-TTCP', 'effective_from': date(2019, 1, 1), 'effective_to': date(2021, 11, 14)},
    {'kind': 'report', 'instance': 1, 'stage': 'process', 'variant': 'normal', 'days': 10, 'counting': 'working', 'max_extensions': 0, 'citation': 'Điều 6 Thông tư 07/2014/TT-TTCP', 'regulation': 'Thông tư 07/2014/TT-TTCP', 'effective_from': date(2019, 1, 1), 'effective_to': date(2021, 11, 14)},
    {'kind': 'petition', 'instance': 1, 'stage': 'process', 'variant': 'normal', 'days': 10, 'counting': 'working', 'max_extensions': 0, 'citation': 'Điều 5 Thông tư 05/2021/TT-TTCP', 'regulation': 'Thông tư 05/2021/TT-TTCP', 'effective_from': date(2021, 11, 15), 'effective_to': None},
    {'kind': 'report', 'instance': 1, 'stage': 'process', 'variant': 'normal', 'days': 10, 'counting': 'working', 'max_extensions': 0, 'citation': 'Điều 5 Thông tư 05/2021/TT-TTCP', 'regulation': 'Thông tư 05/2021/TT-TTCP', 'effective_from': date(2021, 11, 15), 'effective_to': None},
]


def upgrade():
# ### commands auto generated by Alembic - please adjust! ###
    op.create_table('petition_deadline_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('instance', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('variant', sa.String(length=20), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('counting', sa.String(length=10), nullable=False),
    sa.Column('max_extensions', sa.Integer(), nullable=False),
    sa.Column('citation', sa.String(length=255), nullable=False),
    sa.Column('regulation', sa.String(length=160), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_deadline_rule')),
    sa.UniqueConstraint('kind', 'instance', 'stage', 'variant', 'effective_from', name='uq_petition_deadline_rule_key')
    )
    op.create_table('complaint_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('count_working_days', sa.Boolean(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_complaint_setting_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_setting')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_complaint_setting_unit_id_id'),
    sa.UniqueConstraint('unit_id', name='uq_complaint_setting_unit')
    )
    with op.batch_alter_table('complaint_setting', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_setting_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('petition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_code', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('instance', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('filer_name', sa.String(length=120), nullable=True),
    sa.Column('filer_address', sa.String(length=255), nullable=True),
    sa.Column('filer_phone', sa.String(length=20), nullable=True),
    sa.Column('filer_email', sa.String(length=160), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('is_complex', sa.Boolean(), nullable=False),
    sa.Column('several_places', sa.Boolean(), nullable=False),
    sa.Column('remote_area', sa.Boolean(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('freeze_applied', sa.Boolean(), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('due_rule_id', sa.Integer(), nullable=True),
    sa.Column('extensions', sa.Integer(), nullable=False),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.Column('guidance', sa.Text(), nullable=True),
    sa.Column('accept_symbol', sa.String(length=40), nullable=True),
    sa.Column('refusal_symbol', sa.String(length=40), nullable=True),
    sa.Column('answer_text', sa.Text(), nullable=True),
    sa.Column('answer_symbol', sa.String(length=40), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('stopped_days_left', sa.Integer(), nullable=True),
    sa.Column('forwarded_to_unit_id', sa.Integer(), nullable=True),
    sa.Column('origin_id', sa.Integer(), nullable=True),
    sa.Column('origin_unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['due_rule_id'], ['petition_deadline_rule.id'], name=op.f('fk_petition_due_rule_id_petition_deadline_rule')),
    sa.ForeignKeyConstraint(['forwarded_to_unit_id'], ['unit.id'], name=op.f('fk_petition_forwarded_to_unit_id_unit')),
    sa.ForeignKeyConstraint(['handler_id'], ['user_account.id'], name=op.f('fk_petition_handler_id_user_account')),
    sa.ForeignKeyConstraint(['origin_unit_id'], ['unit.id'], name=op.f('fk_petition_origin_unit_id_unit')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_petition_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_petition_unit_id_id'),
    sa.UniqueConstraint('unit_id', 'tracking_code', name='uq_petition_unit_code')
    )
    with op.batch_alter_table('petition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_tracking_code'), ['tracking_code'], unique=False)
        batch_op.create_index('ix_petition_unit_id', ['unit_id', 'id'], unique=False)
        batch_op.create_index('ix_petition_unit_id_status_due', ['unit_id', 'status', 'due_on'], unique=False)

    op.create_table('unit_day_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_day_off_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_day_off')),
    sa.UniqueConstraint('unit_id', 'day', name='uq_unit_day_off_day'),
    sa.UniqueConstraint('unit_id', 'id', name='uq_unit_day_off_unit_id_id')
    )
    with op.batch_alter_table('unit_day_off', schema=None) as batch_op:
        batch_op.create_index('ix_unit_day_off_unit_id', ['unit_id', 'id'], unique=False)

    op.create_table('petition_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('public_text', sa.Text(), nullable=True),
    sa.Column('copied_from_unit', sa.String(length=120), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id', 'petition_id'], ['petition.unit_id', 'petition.id'], name='fk_petition_event_petition_id_petition_unit'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_petition_event_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_event')),
    sa.UniqueConstraint('unit_id', 'id', name='uq_petition_event_unit_id_id')
    )
    with op.batch_alter_table('petition_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_event_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index('ix_petition_event_unit_id', ['unit_id', 'id'], unique=False)

    # ### end Alembic commands ###
    rule_table = sa.table(
        "petition_deadline_rule", sa.column("kind", sa.String), sa.column("instance", sa.Integer),
        sa.column("stage", sa.String), sa.column("variant", sa.String), sa.column("days", sa.Integer),
        sa.column("counting", sa.String), sa.column("max_extensions", sa.Integer), sa.column("citation", sa.String),
        sa.column("regulation", sa.String), sa.column("effective_from", sa.Date), sa.column("effective_to", sa.Date))
    op.bulk_insert(rule_table, RULES)
    if op.get_bind().dialect.name == "postgresql":
        from thiduaweb.core.tenancy import row_level_security_sql

        for table in OWNED_TABLES:
            for statement in row_level_security_sql(table):
                op.execute(statement)


def downgrade():
# ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('petition_event', schema=None) as batch_op:
        batch_op.drop_index('ix_petition_event_unit_id')
        batch_op.drop_index(batch_op.f('ix_petition_event_petition_id'))

    op.drop_table('petition_event')
    with op.batch_alter_table('unit_day_off', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_day_off_unit_id')

    op.drop_table('unit_day_off')
    with op.batch_alter_table('petition', schema=None) as batch_op:
        batch_op.drop_index('ix_petition_unit_id_status_due')
        batch_op.drop_index('ix_petition_unit_id')
        batch_op.drop_index(batch_op.f('ix_petition_tracking_code'))
        batch_op.drop_index(batch_op.f('ix_petition_due_on'))

    op.drop_table('petition')
    with op.batch_alter_table('complaint_setting', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_setting_unit_id')

    op.drop_table('complaint_setting')
    op.drop_table('petition_deadline_rule')
    # ### end Alembic commands ###
