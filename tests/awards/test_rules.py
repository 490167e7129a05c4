"""The eligibility rules, table-driven with cases from the law; every result cites its article."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.awards.conftest import give_award, make_nomination, make_nominee
from thiduaweb.awards import rules, services
from thiduaweb.awards.models import AuthorityRule
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db


def _result(nomination, rule):
    with unit_scope({nomination.unit_id}):
        found = [r for r in rules.evaluate(nomination).results if r.rule == rule]
    assert found, f"rule {rule} not evaluated"
    return found


def _ldtt_crowd(unit, n, year=2021):
    for i in range(n):
        give_award(unit, make_nominee(unit, f"Người Số {i}"), "ldtt", year)


# (case, award, setup(unit, nominee) -> nomination fields, rule, expected status, article fragment)
CASES = [
    ("CSTĐCS: LĐTT held that year", "cstdcs", lambda u, n: give_award(u, n, "ldtt", 2021) and {"initiative": "SK"},
     "prerequisite_title", "passed", "Điều 23"),
    ("CSTĐCS: no LĐTT that year", "cstdcs", lambda u, n: {"initiative": "SK"}, "prerequisite_title", "failed",
     "Điều 23"),
    ("CSTĐCS: LĐTT of another year does not count", "cstdcs",
     lambda u, n: give_award(u, n, "ldtt", 2020) and {"initiative": "SK"}, "prerequisite_title", "failed", "Điều 23"),
    ("CSTĐCS: no initiative", "cstdcs", lambda u, n: give_award(u, n, "ldtt", 2021) and {}, "initiative", "failed",
     "Điều 23"),
    ("CSTĐ tỉnh: three consecutive CSTĐCS", "cstd_tinh",
     lambda u, n: [give_award(u, n, "cstdcs", y) for y in (2019, 2020, 2021)] and {"initiative": "SK tỉnh"},
     "consecutive_years", "passed", "Điều 22"),
    ("CSTĐ tỉnh: a gap in the three years", "cstd_tinh",
     lambda u, n: [give_award(u, n, "cstdcs", y) for y in (2018, 2019, 2021)] and {"initiative": "SK tỉnh"},
     "consecutive_years", "failed", "Điều 22"),
    ("CSTĐ toàn quốc: two consecutive provincial titles", "cstd_tq",
     lambda u, n: [give_award(u, n, "cstd_tinh", y) for y in (2020, 2021)] and {"initiative": "SK"},
     "consecutive_years", "passed", "Điều 21"),
    ("TTLĐTT: exactly 50% LĐTT is not more than half", "ttldtt",
     lambda u, n: {"members_total": 20, "members_ldtt": 10, "members_disciplined": 0}, "member_share", "failed",
     "Điều 28"),
    ("TTLĐTT: 11 of 20 LĐTT", "ttldtt",
     lambda u, n: {"members_total": 20, "members_ldtt": 11, "members_disciplined": 0}, "member_share", "passed",
     "Điều 28"),
    ("TTLĐTT: figures missing need evidence", "ttldtt", lambda u, n: {}, "member_share", "evidence", "Điều 28"),
    ("TTLĐTT: a member disciplined", "ttldtt",
     lambda u, n: {"members_total": 20, "members_ldtt": 15, "members_disciplined": 1}, "no_discipline", "failed",
     "Điều 28"),
    ("TTLĐXS: no CSTĐCS among members", "ttldxs",
     lambda u, n: {"members_total": 10, "members_completed": 10, "members_ldtt": 8, "members_cstdcs": 0,
                   "members_disciplined": 0}, "member_count", "failed", "Điều 27"),
    ("Gia đình văn hóa: bình xét after 25/11", "gdvh", lambda u, n: {"review_on": date(2021, 11, 26)},
     "review_before", "failed", "122/2018"),
    ("Gia đình văn hóa: bình xét on 20/11", "gdvh", lambda u, n: {"review_on": date(2021, 11, 20)},
     "review_before", "passed", "122/2018"),
    ("LĐTT for a collective is the wrong subject", "ldtt", lambda u, n: {}, "applies_to", "failed", "Điều 6"),
]


@pytest.mark.parametrize("case,award,setup,rule,expected,article", CASES, ids=[c[0] for c in CASES])
def test_rule_cases(law, case, award, setup, rule, expected, article):
    unit = law.a
    kind = {"ttldtt": "collective", "ttldxs": "collective", "gdvh": "household"}.get(award, "person")
    if case.startswith("LĐTT for a collective"):
        kind = "collective"
    nominee = make_nominee(unit, "Trường Tiểu học" if kind == "collective" else "Nguyễn Thị Hoa", kind=kind)
    fields = setup(unit, nominee) or {}
    nomination = make_nomination(unit, nominee, award, **fields)
    results = _result(nomination, rule)
    assert results[0].status == expected, results[0].message
    assert article in results[0].article
    with unit_scope({unit.id}):
        assert all(r.article for r in rules.evaluate(nomination).results)


def test_every_rule_of_every_version_cites_an_article(law):
    from thiduaweb.awards.models import RegulationVersion

    for version in db.session.query(RegulationVersion):
        for award in version.award_types:
            for spec in list(version.requirements) + list(award.requirements):
                assert spec["rule"] in rules.RULES
                assert spec.get("article"), f"{version.code} {award.code} {spec['rule']}"


def test_ratio_cap_fifteen_percent_under_91_2017(law):
    unit = law.a
    _ldtt_crowd(unit, 6)
    star = make_nominee(unit, "Trần Văn Bình")
    give_award(unit, star, "ldtt", 2021)  # 7 LĐTT: 15% is 1.05, so one CSTĐCS fits
    first = make_nomination(unit, star, "cstdcs", state="appraisal", initiative="SK")
    assert _result(first, "ratio_cap")[0].status == "passed"
    other = make_nominee(unit, "Lê Thị Mai")
    give_award(unit, other, "ldtt", 2021)  # 8 LĐTT: 1.2, a second CSTĐCS does not fit
    second = make_nomination(unit, other, "cstdcs", state="submitted", initiative="SK")
    result = _result(second, "ratio_cap")[0]
    assert result.status == "failed" and "15%" in result.message and "91/2017" in result.article


def test_no_ratio_cap_under_98_2023_unless_the_province_sets_one(law, app):
    app.config["TODAY"] = date(2024, 12, 20)
    unit = law.a
    star = make_nominee(unit, "Trần Văn Bình")
    give_award(unit, star, "ldtt", 2024)
    from thiduaweb.awards import rules as r

    with unit_scope({unit.id}):
        nomination = make_nomination(unit, star, "cstdcs", year=2024, initiative="SK")
        assert nomination.award_type.version.code == "nd98-2023"
        assert _result(nomination, "ratio_cap")[0].status == "passed"
    from thiduaweb.awards.models import RuleParameter

    db.session.add(RuleParameter(version_id=nomination.award_type.version_id, province_code="19",
                                 key="cstdcs_ratio_cap", value=0.10, legal_basis="Quyết định của UBND tỉnh"))
    db.session.commit()
    assert _result(nomination, "ratio_cap")[0].status == "failed"
    assert r.parameter("cstdcs_ratio_cap", nomination.award_type.version, "19") == pytest.approx(0.10)


def test_a_record_is_judged_by_the_version_in_force_on_its_date(law):
    assert rules.version_on(date(2021, 12, 31)).code == "nd91-2017"
    assert rules.version_on(date(2024, 3, 1)).code == "nd98-2023"
    assert rules.version_on(date(2025, 7, 1)).code == "nd152-2025"
    assert rules.judged_on_for(2021, date(2026, 1, 5)) == date(2021, 12, 31)


@pytest.mark.parametrize("award,day,commune_decides", [
    ("ldtt", date(2021, 12, 1), True), ("giay_khen", date(2021, 12, 1), True), ("gdvh", date(2021, 12, 1), True),
    ("cstdcs", date(2021, 12, 1), False), ("ttldtt", date(2021, 12, 1), False), ("thon_vh", date(2025, 8, 1), False),
    ("bang_khen_tinh", date(2025, 8, 1), False),
])
def test_authority_table_for_a_commune_chairman(law, award, day, commune_decides):
    award_type = rules.award_type_for(award, day)
    assert rules.within_authority(law.a, award_type, day) is commune_decides


def test_the_city_decided_cstdcs_in_2021(law):
    assert rules.within_authority(law.city, rules.award_type_for("cstdcs", date(2021, 6, 1)), date(2021, 6, 1))


def test_a_province_row_overrides_the_national_authority_after_the_reform(law):
    day = date(2025, 9, 1)
    award = rules.award_type_for("cstdcs", day)
    assert not rules.within_authority(law.a, award, day)
    for code in ("ldtt", "giay_khen", "gdvh", "cstdcs"):
        db.session.add(AuthorityRule(version_id=award.version_id, province_code="19", level="commune",
                                     award_code=code, legal_basis="Quy định của UBND tỉnh Thái Nguyên"))
    db.session.commit()
    assert rules.within_authority(law.a, award, day)


def test_one_award_per_achievement(law):
    unit = law.a
    nominee = make_nominee(unit)
    give_award(unit, nominee, "giay_khen", 2021)
    nomination = make_nomination(unit, nominee, "giay_khen")
    result = _result(nomination, "one_award_per_achievement")[0]
    assert result.status == "failed" and "Điều 6" in result.article


def test_a_freeze_fails_the_rule_and_cites_the_decree(law):
    unit = law.a
    nominee = make_nominee(unit)
    nomination = make_nomination(unit, nominee, "ldtt")
    with unit_scope({unit.id}):
        services.freeze_nominee(unit.id, nominee.id, "Đơn tố cáo số 3", "denunciation", 3, commit=True)
    result = _result(nomination, "not_frozen")[0]
    assert result.status == "failed" and "Đơn tố cáo số 3" in result.message


def test_the_audit_trail_names_an_awards_title_by_the_catalogue(law):
    from thiduaweb.audit.changes import describe_changes

    (line,) = describe_changes("Award", {"award_code": [None, "ldtt"]})
    assert line.label == "Danh hiệu, hình thức (theo danh mục)" and line.after == "Lao động tiên tiến"
    (gone,) = describe_changes("Award", {"award_code": [None, "ma-cu-da-bo"]})
    assert gone.after == "ma-cu-da-bo"  # a code no longer in the catalogue is shown as stored


def test_the_audit_trail_names_a_nominations_title_not_its_number(law):
    from thiduaweb.audit.changes import describe_changes
    from thiduaweb.awards.models import AwardType

    ldtt = db.session.scalars(select(AwardType).where(AwardType.code == "ldtt")).first()
    (line,) = describe_changes("Nomination", {"award_type_id": [None, ldtt.id]})
    assert line.after == "Lao động tiên tiến"
    (gone,) = describe_changes("Award", {"award_type_id": [None, 987654]})
    assert gone.after == "#987654"  # a title since removed reads by its number
