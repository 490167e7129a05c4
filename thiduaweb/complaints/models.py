"""Đơn thư: complaints, denunciations, petitions and reports, their history and their deadlines.

Deadline rules are data (`DeadlineRule`): each row cites its article and carries its effective
period, so a change of law is a new row, not new code. A unit declares its extra days off
(`DayOff`) and whether the periods the law counts in "ngày" are calendar or working days
(`ComplaintSetting`).
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thiduaweb.core import clock
from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db

KINDS = {
    "complaint": "Khiếu nại",
    "denunciation": "Tố cáo",
    "petition": "Kiến nghị",
    "report": "Phản ánh",
}

STATUSES = {
    "received": "Mới nhận, chờ phân loại",
    "accepted": "Đã thụ lý, đang giải quyết",
    "inspection": "Đang kiểm tra, xác minh (đơn nặc danh)",
    "answered": "Đã trả lời / có quyết định",
    "refused": "Không thụ lý",
    "forwarded": "Đã chuyển đơn",
    "guided": "Đã hướng dẫn",
    "filed": "Lưu đơn",
    "withdrawn": "Đã rút đơn",
    "closed": "Đã kết thúc",
}
INSTANCES = {1: "Lần đầu", 2: "Lần hai"}
#: Statuses in which a deadline runs.
OPEN_STATUSES = ("received", "accepted", "inspection")
#: Statuses after which nothing more happens in this unit.
FINAL_STATUSES = ("refused", "forwarded", "guided", "filed", "withdrawn", "closed")

CHANNELS = {
    "online": "Gửi trực tuyến",
    "direct": "Nộp trực tiếp",
    "post": "Qua bưu điện",
    "forwarded": "Do cơ quan khác chuyển đến",
    "second_instance": "Khiếu nại lần hai",
}

STAGES = {
    "accept": "Phân loại, thụ lý",
    "notify": "Thông báo thụ lý",
    "resolve": "Giải quyết",
    "extend": "Gia hạn",
    "process": "Xử lý đơn",
    "appeal": "Thời hạn khiếu nại lần hai",
}

VARIANTS = {
    "normal": "Thông thường",
    "complex": "Vụ việc phức tạp",
    "remote": "Vùng sâu, vùng xa",
    "remote_complex": "Vùng sâu, vùng xa, phức tạp",
    "several_places": "Xác minh ở nhiều nơi",
}


def _now() -> datetime:
    return datetime.now(timezone.utc)


class DeadlineRule(db.Model):
    """One period the law sets: kind × instance × stage × variant, in force over a period.

    `counting` is "working" when the law says "ngày làm việc", "calendar" when it says "ngày"
    (a unit may then choose to count working days instead: `ComplaintSetting`).
    """

    __tablename__ = "petition_deadline_rule"
    __table_args__ = (UniqueConstraint("kind", "instance", "stage", "variant", "effective_from",
                                       name="uq_petition_deadline_rule_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    instance: Mapped[int] = mapped_column(Integer, default=1)
    stage: Mapped[str] = mapped_column(String(20))
    variant: Mapped[str] = mapped_column(String(20), default="normal")
    days: Mapped[int] = mapped_column(Integer)
    counting: Mapped[str] = mapped_column(String(10), default="calendar")  # calendar | working
    #: How many extensions of `days` the law allows at this stage (tố cáo: 1 or 2 of 30 days).
    max_extensions: Mapped[int] = mapped_column(Integer, default=0)
    citation: Mapped[str] = mapped_column(String(255))
    regulation: Mapped[str] = mapped_column(String(160))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)

    @property
    def counting_label(self) -> str:
        return "ngày làm việc" if self.counting == "working" else "ngày"


class ComplaintSetting(UnitOwned, db.Model):
    """A unit's choices: count the law's "ngày" as working days; the service level of petitions."""

    __tablename__ = "complaint_setting"
    __extra_table_args__ = (UniqueConstraint("unit_id", name="uq_complaint_setting_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    count_working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    __field_labels__ = {"count_working_days": "Tính các thời hạn theo ngày làm việc"}

    @property
    def audit_label(self) -> str:
        return "Cách tính thời hạn đơn thư"


class DayOff(UnitOwned, db.Model):
    """An extra day off a unit declares for a year (a day the government gives, a bridge day)."""

    __tablename__ = "unit_day_off"
    __extra_table_args__ = (UniqueConstraint("unit_id", "day", name="uq_unit_day_off_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    __field_labels__ = {"day": "Ngày nghỉ", "reason": "Căn cứ"}

    @property
    def audit_label(self) -> str:
        return f"Ngày nghỉ {self.day.strftime('%d/%m/%Y')}"


class Petition(UnitOwned, db.Model):
    """One đơn in one unit's hands. A forwarded or second-instance đơn is a new row in the
    receiving unit, linked to the first (`origin_id`, `origin_unit_id`), with the same tracking
    code so the citizen follows it."""

    __tablename__ = "petition"
    __extra_table_args__ = (
        UniqueConstraint("unit_id", "tracking_code", name="uq_petition_unit_code"),
        Index("ix_petition_unit_id_status_due", "unit_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    instance: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="received")
    channel: Mapped[str] = mapped_column(String(20), default="online")
    subject: Mapped[str] = mapped_column(String(255))
    content: Mapped[str] = mapped_column(Text)
    #: Who filed: secret for a denunciation (only the handler and the chairman see it).
    filer_name: Mapped[str | None] = mapped_column(String(120))
    filer_address: Mapped[str | None] = mapped_column(String(255))
    filer_phone: Mapped[str | None] = mapped_column(String(20))
    filer_email: Mapped[str | None] = mapped_column(String(160))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Folded text for diacritic-free search (never the identity of a denouncer).
    search_text: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[date] = mapped_column(Date)
    is_complex: Mapped[bool] = mapped_column(Boolean, default=False)
    several_places: Mapped[bool] = mapped_column(Boolean, default=False)
    remote_area: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Optional references to the awards module (a nomination, an award decision).
    nomination_id: Mapped[int | None] = mapped_column(Integer)
    decision_id: Mapped[int | None] = mapped_column(Integer)
    freeze_applied: Mapped[bool] = mapped_column(Boolean, default=False)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    accepted_on: Mapped[date | None] = mapped_column(Date)
    #: The current stage's deadline (None when no clock runs).
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    due_rule_id: Mapped[int | None] = mapped_column(ForeignKey("petition_deadline_rule.id"))
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    guidance: Mapped[str | None] = mapped_column(Text)
    accept_symbol: Mapped[str | None] = mapped_column(String(40))
    refusal_symbol: Mapped[str | None] = mapped_column(String(40))
    answer_text: Mapped[str | None] = mapped_column(Text)
    answer_symbol: Mapped[str | None] = mapped_column(String(40))
    answered_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    #: The clock stopped (withdrawal): the days left when it stopped.
    stopped_days_left: Mapped[int | None] = mapped_column(Integer)
    forwarded_to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    origin_id: Mapped[int | None] = mapped_column(Integer)
    origin_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: The filer's identity and the search text are never copied into the trail (below).
    __field_labels__ = {
        "tracking_code": "Mã tra cứu", "kind": "Loại đơn", "instance": "Lần giải quyết", "status": "Tình trạng",
        "channel": "Hình thức nhận", "subject": "Tiêu đề", "content": "Nội dung đơn", "anonymous": "Đơn không ghi tên",
        "received_on": "Ngày nhận đơn", "is_complex": "Vụ việc phức tạp", "several_places": "Cần xác minh ở nhiều nơi",
        "remote_area": "Vùng sâu, vùng xa", "nomination_id": "Đề nghị khen thưởng liên quan",
        "decision_id": "Quyết định khen thưởng liên quan", "freeze_applied": "Đã tạm dừng xét khen thưởng",
        "handler_id": "Người xử lý", "accepted_on": "Ngày thụ lý", "due_on": "Hạn giải quyết",
        "due_rule_id": "Quy định về thời hạn", "extensions": "Số lần gia hạn", "refusal_reason": "Lý do không thụ lý",
        "guidance": "Nội dung hướng dẫn", "accept_symbol": "Số thông báo thụ lý",
        "refusal_symbol": "Số thông báo không thụ lý", "answer_text": "Nội dung trả lời / quyết định",
        "answer_symbol": "Số văn bản trả lời / quyết định", "answered_on": "Ngày trả lời", "closed_on": "Ngày kết thúc",
        "withdrawn_on": "Ngày rút đơn", "stopped_days_left": "Số ngày còn lại khi dừng tính hạn",
        "forwarded_to_unit_id": "Chuyển đến đơn vị", "origin_id": "Đơn gốc", "origin_unit_id": "Đơn vị có đơn gốc",
        "created_at": "Thời điểm tạo",
    }
    __value_labels__ = {"kind": KINDS, "status": STATUSES, "channel": CHANNELS, "instance": INSTANCES}

    handler: Mapped["User | None"] = relationship(foreign_keys=[handler_id])  # noqa: F821
    unit: Mapped["Unit"] = relationship(foreign_keys="Petition.unit_id")  # noqa: F821
    forwarded_to_unit: Mapped["Unit | None"] = relationship(foreign_keys=[forwarded_to_unit_id])  # noqa: F821
    origin_unit: Mapped["Unit | None"] = relationship(foreign_keys=[origin_unit_id])  # noqa: F821
    due_rule: Mapped[DeadlineRule | None] = relationship()
    events: Mapped[list[PetitionEvent]] = relationship(
        back_populates="petition", order_by="PetitionEvent.id", cascade="all, delete-orphan",
        primaryjoin="and_(Petition.id == foreign(PetitionEvent.petition_id), "
                    "Petition.unit_id == PetitionEvent.unit_id)")

    @property
    def audit_label(self) -> str:
        return f"Đơn {KINDS.get(self.kind, self.kind).lower()} {self.display_code}"

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        if self.status == "answered" and self.kind == "complaint":
            return "Đã có quyết định giải quyết"
        return STATUSES.get(self.status, self.status)

    @property
    def display_code(self) -> str:
        code = self.tracking_code or ""
        return "-".join(code[i:i + 4] for i in range(0, len(code), 4))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def identity_protected(self) -> bool:
        """A denouncer's identity is secret (Luật Tố cáo; TT 04/2021)."""
        return self.kind == "denunciation"

    @property
    def instance_label(self) -> str:
        return INSTANCES[2] if self.instance == 2 else INSTANCES[1]


class PetitionEvent(UnitOwned, db.Model):
    """One step in a đơn's history. `public` steps are what the citizen sees with the code."""

    __tablename__ = "petition_event"
    __unit_parents__ = {"petition_id": "petition"}

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    on: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(120), default="")
    #: The officers' text (internal notes, reasons).
    note: Mapped[str | None] = mapped_column(Text)
    #: What the citizen is told on the status page; None = internal step.
    public_text: Mapped[str | None] = mapped_column(Text)
    #: Copied from the đơn's earlier file in another unit (forwarding, second instance).
    copied_from_unit: Mapped[str | None] = mapped_column(String(120))
    __field_labels__ = {
        "petition_id": "Đơn", "at": "Thời điểm", "on": "Ngày", "action": "Bước xử lý", "from_status": "Từ tình trạng",
        "to_status": "Sang tình trạng", "actor_id": "Tài khoản người thực hiện", "actor_name": "Người thực hiện",
        "note": "Ghi chú", "public_text": "Nội dung người gửi đơn xem được",
        "copied_from_unit": "Sao từ hồ sơ của đơn vị",
    }
    __value_labels__ = {"action": "thiduaweb.complaints.models:ACTIONS", "from_status": STATUSES, "to_status": STATUSES}

    petition: Mapped[Petition] = relationship(
        back_populates="events",
        primaryjoin="and_(Petition.id == foreign(PetitionEvent.petition_id), "
                    "Petition.unit_id == PetitionEvent.unit_id)")

    @property
    def audit_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def is_public(self) -> bool:
        return bool(self.public_text)


ACTIONS = {
    "file": "Tiếp nhận đơn",
    "accept": "Thụ lý",
    "refuse": "Không thụ lý",
    "forward": "Chuyển đơn",
    "receive_forwarded": "Nhận đơn được chuyển đến",
    "guide": "Hướng dẫn",
    "record": "Lưu đơn nặc danh",
    "inspect": "Chuyển kiểm tra, xác minh",
    "assign": "Phân công người xử lý",
    "note": "Ghi chú nội bộ",
    "extend": "Gia hạn",
    "answer": "Trả lời / ra quyết định",
    "close": "Kết thúc",
    "withdraw": "Rút đơn",
    "escalate": "Khiếu nại lần hai",
    "receive_second": "Nhận khiếu nại lần hai",
}


def _keep_identity_out_of_the_audit_trail() -> None:
    """A denouncer's identity must not leak through the automatic change log (TT 04/2021)."""
    from thiduaweb.core import audit

    audit.SECRET_FIELDS.update({"filer_name", "filer_address", "filer_phone", "filer_email", "search_text"})


_keep_identity_out_of_the_audit_trail()
