"""A small hand-built world (also used by tests/e2e/test_dashboard.py) for the dashboard: two communes, two years, rows of every kind."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from thiduaweb.awards.models import Award, AwardType, Decision, Nomination, Nominee, RegulationVersion
from thiduaweb.complaints.models import Petition
from thiduaweb.core import clock
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db
from thiduaweb.inspections.models import ChecklistTemplate, CorrectiveAction, Inspection, InspectionRound
from thiduaweb.movements.models import Movement, ProgressReport, Target
from thiduaweb.plans.models import Plan


@dataclass
class StatsWorld:
    world: object
    year: int
    types: dict = field(default_factory=dict)
    petitions: dict = field(default_factory=dict)


def _version():
    version = RegulationVersion(code="t2022", name="Luật 2022", valid_from=date(2000, 1, 1))
    db.session.add(version)
    db.session.flush()
    types = {}
    for code, name, category, kinds in [("ldtt", "Lao động tiên tiến", "title", "person"),
                                        ("giay_khen", "Giấy khen", "form", "person,collective,household"),
                                        ("gdvh", "Gia đình văn hóa", "title", "household")]:
        t = AwardType(version_id=version.id, code=code, name=name, category=category, applies_to=kinds)
        db.session.add(t)
        types[code] = t
    db.session.flush()
    return types


def add_awards(unit, year, types, specs, seq=[0]):
    """specs: list of (award code, nominee kind, occupation, revoked)."""
    decision = Decision(unit_id=unit.id, number_symbol=f"{len(specs)}/QĐ-UBND", decided_on=date(year, 12, 20),
                        title="Về việc khen thưởng")
    db.session.add(decision)
    db.session.flush()
    for code, kind, occupation, revoked in specs:
        seq[0] += 1
        nominee = Nominee(unit_id=unit.id, kind=kind, name=f"Người {seq[0]}", occupation_group=occupation)
        db.session.add(nominee)
        db.session.flush()
        db.session.add(Award(unit_id=unit.id, decision_id=decision.id, nominee_id=nominee.id,
                             award_type_id=types[code].id, award_code=code, year=year, nominee_name=nominee.name,
                             nominee_kind=kind, occupation_group=occupation, home_unit_id=unit.id,
                             revoked_on=date(year, 12, 30) if revoked else None))


def add_nominations(unit, year, types, states):
    for i, state in enumerate(states):
        nominee = Nominee(unit_id=unit.id, kind="person", name=f"Đề nghị {unit.id}-{year}-{i}",
                          occupation_group="farmer")
        db.session.add(nominee)
        db.session.flush()
        db.session.add(Nomination(unit_id=unit.id, nominee_id=nominee.id, award_type_id=types["ldtt"].id, year=year,
                                  judged_on=date(year, 11, 1), state=state))


def add_petition(unit, received_on, status, due_on, kind="complaint", code=None):
    p = Petition(unit_id=unit.id, tracking_code=code or f"T{unit.id}{received_on:%y%m%d}{status[:3]}{due_on or ''}"[:20],
                 kind=kind, status=status, subject=f"Đơn về {status}", content="Nội dung", received_on=received_on,
                 due_on=due_on)
    db.session.add(p)
    return p


def build_stats_world(world):
    """Đồng Liên (a) and Tân Cương (b), this year and last year. Figures chosen to differ everywhere."""
    y = clock.today().year
    today = clock.today()
    w = StatsWorld(world, y)
    a, b, city = world.a, world.b, world.city
    with cross_unit_writes():
        w.types = types = _version()
        # Plans: the city's plan with an adoption deadline; A adopts on time, B late; A has a draft too.
        parent = Plan(unit_id=city.id, year=y, title="Kế hoạch thi đua", status="issued", issued_on=date(y, 1, 10),
                      adoption_deadline=date(y, 2, 1), number_symbol="01/KH-UBND")
        db.session.add(parent)
        db.session.flush()
        db.session.add_all([
            Plan(unit_id=a.id, year=y, title="KH A", status="issued", issued_on=date(y, 1, 20), parent_plan_id=parent.id),
            Plan(unit_id=b.id, year=y, title="KH B", status="issued", issued_on=date(y, 3, 1), parent_plan_id=parent.id),
            Plan(unit_id=a.id, year=y, title="KH A nháp", status="draft"),
            Plan(unit_id=a.id, year=y - 1, title="KH A cũ", status="issued", issued_on=date(y - 1, 2, 1),
                 parent_plan_id=parent.id),
        ])
        # Movements: A has one open-ended since last year (targets 50% reached) and one last year only.
        m1 = Movement(unit_id=a.id, name="Chung sức xây dựng nông thôn mới", starts_on=date(y - 1, 3, 1))
        m2 = Movement(unit_id=a.id, name="Phong trào năm trước", starts_on=date(y - 1, 1, 1), ends_on=date(y - 1, 12, 31))
        m3 = Movement(unit_id=b.id, name="Phong trào B", starts_on=date(y, 2, 1), ends_on=date(y, 10, 1))
        db.session.add_all([m1, m2, m3])
        db.session.flush()
        t1 = Target(unit_id=a.id, movement_id=m1.id, indicator="Km đường", target_value=Decimal(10))
        t2 = Target(unit_id=b.id, movement_id=m3.id, indicator="Hộ", target_value=Decimal(4))
        db.session.add_all([t1, t2])
        db.session.flush()
        db.session.add_all([ProgressReport(unit_id=a.id, target_id=t1.id, reported_on=date(y, 1, 5), value=Decimal(5)),
                            ProgressReport(unit_id=b.id, target_id=t2.id, reported_on=date(y, 5, 5), value=Decimal(6))])
        # Nominations.
        add_nominations(a, y, types, ["draft", "submitted", "appraisal", "awarded", "awarded", "proposed"])
        add_nominations(b, y, types, ["awarded", "refused"])
        add_nominations(a, y - 1, types, ["awarded"])
        # Awards: A this year 5 live persons (2 farmers, 1 worker) + 1 collective + 1 revoked; B 2 persons, 0 direct.
        add_awards(a, y, types, [("ldtt", "person", "farmer", False), ("ldtt", "person", "worker", False),
                                 ("ldtt", "person", "teacher", False), ("giay_khen", "person", "farmer", False),
                                 ("giay_khen", "person", "civil_servant", False),
                                 ("giay_khen", "collective", None, False), ("ldtt", "person", "farmer", True)])
        add_awards(b, y, types, [("ldtt", "person", "teacher", False), ("giay_khen", "person", "business", False),
                                 ("gdvh", "household", "farmer", False)])
        add_awards(a, y - 1, types, [("ldtt", "person", "farmer", False)])
        # Petitions: A: one overdue, one due in 3 days, one due in 20 days, one answered; B: one overdue.
        w.petitions["a_overdue"] = add_petition(a, date(y, 1, 2), "accepted", today - timedelta(days=2), code="AOVER")
        add_petition(a, date(y, 1, 3), "received", today + timedelta(days=3), kind="denunciation", code="ASOON")
        add_petition(a, date(y, 1, 4), "accepted", today + timedelta(days=20), code="ALATER")
        add_petition(a, date(y, 1, 5), "answered", None, code="ADONE")
        w.petitions["b_overdue"] = add_petition(b, date(y, 1, 6), "inspection", today - timedelta(days=1),
                                                kind="report", code="BOVER")
        # Self-inspection: A scored twice this year (the latest counts), one open corrective action overdue.
        template = ChecklistTemplate(unit_id=city.id, name="Bảng kiểm", status="published")
        db.session.add(template)
        db.session.flush()
        rnd = InspectionRound(unit_id=city.id, template_id=template.id, title=f"Tự kiểm tra {y}",
                              period_start=date(y, 1, 1), period_end=date(y, 12, 31), deadline=date(y, 12, 31))
        db.session.add(rnd)
        db.session.flush()
        i1 = Inspection(unit_id=a.id, round_id=rnd.id, template_id=template.id, target_unit_id=a.id, status="signed",
                        inspected_on=date(y, 1, 5), score=Decimal("70.5"))
        i2 = Inspection(unit_id=a.id, round_id=rnd.id, template_id=template.id, target_unit_id=a.id, status="accepted",
                        inspected_on=date(y, 1, 25), score=Decimal("85.25"))
        db.session.add_all([i1, i2])
        db.session.flush()
        db.session.add_all([
            CorrectiveAction(unit_id=a.id, inspection_id=i2.id, what="Bổ sung hồ sơ", who="Văn phòng",
                             due_date=today - timedelta(days=5), status="open"),
            CorrectiveAction(unit_id=a.id, inspection_id=i2.id, what="Niêm yết", who="Văn phòng",
                             due_date=today - timedelta(days=5), status="closed"),
        ])
        db.session.commit()
    return w
