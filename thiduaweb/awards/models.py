"""Awards: the versioned catalogue and rules (shared data), nominees, nominations, the register.

Shared catalogues (one for the whole country, or per province) are plain `db.Model`:
`RegulationVersion`, `AwardType` (a title or form as a given version defines it),
`AuthorityRule` (who may decide what, per version and province) and `RuleParameter`
(ratios, thresholds, posting periods: numbers the law or a province sets).

Rows a unit owns: `Nominee`, `NomineeFreeze`, `Nomination`, `NominationStep`, `Objection`,
`Decision`, `Award`. A person keeps one `Nominee` record in their commune across years; when a
nomination goes upward, the supervising unit gets its own copy of the nominee sharing the same
`lineage_key`, so history and freezes follow the person across levels.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (JSON, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint,
                        event, inspect, select, update)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thiduaweb.core import clock
from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.core.vntext import format_number, name_sort_key
from thiduaweb.extensions import db

SORT_KEY_LENGTH = 1000
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(value: int, width: int) -> str:
    value = max(0, min(value, 36 ** width - 1))
    out = ""
    for _ in range(width):
        value, rest = divmod(value, 36)
        out = _DIGITS[rest] + out
    return out


def name_sort_text(full_name: str | None) -> str:
    """`core.vntext.name_sort_key` as a text the database sorts in the same order (given name, family
    name, middle names; letters, then letter marks, then tones), so that lists sort and page in SQL.

    Only the characters 0-9 and a-z are used, so every collation orders it like the tuple: each folded
    character is two base-36 digits (never "00"), each part ends with "00"; marks and tones are one
    digit each (1-6) ending with "0".
    """
    parts = []
    for folded, letters, tones, _raw in name_sort_key(full_name):
        parts.append("".join(_base36(ord(ch), 2) for ch in folded) + "00"
                     + "".join(str(r + 1) for r in letters) + "0" + "".join(str(r + 1) for r in tones) + "0")
    return "".join(parts)[:SORT_KEY_LENGTH]


def _now() -> datetime:
    return datetime.now(timezone.utc)


NOMINEE_KINDS = {"person": "Cá nhân", "collective": "Tập thể", "household": "Hộ gia đình"}
GENDERS = {"male": "Nam", "female": "Nữ"}
OCCUPATION_GROUPS = {
    "worker": "Công nhân",
    "farmer": "Nông dân",
    "labourer": "Người lao động trực tiếp",
    "civil_servant": "Cán bộ, công chức, viên chức",
    "teacher": "Giáo viên",
    "business": "Doanh nhân, hộ kinh doanh",
    "other": "Khác",
}
#: Occupation groups counted in the seed plan's "over 30 %" share (workers, farmers, direct labourers).
DIRECT_LABOUR_GROUPS = frozenset({"worker", "farmer", "labourer"})
#: Nominations past the council, waiting for the chairman's decision (the 30% share counts them ahead).
AWAITING_DECISION_STATES = ("appraisal", "appraised")
#: A nomination proposed from below leaves the incoming queue once decided or sent further up.
QUEUE_CLOSED_STATES = ("awarded", "refused", "proposed")

AWARD_CATEGORIES = {"title": "Danh hiệu thi đua", "form": "Hình thức khen thưởng"}
BASES = {
    "cong_trang": "Khen thưởng công trạng (thường xuyên, hằng năm)",
    "chuyen_de": "Khen thưởng theo phong trào thi đua, chuyên đề",
    "dot_xuat": "Khen thưởng đột xuất",
    "cong_hien": "Khen thưởng quá trình cống hiến",
    "doi_ngoai": "Khen thưởng đối ngoại",
}
UNIT_LEVELS = {"commune": "Cấp xã", "district": "Cấp huyện, thành phố thuộc tỉnh", "province": "Cấp tỉnh",
               "central": "Trung ương"}
FREEZE_SOURCES = {
    "complaint": "Đơn khiếu nại đang được giải quyết",
    "denunciation": "Đơn tố cáo đang được xác minh",
    "discipline": "Đang xem xét kỷ luật",
    "inspection": "Đang thanh tra, kiểm tra có dấu hiệu vi phạm",
    "objection": "Ý kiến phản ánh khi công khai đang được xác minh",
    "Petition": "Đơn khiếu nại, tố cáo đang được xác minh",
}
OBJECTION_STATUSES = {"open": "Chưa xử lý", "dismissed": "Đã xem xét, không có cơ sở",
                      "forwarded": "Đã chuyển thành đơn thư để xác minh"}
#: The council's result on a nomination (`Nomination.council_result`, `AgendaItem.result`).
COUNCIL_RESULTS = {"approved": "Đồng ý", "rejected": "Không đồng ý"}
#: Steps of a nomination's history that are not transitions of the workflow.
OTHER_STEPS = {"create": "Tạo đề nghị", "received": "Nhận đề nghị từ cấp dưới", "revoke": "Thu hồi khen thưởng"}


def step_label(transition: str) -> str:
    """The history line of a nomination's step (`NominationStep.transition`)."""
    from thiduaweb.awards.workflow import TRANSITIONS

    t = TRANSITIONS.get(transition)
    return t.done_label if t else OTHER_STEPS.get(transition, transition)


# --- Shared, versioned catalogue and rules ----------------------------------------------------

class RegulationVersion(db.Model):
    """A set of rules in force for a period (Nghị định 91/2017, 98/2023, 152/2025, ...)."""

    __tablename__ = "award_regulation_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    #: Rules applying to every award of this version (same shape as `AwardType.requirements`).
    requirements: Mapped[list] = mapped_column(JSON, default=list)

    award_types: Mapped[list[AwardType]] = relationship(back_populates="version", order_by="AwardType.position")

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class AwardType(db.Model):
    """A title (danh hiệu) or a form of commendation (hình thức) as one regulation version defines it.

    `code` is stable across versions ("ldtt", "cstdcs", ...) so the register reads across decrees.
    `requirements` lists the eligibility rules that apply, each with its parameters and article:
    [{"rule": "prerequisite_title", "award": "ldtt", "article": "Luật TĐKT 2022, Điều 23"}, ...].
    """

    __tablename__ = "award_type"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("award_regulation_version.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(160))
    category: Mapped[str] = mapped_column(String(10))  # title | form
    #: Comma-separated nominee kinds: "person", "collective", "household".
    applies_to: Mapped[str] = mapped_column(String(60))
    criteria: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(String(255), default="")
    reward_multiple: Mapped[float | None] = mapped_column(Numeric(6, 2))
    #: Days the list stays posted publicly before appraisal (None: the province default).
    posting_days: Mapped[int | None] = mapped_column(Integer)
    requirements: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)

    version: Mapped[RegulationVersion] = relationship(back_populates="award_types")

    @property
    def kinds(self) -> list[str]:
        return [k for k in self.applies_to.split(",") if k]

    @property
    def applies_to_label(self) -> str:
        return ", ".join(NOMINEE_KINDS.get(k, k) for k in self.kinds)

    @property
    def category_label(self) -> str:
        return AWARD_CATEGORIES.get(self.category, self.category)


class AuthorityRule(db.Model):
    """The chairman at `level` may decide `award_code` under `version` (in `province_code`, or everywhere).

    Rows for a province replace the national default rows of the same version and level.
    """

    __tablename__ = "award_authority_rule"
    __table_args__ = (UniqueConstraint("version_id", "province_code", "level", "award_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("award_regulation_version.id"), index=True)
    province_code: Mapped[str | None] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(20))
    award_code: Mapped[str] = mapped_column(String(40))
    legal_basis: Mapped[str] = mapped_column(String(255), default="")

    version: Mapped[RegulationVersion] = relationship()


class RuleParameter(db.Model):
    """A number the rules use (ratio cap, share target, default posting days), with its source.

    `version_id` None: holds for every version; `province_code` None: national default.
    """

    __tablename__ = "award_rule_parameter"
    __table_args__ = (UniqueConstraint("version_id", "province_code", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("award_regulation_version.id"), index=True)
    province_code: Mapped[str | None] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Numeric(10, 4))
    legal_basis: Mapped[str] = mapped_column(String(255), default="")


# --- Nominees ---------------------------------------------------------------------------------

class Nominee(UnitOwned, db.Model):
    """A person, collective or household that can be nominated; one record across the years."""

    __tablename__ = "nominee"
    __unit_parents__ = {"body_id": "body"}
    #: What the nominations list shows of a nominee (core.revisions.listed_area).
    __listed_columns__ = ("kind", "name", "gender", "sort_key")
    __extra_table_args__ = (
        Index("ix_nominee_unit_id_name_folded", "unit_id", "name_folded"),
        Index("ix_nominee_lineage_key", "lineage_key"),
        Index("ix_nominee_unit_id_sort_key", "unit_id", "sort_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # person | collective | household
    #: A person's full name, a collective's name, or a household head's name.
    name: Mapped[str] = mapped_column(String(160))
    name_folded: Mapped[str] = mapped_column(String(160), default="")
    #: `name_sort_text(name)`, kept by a flush hook: lists sort people by given name in SQL.
    sort_key: Mapped[str] = mapped_column(String(SORT_KEY_LENGTH), default="")
    gender: Mapped[str | None] = mapped_column(String(8))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[str | None] = mapped_column(String(160))
    #: The body (xóm, school, office, ...) a person works in or a household lives in; for a
    #: collective, the body it is.
    body_id: Mapped[int | None] = mapped_column(Integer)
    occupation_group: Mapped[str | None] = mapped_column(String(20))
    #: Private: never on a public page, never in a list.
    identity_number: Mapped[str | None] = mapped_column(String(20))
    #: Members of a collective or household (for collective thresholds and information).
    member_count: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    #: Shared by every copy of this nominee at higher levels: "<unit_id>:<nominee_id>" of the first record.
    lineage_key: Mapped[str] = mapped_column(String(40), default="")
    origin_unit_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: None: kept by the application from another column, not shown in the audit trail.
    __field_labels__ = {
        "kind": "Loại đối tượng", "name": "Họ và tên (tên tập thể, tên chủ hộ)", "name_folded": None, "sort_key": None,
        "gender": "Giới tính", "birth_year": "Năm sinh", "position": "Chức vụ, nghề nghiệp",
        "body_id": "Thôn, xóm, cơ quan", "occupation_group": "Nhóm đối tượng",
        "identity_number": "Số định danh cá nhân", "member_count": "Số thành viên (tập thể, hộ)", "note": "Ghi chú",
        "active": "Đang theo dõi", "lineage_key": None, "origin_unit_id": "Đơn vị lập hồ sơ đầu tiên",
        "created_at": "Thời điểm tạo",
    }
    #: A citizen's identity number is shown on the nominee's page to those who manage nominees only;
    #: the trail, which more people read, keeps its last four digits.
    __audit_masked__ = frozenset({"identity_number"})
    __value_labels__ = {"kind": NOMINEE_KINDS, "gender": GENDERS, "occupation_group": OCCUPATION_GROUPS}

    body: Mapped["Body | None"] = relationship("Body", viewonly=True)

    @property
    def kind_label(self) -> str:
        return NOMINEE_KINDS.get(self.kind, self.kind)

    @property
    def display_name(self) -> str:
        return self.display_name_of(self.kind, self.name, self.gender)

    @staticmethod
    def display_name_of(kind: str, name: str, gender: str | None) -> str:
        if kind == "household":
            return f"Hộ {'bà' if gender == 'female' else 'ông'} {name}"
        return name

    @property
    def occupation_label(self) -> str:
        return OCCUPATION_GROUPS.get(self.occupation_group or "", "")

    @property
    def gender_label(self) -> str:
        return GENDERS.get(self.gender or "", "")

    @property
    def audit_label(self) -> str:
        return self.display_name


class NomineeFreeze(UnitOwned, db.Model):
    """No proposal or decision for the nominee while this is open (NĐ 152/2025 Điều 4)."""

    __tablename__ = "nominee_freeze"
    __unit_parents__ = {"nominee_id": "nominee"}
    __extra_table_args__ = (Index("ix_nominee_freeze_source", "source_type", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_id: Mapped[int] = mapped_column(Integer)
    lineage_key: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text)
    source_type: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    started_by: Mapped[str] = mapped_column(String(120), default="")
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by: Mapped[str | None] = mapped_column(String(120))
    lift_reason: Mapped[str | None] = mapped_column(Text)
    __field_labels__ = {
        "nominee_id": "Đối tượng khen thưởng", "lineage_key": None, "reason": "Lý do",
        "source_type": "Căn cứ tạm dừng", "source_id": "Hồ sơ căn cứ", "started_at": "Thời điểm tạm dừng",
        "started_by": "Người tạm dừng", "lifted_at": "Thời điểm chấm dứt tạm dừng",
        "lifted_by": "Người chấm dứt tạm dừng", "lift_reason": "Lý do chấm dứt tạm dừng",
    }
    __value_labels__ = {"source_type": FREEZE_SOURCES}

    nominee: Mapped[Nominee] = relationship(viewonly=True)

    @property
    def source_label(self) -> str:
        return FREEZE_SOURCES.get(self.source_type, self.source_type)

    @property
    def is_open(self) -> bool:
        return self.lifted_at is None

    @property
    def audit_label(self) -> str:
        return f"Tạm dừng xét khen: {self.source_label}"


# --- Nominations and their workflow -----------------------------------------------------------

class Nomination(UnitOwned, db.Model):
    """A request to confer a title or form on a nominee, and where it stands in the workflow."""

    __tablename__ = "nomination"
    __unit_parents__ = {"nominee_id": "nominee", "proposing_body_id": "body"}
    #: What the nominations list shows, filters and sorts by (core.revisions.listed_area).
    __listed_columns__ = ("year", "state", "nominee_id", "award_type_id", "proposing_body_id", "sort_key")
    __extra_table_args__ = (
        Index("ix_nomination_unit_id_year_state", "unit_id", "year", "state"),
        Index("ix_nomination_unit_id_state", "unit_id", "state"),  # what waits on someone, any year
        Index("ix_nomination_origin", "origin_nomination_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_id: Mapped[int] = mapped_column(Integer)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_type.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    #: The date the rules are judged on (the version in force then applies).
    judged_on: Mapped[date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(20), default="cong_trang")
    #: The movement (phong trào) a thematic award belongs to: id in the movements feature.
    movement_id: Mapped[int | None] = mapped_column(Integer)
    movement_name: Mapped[str | None] = mapped_column(String(255))
    proposing_body_id: Mapped[int | None] = mapped_column(Integer)
    achievements: Mapped[str] = mapped_column(Text, default="")
    #: A recognised initiative (sáng kiến) or accepted science work, with its recognition.
    initiative: Mapped[str | None] = mapped_column(Text)
    #: Collective figures for the thresholds (entered at bình xét).
    members_total: Mapped[int | None] = mapped_column(Integer)
    members_completed: Mapped[int | None] = mapped_column(Integer)
    members_ldtt: Mapped[int | None] = mapped_column(Integer)
    members_cstdcs: Mapped[int | None] = mapped_column(Integer)
    members_disciplined: Mapped[int | None] = mapped_column(Integer)

    state: Mapped[str] = mapped_column(String(20), default="draft")
    #: The nominee's sort key, copied so that the list sorts on one table (kept by the events below).
    sort_key: Mapped[str] = mapped_column(String(SORT_KEY_LENGTH), default="")
    # bình xét
    review_on: Mapped[date | None] = mapped_column(Date)
    voters: Mapped[int | None] = mapped_column(Integer)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    # công khai
    posted_from: Mapped[date | None] = mapped_column(Date)
    posted_to: Mapped[date | None] = mapped_column(Date)
    posting_place: Mapped[str | None] = mapped_column(String(255))
    # thẩm định (issue 5's council session fills council_session_id)
    council_result: Mapped[str | None] = mapped_column(String(20))  # approved | rejected
    council_note: Mapped[str | None] = mapped_column(Text)
    council_session_id: Mapped[int | None] = mapped_column(Integer)
    appraised_on: Mapped[date | None] = mapped_column(Date)
    eligibility: Mapped[dict | None] = mapped_column(JSON)
    # decision
    decision_id: Mapped[int | None] = mapped_column(Integer)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    # upward
    proposal_symbol: Mapped[str | None] = mapped_column(String(40))
    proposed_on: Mapped[date | None] = mapped_column(Date)
    upward_unit_id: Mapped[int | None] = mapped_column(Integer)
    upward_nomination_id: Mapped[int | None] = mapped_column(Integer)
    origin_unit_id: Mapped[int | None] = mapped_column(Integer)
    origin_nomination_id: Mapped[int | None] = mapped_column(Integer)
    origin_proposal_symbol: Mapped[str | None] = mapped_column(String(40))
    return_reason: Mapped[str | None] = mapped_column(Text)

    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    __field_labels__ = {
        "nominee_id": "Người, tập thể, hộ gia đình được đề nghị", "award_type_id": "Danh hiệu, hình thức đề nghị",
        "year": "Năm", "judged_on": "Ngày xét điều kiện", "basis": "Loại hình khen thưởng",
        "movement_id": "Phong trào thi đua", "movement_name": "Tên phong trào thi đua",
        "proposing_body_id": "Đơn vị đề nghị", "achievements": "Tóm tắt thành tích",
        "initiative": "Sáng kiến được công nhận", "members_total": "Tổng số thành viên",
        "members_completed": "Số hoàn thành nhiệm vụ", "members_ldtt": "Số đạt Lao động tiên tiến",
        "members_cstdcs": "Số đạt Chiến sĩ thi đua cơ sở", "members_disciplined": "Số bị kỷ luật từ cảnh cáo trở lên",
        "state": "Trạng thái", "sort_key": None, "review_on": "Ngày họp bình xét", "voters": "Số người biểu quyết",
        "votes_for": "Số phiếu đồng ý", "votes_against": "Số phiếu không đồng ý",
        "posted_from": "Ngày bắt đầu công khai", "posted_to": "Ngày kết thúc công khai",
        "posting_place": "Nơi niêm yết",
        "council_result": "Kết quả thẩm định của Hội đồng", "council_note": "Ý kiến của Hội đồng",
        "council_session_id": "Phiên họp Hội đồng", "appraised_on": "Ngày thẩm định",
        "eligibility": "Kết quả kiểm tra điều kiện", "decision_id": "Quyết định khen thưởng",
        "refusal_reason": "Lý do không khen thưởng", "proposal_symbol": "Số tờ trình",
        "proposed_on": "Ngày ký tờ trình",
        "upward_unit_id": "Trình lên đơn vị", "upward_nomination_id": "Đề nghị ở cấp trên",
        "origin_unit_id": "Đơn vị đề nghị ban đầu", "origin_nomination_id": "Đề nghị ở cấp dưới",
        "origin_proposal_symbol": "Số tờ trình của cấp dưới", "return_reason": "Lý do trả lại",
        "created_by": "Người tạo", "created_at": "Thời điểm tạo", "updated_at": None,  # the entry's own time says it
    }
    __value_labels__ = {"basis": BASES, "state": "thiduaweb.awards.workflow:STATES", "council_result": COUNCIL_RESULTS,
                        "eligibility": "thiduaweb.awards.rules:eligibility_text",
                        "award_type_id": "thiduaweb.awards.rules:award_type_name"}

    award_type: Mapped[AwardType] = relationship()
    nominee: Mapped[Nominee] = relationship(viewonly=True)
    proposing_body: Mapped["Body | None"] = relationship("Body", viewonly=True)

    @property
    def state_label(self) -> str:
        from thiduaweb.awards.workflow import STATES

        return STATES.get(self.state, self.state)

    @property
    def basis_label(self) -> str:
        return BASES.get(self.basis, self.basis)

    @property
    def vote_passed(self) -> bool:
        return bool(self.voters and self.votes_for is not None and self.votes_for * 2 > self.voters)

    @property
    def audit_label(self) -> str:
        name = self.nominee.display_name if self.nominee else f"#{self.nominee_id}"
        return f"{self.award_type.name if self.award_type else ''} {self.year} – {name}"


class NominationStep(UnitOwned, db.Model):
    """One step of a nomination's history: who moved it, when, from where to where, and why."""

    __tablename__ = "nomination_step"
    __unit_parents__ = {"nomination_id": "nomination"}

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(Integer)
    transition: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    __field_labels__ = {
        "nomination_id": "Đề nghị khen thưởng", "transition": "Bước xử lý", "from_state": "Từ trạng thái",
        "to_state": "Sang trạng thái", "actor_id": "Tài khoản người thực hiện", "actor_name": "Người thực hiện",
        "at": "Thời điểm", "reason": "Lý do", "data": "Chi tiết",
    }
    __value_labels__ = {"transition": step_label, "from_state": "thiduaweb.awards.workflow:STATES",
                        "to_state": "thiduaweb.awards.workflow:STATES"}

    @property
    def label(self) -> str:
        return step_label(self.transition)


class Objection(UnitOwned, db.Model):
    """An opinion received while a nomination is posted publicly (công khai)."""

    __tablename__ = "nomination_objection"
    __unit_parents__ = {"nomination_id": "nomination"}

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    #: Private: the sender's name and contact are never shown publicly.
    sender_name: Mapped[str | None] = mapped_column(String(120))
    sender_contact: Mapped[str | None] = mapped_column(String(160))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The petition the complaints desk opened for it, when forwarded.
    petition_id: Mapped[int | None] = mapped_column(Integer)
    __field_labels__ = {
        "nomination_id": "Đề nghị khen thưởng", "received_at": "Thời điểm nhận", "sender_name": "Họ và tên người gửi",
        "sender_contact": "Điện thoại hoặc địa chỉ liên hệ", "content": "Nội dung ý kiến", "status": "Tình trạng",
        "resolution": "Nội dung xem xét", "resolved_by": "Người xem xét", "resolved_at": "Thời điểm xem xét",
        "petition_id": "Đơn thư được chuyển",
    }
    __value_labels__ = {"status": OBJECTION_STATUSES}

    @property
    def status_label(self) -> str:
        return OBJECTION_STATUSES.get(self.status, self.status)

    @property
    def audit_label(self) -> str:
        return f"Ý kiến về đề nghị #{self.nomination_id}"


# --- Decisions and the register ---------------------------------------------------------------

class Decision(UnitOwned, db.Model):
    """A decision (quyết định khen thưởng) signed by the unit's chairman; it lists one or more awards."""

    __tablename__ = "award_decision"
    __extra_table_args__ = (Index("ix_award_decision_unit_id_decided_on", "unit_id", "decided_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number_symbol: Mapped[str] = mapped_column(String(40))
    issued_number_id: Mapped[int | None] = mapped_column(Integer)
    decided_on: Mapped[date] = mapped_column(Date)
    signer_id: Mapped[int | None] = mapped_column(Integer)
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {"number_symbol": "Số, ký hiệu", "issued_number_id": "Số văn bản đã cấp",
                        "decided_on": "Ngày ký quyết định", "signer_id": "Tài khoản người ký",
                        "signer_name": "Người ký", "title": "Trích yếu", "created_at": "Thời điểm tạo"}

    awards: Mapped[list[Award]] = relationship(viewonly=True, order_by="Award.id")


class Award(UnitOwned, db.Model):
    """One entry of the register (sổ khen thưởng): a title or form conferred by a decision."""

    __tablename__ = "award"
    __unit_parents__ = {"decision_id": "award_decision", "nominee_id": "nominee"}
    __extra_table_args__ = (
        Index("ix_award_unit_id_year", "unit_id", "year"),
        Index("ix_award_lineage_key", "lineage_key"),
        Index("ix_award_home_unit_id", "home_unit_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(Integer)
    nominee_id: Mapped[int] = mapped_column(Integer)
    nomination_id: Mapped[int | None] = mapped_column(Integer)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_type.id"), index=True)
    award_code: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(20), default="cong_trang")
    # Snapshots for the register and the public lists (they stay as they were on the day).
    nominee_name: Mapped[str] = mapped_column(String(160))
    #: `name_sort_text(nominee_name)`, kept by a flush hook (the register sorts by given name in SQL).
    sort_key: Mapped[str] = mapped_column(String(SORT_KEY_LENGTH), default="")
    nominee_kind: Mapped[str] = mapped_column(String(12))
    body_name: Mapped[str | None] = mapped_column(String(160))
    occupation_group: Mapped[str | None] = mapped_column(String(20))
    reward_multiple: Mapped[float | None] = mapped_column(Numeric(6, 2))
    lineage_key: Mapped[str] = mapped_column(String(40), default="")
    #: The unit the nominee's first record belongs to (a commune's people awarded by the city).
    home_unit_id: Mapped[int] = mapped_column(Integer)
    #: Revocation (thu hồi) comes with issue 5; a revoked award leaves the public lists.
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    __field_labels__ = {
        "decision_id": "Quyết định khen thưởng", "nominee_id": "Đối tượng khen thưởng",
        "nomination_id": "Đề nghị khen thưởng", "award_type_id": "Danh hiệu, hình thức",
        "award_code": "Danh hiệu, hình thức (theo danh mục)", "year": "Năm", "basis": "Loại hình khen thưởng",
        "nominee_name": "Họ và tên, tên tập thể", "sort_key": None, "nominee_kind": "Loại đối tượng",
        "body_name": "Thôn, xóm, cơ quan", "occupation_group": "Nhóm đối tượng",
        "reward_multiple": "Hệ số tiền thưởng (lần lương cơ sở)", "lineage_key": None,
        "home_unit_id": "Đơn vị lập hồ sơ đầu tiên", "revoked_on": "Ngày thu hồi", "revoke_reason": "Lý do thu hồi",
    }
    __value_labels__ = {"basis": BASES, "nominee_kind": NOMINEE_KINDS, "occupation_group": OCCUPATION_GROUPS,
                        "award_code": "thiduaweb.awards.rules:award_name",
                        "award_type_id": "thiduaweb.awards.rules:award_type_name"}

    award_type: Mapped[AwardType] = relationship()
    decision: Mapped[Decision] = relationship(viewonly=True)

    @property
    def nominee_kind_label(self) -> str:
        return NOMINEE_KINDS.get(self.nominee_kind, self.nominee_kind)

    @property
    def audit_label(self) -> str:
        return f"{self.award_type.name if self.award_type else self.award_code} {self.year} – {self.nominee_name}"


# --- Issue 5: the council, the paperwork, award season ----------------------------------------------

COUNCIL_ROLES = {"chair": "Chủ tịch Hội đồng", "deputy": "Phó Chủ tịch Hội đồng", "secretary": "Thư ký Hội đồng",
                 "member": "Ủy viên"}
VOTE_METHODS = {"open": "Biểu quyết công khai (giơ tay)", "secret": "Bỏ phiếu kín"}
VOTE_CHOICES = {"for": "Đồng ý", "against": "Không đồng ý", "abstain": "Không biểu quyết"}
FUND_KINDS = {"income": "Thu (trích lập, hỗ trợ, đóng góp)", "payment": "Chi tiền thưởng",
              "recovery": "Thu hồi tiền thưởng"}
CHANGE_KINDS = {"amend": "Sửa đổi, đính chính", "revoke": "Thu hồi, hủy bỏ"}
SESSION_STATES = {"open": "Đang họp", "closed": "Đã kết thúc"}


def _recused_text(recused) -> str | None:
    """Who did not vote on an agenda item, as the audit trail shows it."""
    if not isinstance(recused, list):
        return None
    return "; ".join(f"Thành viên #{r.get('member_id')}: {r.get('reason') or ''}".rstrip(": ")
                     if isinstance(r, dict) else str(r) for r in recused) or "Không có"


def _outcome_text(outcome) -> str | None:
    """A vote's outcome as the audit trail shows it: its conclusion ("Đạt: 5 phiếu đồng ý, cần 4/7.")."""
    return outcome.get("reason") if isinstance(outcome, dict) else None


class VoteThreshold(db.Model):
    """How a council vote passes, per regulation version (and province), for one award or by default.

    `base` "members": the share counts every member of the council; "present": the members present
    and voting. `strict`: more than the share ("quá nửa"); otherwise at least it ("từ 90%").
    `quorum` is the share of members who must attend for the session to decide.
    """

    __tablename__ = "award_vote_threshold"
    __table_args__ = (UniqueConstraint("version_id", "province_code", "award_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("award_regulation_version.id"), index=True)
    province_code: Mapped[str | None] = mapped_column(String(10))
    #: None: the default for every award of the version.
    award_code: Mapped[str | None] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(10), default="open")
    base: Mapped[str] = mapped_column(String(10), default="present")
    share: Mapped[float] = mapped_column(Numeric(6, 4))
    strict: Mapped[bool] = mapped_column(default=True)
    quorum: Mapped[float] = mapped_column(Numeric(6, 4))
    legal_basis: Mapped[str] = mapped_column(String(255), default="")

    @property
    def description(self) -> str:
        whom = "tổng số thành viên Hội đồng" if self.base == "members" else "số thành viên có mặt biểu quyết"
        share = f"{float(self.share) * 100:g}%".replace(".", ",")
        rule = f"trên {share}" if self.strict else f"từ {share} trở lên"
        if float(self.share) == 0.5 and self.strict:
            rule = "quá nửa"
        quorum = f"{float(self.quorum) * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return (f"{VOTE_METHODS.get(self.method, self.method)}; đồng ý {rule} {whom}; "
                f"phiên họp cần ít nhất {quorum}% thành viên dự")


class BaseSalary(db.Model):
    """The base salary (lương cơ sở) in force from a date: shared national data."""

    __tablename__ = "award_base_salary"

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, unique=True)
    amount: Mapped[int] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(String(255), default="")


class Council(UnitOwned, db.Model):
    """A unit's Hội đồng Thi đua – Khen thưởng for one term."""

    __tablename__ = "award_council"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    established_by: Mapped[str | None] = mapped_column(String(120))
    term_from: Mapped[date] = mapped_column(Date)
    term_to: Mapped[date | None] = mapped_column(Date)
    __field_labels__ = {"name": "Tên Hội đồng", "established_by": "Quyết định thành lập",
                        "term_from": "Nhiệm kỳ từ ngày", "term_to": "Nhiệm kỳ đến ngày"}

    members: Mapped[list[CouncilMember]] = relationship(viewonly=True, order_by="CouncilMember.position")

    def is_valid_on(self, day: date) -> bool:
        return self.term_from <= day and (self.term_to is None or day <= self.term_to)

    def members_on(self, day: date) -> list[CouncilMember]:
        return [m for m in self.members if m.is_valid_on(day)]

    @property
    def audit_label(self) -> str:
        return self.name


class CouncilMember(UnitOwned, db.Model):
    """A member of the council with a role and a term; linked to their own and their household's
    nominee records so that they never vote on themselves or their household."""

    __tablename__ = "award_council_member"
    __unit_parents__ = {"council_id": "award_council"}

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(Integer)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12), default="member")
    position: Mapped[int] = mapped_column(Integer, default=0)
    job_title: Mapped[str | None] = mapped_column(String(160))
    term_from: Mapped[date] = mapped_column(Date)
    term_to: Mapped[date | None] = mapped_column(Date)
    nominee_id: Mapped[int | None] = mapped_column(Integer)
    household_nominee_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)
    __field_labels__ = {
        "council_id": "Hội đồng", "full_name": "Họ và tên", "role": "Vai trò trong Hội đồng", "position": "Thứ tự",
        "job_title": "Chức vụ", "term_from": "Từ ngày", "term_to": "Đến ngày",
        "nominee_id": "Là đối tượng khen thưởng", "household_nominee_id": "Hộ gia đình của thành viên",
        "user_id": "Tài khoản người dùng",
    }
    __value_labels__ = {"role": COUNCIL_ROLES}

    @property
    def role_label(self) -> str:
        return COUNCIL_ROLES.get(self.role, self.role)

    def is_valid_on(self, day: date) -> bool:
        return self.term_from <= day and (self.term_to is None or day <= self.term_to)

    @property
    def audit_label(self) -> str:
        return f"{self.full_name} ({self.role_label})"


class CouncilSession(UnitOwned, db.Model):
    """A meeting of the council: date, place, who attended, the nominations on its agenda."""

    __tablename__ = "award_council_session"
    __unit_parents__ = {"council_id": "award_council"}

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    minutes_symbol: Mapped[str | None] = mapped_column(String(40))
    minutes_number_id: Mapped[int | None] = mapped_column(Integer)
    closed_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {"council_id": "Hội đồng", "held_on": "Ngày họp", "place": "Địa điểm", "content": "Nội dung",
                        "state": "Tình trạng", "minutes_symbol": "Số biên bản",
                        "minutes_number_id": "Số văn bản đã cấp", "closed_by": "Người kết thúc phiên họp",
                        "created_at": "Thời điểm tạo"}
    __value_labels__ = {"state": SESSION_STATES}

    council: Mapped[Council] = relationship(viewonly=True)
    attendance: Mapped[list[SessionAttendance]] = relationship(viewonly=True)
    items: Mapped[list[AgendaItem]] = relationship(viewonly=True, order_by="AgendaItem.position")

    @property
    def state_label(self) -> str:
        return SESSION_STATES["closed"] if self.state == "closed" else SESSION_STATES["open"]

    @property
    def present_ids(self) -> set[int]:
        return {a.member_id for a in self.attendance if a.present}

    @property
    def audit_label(self) -> str:
        return f"Phiên họp Hội đồng ngày {self.held_on.strftime('%d/%m/%Y')}"


class SessionAttendance(UnitOwned, db.Model):
    __tablename__ = "award_session_attendance"
    __unit_parents__ = {"session_id": "award_council_session", "member_id": "award_council_member"}
    __extra_table_args__ = (UniqueConstraint("session_id", "member_id", name="uq_award_session_attendance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(Integer)
    present: Mapped[bool] = mapped_column(default=True)
    absence_reason: Mapped[str | None] = mapped_column(String(255))
    __field_labels__ = {"session_id": "Phiên họp", "member_id": "Thành viên", "present": "Có mặt",
                        "absence_reason": "Lý do vắng mặt"}


class AgendaItem(UnitOwned, db.Model):
    """One nomination before the council, the vote on it and its result."""

    __tablename__ = "award_agenda_item"
    __unit_parents__ = {"session_id": "award_council_session", "nomination_id": "nomination"}
    __extra_table_args__ = (UniqueConstraint("session_id", "nomination_id", name="uq_award_agenda_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer)
    nomination_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    method: Mapped[str | None] = mapped_column(String(10))
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_blank: Mapped[int | None] = mapped_column(Integer)
    #: Members who did not vote on this item (conflict of interest), with why.
    recused: Mapped[list] = mapped_column(JSON, default=list)
    #: The outcome as computed on the day: quorum, base, needed, article.
    outcome: Mapped[dict | None] = mapped_column(JSON)
    result: Mapped[str | None] = mapped_column(String(10))  # approved | rejected
    note: Mapped[str | None] = mapped_column(Text)
    __field_labels__ = {
        "session_id": "Phiên họp", "nomination_id": "Đề nghị khen thưởng", "position": "Thứ tự",
        "method": "Hình thức biểu quyết", "votes_for": "Số phiếu đồng ý", "votes_against": "Số phiếu không đồng ý",
        "votes_blank": "Số phiếu trắng, không hợp lệ", "recused": "Thành viên không biểu quyết",
        "outcome": "Kết quả theo quy định", "result": "Kết quả biểu quyết", "note": "Ý kiến thảo luận",
    }
    __value_labels__ = {"method": VOTE_METHODS, "result": COUNCIL_RESULTS, "recused": _recused_text,
                        "outcome": _outcome_text}

    nomination: Mapped[Nomination] = relationship(viewonly=True)
    votes: Mapped[list[MemberVote]] = relationship(viewonly=True)

    @property
    def result_label(self) -> str:
        return COUNCIL_RESULTS.get(self.result or "", "Chưa biểu quyết")


class MemberVote(UnitOwned, db.Model):
    """A member's open vote on one agenda item (a secret ballot keeps only the tallies)."""

    __tablename__ = "award_member_vote"
    __unit_parents__ = {"item_id": "award_agenda_item", "member_id": "award_council_member"}
    __extra_table_args__ = (UniqueConstraint("item_id", "member_id", name="uq_award_member_vote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(Integer)
    vote: Mapped[str] = mapped_column(String(10))
    __field_labels__ = {"item_id": "Đề nghị trong phiên họp", "member_id": "Thành viên", "vote": "Biểu quyết"}
    __value_labels__ = {"vote": VOTE_CHOICES}


class CertificateLayout(UnitOwned, db.Model):
    """Where each field is printed on the unit's pre-printed Giấy khen blanks (millimetres from the
    top-left corner of the sheet), and the sheet's size."""

    __tablename__ = "award_certificate_layout"
    __extra_table_args__ = (UniqueConstraint("unit_id", name="uq_award_certificate_layout_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_width_mm: Mapped[int] = mapped_column(Integer, default=297)
    page_height_mm: Mapped[int] = mapped_column(Integer, default=210)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    print_labels: Mapped[bool] = mapped_column(default=False)
    __field_labels__ = {"page_width_mm": "Chiều rộng tờ giấy (mm)", "page_height_mm": "Chiều cao tờ giấy (mm)",
                        "fields": "Vị trí các trường", "print_labels": "In kèm tên trường"}
    __value_labels__ = {"fields": "thiduaweb.awards.paperwork:layout_fields_text"}

    @property
    def audit_label(self) -> str:
        return "Vị trí in Giấy khen"


class DecisionChange(UnitOwned, db.Model):
    """An amendment or a revocation of a decision (itself a numbered decision), with its reason."""

    __tablename__ = "award_decision_change"
    __unit_parents__ = {"decision_id": "award_decision"}

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    number_symbol: Mapped[str] = mapped_column(String(40))
    issued_number_id: Mapped[int | None] = mapped_column(Integer)
    decided_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    award_ids: Mapped[list] = mapped_column(JSON, default=list)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    amount_to_recover: Mapped[int] = mapped_column(Integer, default=0)
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __field_labels__ = {
        "decision_id": "Quyết định khen thưởng", "kind": "Loại", "number_symbol": "Số, ký hiệu",
        "issued_number_id": "Số văn bản đã cấp", "decided_on": "Ngày ký", "reason": "Lý do",
        "award_ids": "Các khen thưởng", "changes": "Nội dung sửa đổi",
        "amount_to_recover": "Tiền thưởng phải thu hồi (đồng)", "actor_name": "Người thực hiện",
        "created_at": "Thời điểm tạo",
    }
    __value_labels__ = {"kind": CHANGE_KINDS, "amount_to_recover": format_number}

    @property
    def kind_label(self) -> str:
        return CHANGE_KINDS.get(self.kind, self.kind)

    @property
    def audit_label(self) -> str:
        return f"{self.kind_label} quyết định: {self.number_symbol}"


class FundEntry(UnitOwned, db.Model):
    """A line of the unit's quỹ thi đua, khen thưởng: money in, reward payments, recoveries."""

    __tablename__ = "award_fund_entry"
    __extra_table_args__ = (Index("ix_award_fund_entry_unit_year", "unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    entry_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(255))
    decision_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    __field_labels__ = {"year": "Năm", "entry_on": "Ngày", "kind": "Loại", "amount": "Số tiền (đồng)",
                        "description": "Nội dung", "decision_id": "Quyết định khen thưởng", "created_by": "Người ghi"}
    __value_labels__ = {"kind": FUND_KINDS, "amount": format_number}

    @property
    def kind_label(self) -> str:
        return FUND_KINDS.get(self.kind, self.kind)

    @property
    def signed_amount(self) -> int:
        return -self.amount if self.kind == "payment" else self.amount

    @property
    def audit_label(self) -> str:
        return f"{self.kind_label}: {self.description}"


@event.listens_for(Nominee, "before_insert")
@event.listens_for(Nominee, "before_update")
def _nominee_sort_key(mapper, connection, target: Nominee) -> None:
    target.sort_key = name_sort_text(target.name)


@event.listens_for(Nominee, "after_update")
def _nominee_renamed(mapper, connection, target: Nominee) -> None:
    """A renamed nominee's nominations take its new sort key (derived data: not audited, same unit)."""
    if inspect(target).attrs.sort_key.history.has_changes():
        connection.execute(update(Nomination.__table__).where(
            Nomination.__table__.c.unit_id == target.unit_id, Nomination.__table__.c.nominee_id == target.id)
            .values(sort_key=target.sort_key))


@event.listens_for(Nomination, "before_insert")
@event.listens_for(Nomination, "before_update")
def _nomination_sort_key(mapper, connection, target: Nomination) -> None:
    state = inspect(target)
    if state.persistent and not state.attrs.nominee_id.history.has_changes():
        return
    nominee = Nominee.__table__
    target.sort_key = (select(nominee.c.sort_key).where(nominee.c.id == target.nominee_id,
                                                        nominee.c.unit_id == target.unit_id).scalar_subquery())


@event.listens_for(Award, "before_insert")
@event.listens_for(Award, "before_update")
def _award_sort_key(mapper, connection, target: Award) -> None:
    target.sort_key = name_sort_text(target.nominee_name)
