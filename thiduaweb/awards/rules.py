"""The law's rules: which version is in force, who may decide what, and the eligibility engine.

Every rule reads its parameters and its article from the data (`catalogue.py`): the rule
functions here only know *how* to check "a title held", "N consecutive years", "a share of
members", never *which* title or how many years. Each result is passed / failed / needs evidence
and carries the article it comes from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select

from thiduaweb.awards.models import (AuthorityRule, Award, AwardType, Nomination, Nominee, NomineeFreeze,
                                     RegulationVersion, RuleParameter)
from thiduaweb.core import clock, reference
from thiduaweb.core.tenancy import all_units
from thiduaweb.core.vntext import format_date
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

PASSED, FAILED, EVIDENCE = "passed", "failed", "evidence"
STATUS_LABELS = {PASSED: "Đạt", FAILED: "Không đạt", EVIDENCE: "Cần bổ sung"}


def eligibility_text(value) -> str | None:
    """A stored eligibility (`Eligibility.as_dict()`, or its status alone) as the audit trail shows it:
    its status, and the rules not passed."""
    status = value.get("status") if isinstance(value, dict) else value
    if not isinstance(status, str):
        return None
    text = STATUS_LABELS.get(status, status)
    if isinstance(value, dict):
        open_rules = [r.get("label") for r in value.get("results") or []
                      if isinstance(r, dict) and r.get("status") != PASSED and r.get("label")]
        if open_rules:
            text += ": " + "; ".join(open_rules)
    return text
#: Nominations that are alive (neither refused nor still a draft being written).
PENDING_STATES = ("submitted", "binh_xet", "cong_khai", "appraisal", "appraised", "proposed", "returned")

LEVEL_OF_KIND = {"commune": "commune", "ward": "commune", "township": "commune", "special_zone": "commune",
                 "city": "district", "district": "district", "town": "district",
                 "province": "province", "central_city": "province"}


reference.watch(RegulationVersion, AwardType, AuthorityRule, RuleParameter)


class RulesError(ValueError):
    """No regulation version or award type for the date; the message is for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- Versions, catalogue, parameters -----------------------------------------------------------

def version_on(day: date) -> RegulationVersion:
    version = db.session.scalar(select(RegulationVersion).where(
        RegulationVersion.valid_from <= day,
        or_(RegulationVersion.valid_to.is_(None), RegulationVersion.valid_to >= day),
    ).order_by(RegulationVersion.valid_from.desc()))
    if version is None:
        raise RulesError(f"Chưa có quy định thi đua, khen thưởng nào có hiệu lực vào ngày {format_date(day)}.")
    return version


def award_types_on(day: date) -> list[AwardType]:
    version = version_on(day)
    return list(db.session.scalars(select(AwardType).where(AwardType.version_id == version.id)
                                   .order_by(AwardType.position)))


def award_names_on(day: date) -> list:
    """(code, name) of the titles and forms in force on `day`, in the catalogue's order, for filters and
    labels that need no more than the name (reference data: kept per process, see core.reference)."""
    return reference.remember(("award_names", day), lambda: _award_names_on(day))


def award_name(code: str) -> str:
    """A title's or form's name by its code in today's catalogue (a code not in it: the code)."""
    if not code:
        return ""
    return next((name for c, name in award_names_on(clock.today()) if c == code), code)


def award_type_name(type_id: int) -> str | None:
    """A title's or form's name by its id, in any version of the catalogue (None: no such title)."""
    return award_type_names().get(type_id)


def award_type_names() -> dict[int, str]:
    """{id: name} of every title and form of every version of the catalogue (reference data, kept)."""
    return reference.remember(("award_type_names",),
                              lambda: dict(db.session.execute(select(AwardType.id, AwardType.name)).all()))


def _award_names_on(day: date) -> list:
    in_force = and_(RegulationVersion.valid_from <= day,
                    or_(RegulationVersion.valid_to.is_(None), RegulationVersion.valid_to >= day))
    latest = select(RegulationVersion.id).where(in_force).order_by(RegulationVersion.valid_from.desc()).limit(1)
    return list(db.session.execute(select(AwardType.code, AwardType.name)
                                   .where(AwardType.version_id == latest.scalar_subquery())
                                   .order_by(AwardType.position)))


def award_type_for(code: str, day: date) -> AwardType:
    version = version_on(day)
    award = db.session.scalar(select(AwardType).where(AwardType.version_id == version.id, AwardType.code == code))
    if award is None:
        raise RulesError(f"Danh hiệu, hình thức này không có trong {version.name}.", "award_code")
    return award


def judged_on_for(year: int, today: date) -> date:
    """The date a yearly nomination is judged on: the end of its year, or today if earlier."""
    return min(today, date(year, 12, 31))


def province_code(unit: Unit) -> str | None:
    node = unit
    while node is not None:
        if node.kind in ("province", "central_city"):
            return node.code
        node = node.parent
    return None


def unit_level(unit: Unit) -> str:
    return LEVEL_OF_KIND.get(unit.kind, "commune")


def parameter(key: str, version: RegulationVersion | None, province: str | None) -> float | None:
    """The most specific value: this version and province, this version, any version and province, any."""
    rows = reference.remember(("rule_parameter", key), lambda: [
        (r.version_id, r.province_code, r.value)
        for r in db.session.execute(select(RuleParameter.version_id, RuleParameter.province_code,
                                           RuleParameter.value).where(RuleParameter.key == key))])

    def score(row):
        version_id, province_code, _ = row
        if version_id not in (None, version.id if version else None):
            return None
        if province_code not in (None, province):
            return None
        return (version_id is not None) * 2 + (province_code is not None)

    ranked = sorted(((score(r), r) for r in rows if score(r) is not None), key=lambda p: p[0], reverse=True)
    return float(ranked[0][1][2]) if ranked else None


def posting_days(award: AwardType, unit: Unit) -> int:
    if award.posting_days:
        return award.posting_days
    value = parameter("posting_days_default", award.version, province_code(unit))
    return int(value or 5)


# --- Authority ----------------------------------------------------------------------------------

def authority_codes(unit: Unit, day: date) -> set[str]:
    """Award codes the chairman of `unit` may decide on `day` (the province's rows win over the default)."""
    version = version_on(day)
    level = unit_level(unit)
    province = province_code(unit)
    rows = db.session.scalars(select(AuthorityRule).where(
        AuthorityRule.version_id == version.id, AuthorityRule.level == level)).all()
    own = [r for r in rows if r.province_code is not None and r.province_code == province]
    chosen = own if own else [r for r in rows if r.province_code is None]
    return {r.award_code for r in chosen}


def within_authority(unit: Unit, award: AwardType, day: date) -> bool:
    return award.code in authority_codes(unit, day)


def deciding_level(award: AwardType, unit: Unit, day: date) -> str | None:
    """The lowest level above (or at) `unit` whose chairman may decide `award`."""
    node = unit
    while node is not None:
        if within_authority(node, award, day):
            return node.name
        node = node.parent
    return None


# --- Register and nominations across levels ---------------------------------------------------

def lineage_awards(lineage_key: str, *, code: str | None = None) -> list[Award]:
    stmt = select(Award).where(Award.lineage_key == lineage_key, Award.revoked_on.is_(None))
    if code:
        stmt = stmt.where(Award.award_code == code)
    return list(db.session.scalars(all_units(stmt.order_by(Award.year))))


def lineage_nominations(lineage_key: str, *, code: str | None = None, year: int | None = None,
                        states=PENDING_STATES) -> list[Nomination]:
    stmt = (select(Nomination).join(Nominee, (Nominee.id == Nomination.nominee_id)
                                    & (Nominee.unit_id == Nomination.unit_id))
            .where(Nominee.lineage_key == lineage_key, Nomination.state.in_(states)))
    if code:
        stmt = stmt.join(AwardType, AwardType.id == Nomination.award_type_id).where(AwardType.code == code)
    if year is not None:
        stmt = stmt.where(Nomination.year == year)
    return list(db.session.scalars(all_units(stmt)))


def _same_chain(a: Nomination, b: Nomination) -> bool:
    """The same achievement travelling upward: the commune's nomination and its copy above."""
    return a.id == b.id or a.origin_nomination_id == b.id or b.origin_nomination_id == a.id \
        or (a.origin_nomination_id is not None and a.origin_nomination_id == b.origin_nomination_id)


def held(nomination: Nomination, code: str, year: int) -> str:
    """'yes' when the register shows `code` for `year`, 'pending' when a live nomination asks for it, else 'no'."""
    key = nomination.nominee.lineage_key
    if any(a.year == year for a in lineage_awards(key, code=code)):
        return "yes"
    others = [n for n in lineage_nominations(key, code=code, year=year) if not _same_chain(n, nomination)]
    return "pending" if others else "no"


def frozen_reason_for_lineage(lineage_key: str) -> str | None:
    freeze = db.session.scalar(all_units(select(NomineeFreeze).where(
        NomineeFreeze.lineage_key == lineage_key, NomineeFreeze.lifted_at.is_(None)).order_by(NomineeFreeze.id)))
    if freeze is None:
        return None
    return f"{freeze.source_label}: {freeze.reason}"


def nomination_frozen_reason(nomination: Nomination) -> str | None:
    """Why this nomination may not move (an open complaint, denunciation, disciplinary review...), or None."""
    if nomination.nominee is None:
        return None
    return frozen_reason_for_lineage(nomination.nominee.lineage_key)


# --- The engine ------------------------------------------------------------------------------------

@dataclass
class RuleResult:
    rule: str
    label: str
    status: str
    message: str
    article: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict:
        return {"rule": self.rule, "label": self.label, "status": self.status, "message": self.message,
                "article": self.article}


@dataclass
class Eligibility:
    results: list[RuleResult] = field(default_factory=list)

    @property
    def status(self) -> str:
        statuses = {r.status for r in self.results}
        return FAILED if FAILED in statuses else EVIDENCE if EVIDENCE in statuses else PASSED

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if r.status == FAILED]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_dict(self) -> dict:
        return {"status": self.status, "results": [r.as_dict() for r in self.results]}


RULES: dict = {}


def rule(name: str, label: str):
    def register(fn):
        RULES[name] = (label, fn)
        return fn

    return register


def evaluate(nomination: Nomination) -> Eligibility:
    """Every rule of the nomination's version and award, in order, each with its article."""
    award = nomination.award_type
    requirements = list(award.version.requirements or []) + list(award.requirements or [])
    outcome = Eligibility()
    for spec in requirements:
        label, check = RULES[spec["rule"]]
        status, message = check(nomination, spec)
        outcome.results.append(RuleResult(spec["rule"], spec.get("label") or label, status, message,
                                          spec.get("article", "")))
    return outcome


def _name(code: str, nomination: Nomination) -> str:
    award = db.session.scalar(select(AwardType).where(AwardType.version_id == nomination.award_type.version_id,
                                                      AwardType.code == code))
    return award.name if award else code


@rule("applies_to", "Đúng đối tượng được xét tặng")
def _applies_to(nomination, spec):
    award, nominee = nomination.award_type, nomination.nominee
    if nominee.kind in award.kinds:
        return PASSED, f"{award.name} xét tặng cho {award.applies_to_label.lower()}."
    return FAILED, f"{award.name} chỉ xét tặng cho {award.applies_to_label.lower()}, không cho {nominee.kind_label.lower()}."


@rule("one_award_per_achievement", "Một thành tích chỉ khen một lần")
def _one_award(nomination, spec):
    code, year = nomination.award_type.code, nomination.year
    key = nomination.nominee.lineage_key
    given = [a for a in lineage_awards(key, code=code) if a.year == year and a.nomination_id != nomination.id]
    if given:
        return FAILED, f"Đã được tặng {nomination.award_type.name} năm {year} (Quyết định {given[0].decision.number_symbol})."
    others = [n for n in lineage_nominations(key, code=code, year=year) if not _same_chain(n, nomination)]
    if others:
        return FAILED, f"Đã có một đề nghị {nomination.award_type.name} năm {year} khác cho đối tượng này."
    return PASSED, "Chưa được khen thưởng cho thành tích này."


@rule("not_frozen", "Không đang bị xem xét kỷ luật, khiếu nại, tố cáo")
def _not_frozen(nomination, spec):
    reason = nomination_frozen_reason(nomination)
    if reason:
        return FAILED, f"Tạm dừng xét khen thưởng — {reason}."
    return PASSED, "Không có đơn thư, kỷ luật hay thanh tra nào đang xử lý."


@rule("prerequisite_title", "Điều kiện danh hiệu trong năm")
def _prerequisite(nomination, spec):
    name = _name(spec["award"], nomination)
    state = held(nomination, spec["award"], nomination.year)
    if state == "yes":
        return PASSED, f"Đã đạt {name} năm {nomination.year}."
    if state == "pending":
        return EVIDENCE, f"Đề nghị {name} năm {nomination.year} đang được xét: cần có quyết định trước."
    return FAILED, f"Chưa đạt {name} năm {nomination.year}."


@rule("initiative", "Có sáng kiến được công nhận")
def _initiative(nomination, spec):
    if (nomination.initiative or "").strip():
        return PASSED, f"Sáng kiến: {nomination.initiative.strip()[:160]}"
    return FAILED, "Chưa khai báo sáng kiến được công nhận (hoặc đề tài, công trình khoa học đã nghiệm thu)."


@rule("consecutive_years", "Số năm liên tục")
def _consecutive(nomination, spec):
    n, code, year = int(spec["years"]), spec["award"], nomination.year
    name = _name(code, nomination)
    years = list(range(year - n + 1, year + 1))
    states = {y: held(nomination, code, y) for y in years}
    missing = [y for y in years if states[y] == "no"]
    if missing:
        return FAILED, (f"Cần {n} năm liên tục đạt {name} ({years[0]}–{years[-1]}); "
                        f"sổ khen thưởng thiếu năm {', '.join(map(str, missing))}.")
    pending = [y for y in years if states[y] == "pending"]
    if pending:
        return EVIDENCE, f"{name} năm {', '.join(map(str, pending))} đang được xét: cần có quyết định trước."
    return PASSED, f"Đạt {name} {n} năm liên tục {years[0]}–{years[-1]} (theo sổ khen thưởng)."


@rule("member_share", "Tỷ lệ thành viên")
def _member_share(nomination, spec):
    total, part = nomination.members_total, getattr(nomination, spec["field"])
    if not total or part is None:
        return EVIDENCE, "Chưa nhập số thành viên và số đạt tiêu chuẩn của tập thể."
    share = part / total
    ok = share > spec["min"] if spec.get("strict") else share >= spec["min"]
    text = f"{part}/{total} thành viên ({share * 100:.1f}%)"
    return (PASSED, f"{text}: đạt.") if ok else (FAILED, f"{text}: chưa đạt mức {'trên' if spec.get('strict') else 'ít nhất'} "
                                                          f"{spec['min'] * 100:g}%.")


@rule("member_count", "Số thành viên đạt danh hiệu")
def _member_count(nomination, spec):
    value = getattr(nomination, spec["field"])
    if value is None:
        return EVIDENCE, "Chưa nhập số liệu của tập thể."
    if value >= spec["min"]:
        return PASSED, f"{value} thành viên: đạt."
    return FAILED, f"{value} thành viên: cần ít nhất {spec['min']}."


@rule("no_discipline", "Không có thành viên bị kỷ luật từ cảnh cáo trở lên")
def _no_discipline(nomination, spec):
    value = nomination.members_disciplined
    if value is None:
        return EVIDENCE, "Chưa nhập số thành viên bị kỷ luật trong năm."
    if value == 0:
        return PASSED, "Không có thành viên bị kỷ luật."
    return FAILED, f"{value} thành viên bị kỷ luật từ hình thức cảnh cáo trở lên."


@rule("review_before", "Thời hạn bình xét")
def _review_before(nomination, spec):
    limit = date(nomination.year, spec["month"], spec["day"])
    if nomination.review_on is None:
        return EVIDENCE, f"Chưa bình xét (phải xong trước ngày {format_date(limit)})."
    if nomination.review_on >= limit:
        return FAILED, f"Bình xét ngày {format_date(nomination.review_on)}, sau thời hạn {format_date(limit)}."
    return PASSED, f"Bình xét ngày {format_date(nomination.review_on)}, trước {format_date(limit)}."


@rule("ratio_cap", "Tỷ lệ tối đa")
def _ratio_cap(nomination, spec):
    version = nomination.award_type.version
    home = db.session.get(Unit, nomination.origin_unit_id or nomination.unit_id)
    cap = parameter(spec["parameter"], version, province_code(home))
    name, base = _name(spec["award"], nomination), _name(spec["of"], nomination)
    if cap is None:
        return PASSED, f"Văn bản đang áp dụng không giới hạn tỷ lệ {name}."
    awarded_base, pending_base = count_for_home(home.id, spec["of"], nomination.year)
    awarded, pending = count_for_home(home.id, spec["award"], nomination.year, exclude=nomination)
    wanted = awarded + pending + 1
    if wanted <= cap * awarded_base:
        return PASSED, f"{wanted} {name} trên {awarded_base} {base}: trong giới hạn {cap * 100:g}%."
    if wanted <= cap * (awarded_base + pending_base):
        return EVIDENCE, (f"{wanted} {name} chỉ trong giới hạn {cap * 100:g}% nếu các đề nghị {base} "
                          f"đang xét được quyết định ({awarded_base} đã có, {pending_base} đang xét).")
    return FAILED, (f"{wanted} {name} vượt {cap * 100:g}% số {base} của đơn vị "
                    f"({awarded_base + pending_base} người).")


def count_for_home(home_unit_id: int, code: str, year: int, exclude: Nomination | None = None) -> tuple[int, int]:
    """(awards in the register, live nominations) of `code` in `year` for people of `home_unit_id`."""
    awarded = db.session.scalar(all_units(select(func.count()).select_from(Award).where(
        Award.home_unit_id == home_unit_id, Award.award_code == code, Award.year == year,
        Award.revoked_on.is_(None)))) or 0
    stmt = (select(Nomination).join(AwardType, AwardType.id == Nomination.award_type_id)
            .where(AwardType.code == code, Nomination.year == year, Nomination.state != "draft",
                   or_(Nomination.origin_unit_id == home_unit_id,
                       (Nomination.origin_unit_id.is_(None)) & (Nomination.unit_id == home_unit_id))))
    chains: dict[int, list[Nomination]] = {}
    for n in db.session.scalars(all_units(stmt)):
        if exclude is not None and _same_chain(n, exclude):
            continue
        chains.setdefault(n.origin_nomination_id or n.id, []).append(n)
    # A chain (the commune's nomination and its copy above) is live while no step of it has ended.
    pending = sum(1 for members in chains.values() if all(m.state in PENDING_STATES for m in members))
    return awarded, pending
