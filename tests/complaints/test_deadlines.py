"""The deadline engine, table-driven: each case cites the article its period comes from."""
from datetime import date

import pytest

from thiduaweb.complaints import deadlines
from thiduaweb.complaints.models import DayOff
from thiduaweb.complaints.services import set_counting
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db

# (case, kind, instance, stage, variant, start, working days?, declare a day off, expected, article cited)
CASES = [
    ("khiếu nại: thụ lý 10 ngày, lịch thường, hạn rơi vào mùng 4 Tết không lùi",
     "complaint", 1, "accept", "normal", date(2021, 2, 5), None, None, date(2021, 2, 15), "Điều 27 Luật Khiếu nại"),
    ("khiếu nại: thụ lý 10 ngày tính ngày làm việc, bỏ qua 7 ngày nghỉ Tết Tân Sửu và cuối tuần",
     "complaint", 1, "accept", "normal", date(2021, 2, 5), True, None, date(2021, 2, 26), "Điều 27 Luật Khiếu nại"),
    ("tố cáo: xử lý ban đầu 7 ngày làm việc qua Tết",
     "denunciation", 1, "accept", "normal", date(2021, 2, 5), None, None, date(2021, 2, 23), "khoản 1 Điều 24 Luật Tố cáo"),
    ("tố cáo: xác minh nhiều nơi 10 ngày làm việc",
     "denunciation", 1, "accept", "several_places", date(2021, 2, 5), None, None, date(2021, 2, 26),
     "khoản 1 Điều 24 Luật Tố cáo"),
    ("tố cáo: thông báo thụ lý 5 ngày làm việc qua 30/4, 1/5 và ngày nghỉ bù 03/5",
     "denunciation", 1, "notify", "normal", date(2021, 4, 23), None, None, date(2021, 5, 4), "khoản 2 Điều 29 Luật Tố cáo"),
    ("kiến nghị: 10 ngày làm việc, đơn vị khai báo nghỉ thứ Sáu 05/3",
     "petition", 1, "process", "normal", date(2021, 3, 1), None, date(2021, 3, 5), date(2021, 3, 16),
     "Điều 6 Thông tư 07/2014/TT-TTCP"),
    ("kiến nghị: 10 ngày làm việc, không có ngày nghỉ khai báo",
     "petition", 1, "process", "normal", date(2021, 3, 1), None, None, date(2021, 3, 15), "Điều 6 Thông tư 07/2014/TT-TTCP"),
    ("phản ánh: 10 ngày làm việc qua Tết Bính Ngọ 2026",
     "report", 1, "process", "normal", date(2026, 2, 13), None, None, date(2026, 3, 6), "Điều 5 Thông tư 05/2021/TT-TTCP"),
    ("khiếu nại lần đầu: 30 ngày từ thụ lý",
     "complaint", 1, "resolve", "normal", date(2021, 3, 10), None, None, date(2021, 4, 9), "khoản 1 Điều 28 Luật Khiếu nại"),
    ("khiếu nại lần đầu phức tạp: 45 ngày",
     "complaint", 1, "resolve", "complex", date(2021, 3, 10), None, None, date(2021, 4, 24), "khoản 1 Điều 28 Luật Khiếu nại"),
    ("khiếu nại lần đầu vùng sâu, vùng xa: 45 ngày",
     "complaint", 1, "resolve", "remote", date(2021, 3, 10), None, None, date(2021, 4, 24), "khoản 2 Điều 28 Luật Khiếu nại"),
    ("khiếu nại lần đầu vùng sâu, phức tạp: 60 ngày",
     "complaint", 1, "resolve", "remote_complex", date(2021, 3, 10), None, None, date(2021, 5, 9),
     "khoản 2 Điều 28 Luật Khiếu nại"),
    ("khiếu nại lần hai: 45 ngày",
     "complaint", 2, "resolve", "normal", date(2021, 6, 1), None, None, date(2021, 7, 16), "khoản 1 Điều 37 Luật Khiếu nại"),
    ("khiếu nại lần hai vùng sâu, phức tạp: 70 ngày",
     "complaint", 2, "resolve", "remote_complex", date(2021, 6, 1), None, None, date(2021, 8, 10),
     "khoản 2 Điều 37 Luật Khiếu nại"),
    ("khiếu nại lần hai 45 ngày tính ngày làm việc qua Quốc khánh 2/9 và 3/9/2021",
     "complaint", 2, "resolve", "normal", date(2021, 8, 2), True, None, date(2021, 10, 6), "khoản 1 Điều 37 Luật Khiếu nại"),
    ("tố cáo: giải quyết 30 ngày",
     "denunciation", 1, "resolve", "normal", date(2021, 3, 10), None, None, date(2021, 4, 9), "khoản 1 Điều 30 Luật Tố cáo"),
    ("tố cáo: mỗi lần gia hạn 30 ngày",
     "denunciation", 1, "extend", "normal", date(2021, 4, 9), None, None, date(2021, 5, 9), "khoản 1 Điều 30 Luật Tố cáo"),
    ("khiếu nại: thời hạn khiếu nại lần hai 30 ngày",
     "complaint", 1, "appeal", "normal", date(2021, 4, 9), None, None, date(2021, 5, 9), "Điều 33 Luật Khiếu nại"),
]


@pytest.fixture
def rules(world):
    with unit_scope({world.a.id}):
        deadlines.ensure_rules()
        db.session.commit()
        yield world


@pytest.mark.parametrize("case,kind,instance,stage,variant,start,working,day_off,expected,article", CASES,
                         ids=[c[0] for c in CASES])
def test_deadline_table(rules, case, kind, instance, stage, variant, start, working, day_off, expected, article):
    unit = rules.a
    with unit_scope({unit.id}):
        if day_off:
            db.session.add(DayOff(unit_id=unit.id, day=day_off, reason="Nghỉ bù theo thông báo"))
            db.session.commit()
        deadline = deadlines.deadline_for(kind, stage, start, unit_id=unit.id, instance=instance, variant=variant,
                                          working_days=working)
    assert deadline.due == expected, case
    assert deadline.rule.citation.startswith(article)


def test_the_unit_setting_counts_the_laws_days_as_working_days(rules):
    with unit_scope({rules.a.id}):
        set_counting(rules.a, True)
        deadline = deadlines.deadline_for("complaint", "accept", date(2021, 2, 5), unit_id=rules.a.id)
    assert deadline.due == date(2021, 2, 26) and deadline.working_days
    with unit_scope({rules.b.id}):
        other = deadlines.deadline_for("complaint", "accept", date(2021, 2, 5), unit_id=rules.b.id)
    assert other.due == date(2021, 2, 15) and not other.working_days


@pytest.mark.parametrize("start,regulation", [
    (date(2026, 6, 30), "Luật Khiếu nại 02/2011/QH13 (sửa đổi 2013)"),
    (date(2026, 7, 1), "Luật Khiếu nại 02/2011/QH13, sửa đổi bởi Luật 136/2025/QH15"),
])
def test_the_rule_in_force_on_the_day_applies(rules, start, regulation):
    with unit_scope({rules.a.id}):
        rule = deadlines.rule_for("complaint", "accept", start)
    assert rule.regulation == regulation
    assert rule.effective_from <= start and (rule.effective_to is None or start <= rule.effective_to)


def test_rules_are_loaded_once(rules):
    with unit_scope({rules.a.id}):
        assert deadlines.ensure_rules() == 0
