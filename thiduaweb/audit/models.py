"""Audit entries. Written by core.audit from session events; never edited by the application."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db

ACTION_LABELS = {
    "create": "Tạo mới",
    "update": "Sửa",
    "delete": "Xóa",
}


#: Object type → Vietnamese name; features add theirs.
OBJECT_LABELS = {
    "User": "Người dùng",
    "Body": "Thôn, xóm, cơ quan",
    "Unit": "Đơn vị",
    "Attachment": "Tệp đính kèm",
    "IssuedNumber": "Số văn bản",
}
OBJECT_LABELS.update({  # plans and movements
    "Plan": "Kế hoạch", "PlanItem": "Mục kế hoạch", "PlanHistory": "Quá trình kế hoạch",
    "Movement": "Phong trào thi đua", "MovementBody": "Đơn vị tham gia phong trào", "Target": "Chỉ tiêu",
    "ProgressReport": "Báo cáo tiến độ", "Review": "Sơ kết, tổng kết", "ReviewResult": "Kết quả theo chỉ tiêu",
    "Achievement": "Thành tích tiêu biểu", "Registration": "Đăng ký thi đua", "Compact": "Giao ước thi đua",
})
ACTION_LABELS.update({"plan.issue": "Ban hành kế hoạch", "plan.supersede": "Thay thế kế hoạch",
                      "plan.adopt": "Tiếp nhận kế hoạch cấp trên"})
OBJECT_LABELS.update({  # complaints desk
    "Petition": "Đơn thư", "PetitionEvent": "Bước xử lý đơn", "DayOff": "Ngày nghỉ khai báo",
    "ComplaintSetting": "Cách tính thời hạn đơn thư",
})
ACTION_LABELS.update({  # complaints desk
    "petition.file": "Tiếp nhận đơn", "petition.accept": "Thụ lý đơn", "petition.refuse": "Không thụ lý đơn",
    "petition.forward": "Chuyển đơn", "petition.receive_forwarded": "Nhận đơn chuyển đến",
    "petition.guide": "Hướng dẫn người gửi đơn", "petition.record": "Lưu đơn nặc danh",
    "petition.inspect": "Chuyển kiểm tra, xác minh", "petition.assign": "Phân công xử lý đơn",
    "petition.note": "Ghi chú nội bộ về đơn", "petition.extend": "Gia hạn giải quyết đơn",
    "petition.answer": "Trả lời, ra quyết định về đơn", "petition.close": "Kết thúc đơn",
    "petition.withdraw": "Rút đơn", "petition.escalate": "Khiếu nại lần hai",
    "petition.receive_second": "Nhận khiếu nại lần hai", "petition.identity_view": "Xem danh tính người tố cáo",
})
OBJECT_LABELS.update({  # awards
    "Nominee": "Đối tượng khen thưởng", "NomineeFreeze": "Tạm dừng xét khen thưởng",
    "Nomination": "Đề nghị khen thưởng", "NominationStep": "Bước xử lý đề nghị", "Objection": "Ý kiến khi công khai",
    "Decision": "Quyết định khen thưởng", "Award": "Sổ khen thưởng",
})
ACTION_LABELS.update({  # awards
    "nomination.submit": "Gửi đề nghị khen thưởng", "nomination.record_vote": "Ghi kết quả bình xét",
    "nomination.post": "Niêm yết công khai", "nomination.start_appraisal": "Chuyển thẩm định",
    "nomination.appraise": "Thẩm định đề nghị", "nomination.decide": "Quyết định khen thưởng",
    "nomination.propose": "Trình cấp trên", "nomination.refuse": "Không khen thưởng",
    "nomination.return": "Trả lại đề nghị để bổ sung", "nomination.received": "Nhận đề nghị từ cấp dưới",
    "nominee.freeze": "Tạm dừng xét khen thưởng", "nominee.lift_freeze": "Chấm dứt tạm dừng xét khen thưởng",
})
OBJECT_LABELS.update({  # awards: council, season
    "Council": "Hội đồng Thi đua – Khen thưởng", "CouncilMember": "Thành viên Hội đồng",
    "CouncilSession": "Phiên họp Hội đồng", "SessionAttendance": "Thành phần dự họp", "AgendaItem": "Đề nghị trong phiên họp",
    "MemberVote": "Biểu quyết của thành viên", "CertificateLayout": "Vị trí in giấy khen",
    "DecisionChange": "Sửa đổi, thu hồi quyết định", "FundEntry": "Sổ quỹ thi đua, khen thưởng",
})
ACTION_LABELS.update({  # awards: council, season
    "council.vote": "Ghi kết quả biểu quyết của Hội đồng", "council.close": "Kết thúc phiên họp Hội đồng",
    "award.revoke": "Thu hồi khen thưởng", "decision.amend": "Sửa đổi, đính chính quyết định",
    "nomination.import": "Nhập đề nghị từ Excel", "nomination.propose_many": "Lập tờ trình cho nhiều đề nghị",
})
OBJECT_LABELS.update({  # self-inspection, clusters, exemplars
    "ChecklistTemplate": "Bộ tiêu chí kiểm tra", "ChecklistSection": "Phần của bộ tiêu chí",
    "ChecklistItem": "Tiêu chí kiểm tra", "InspectionRound": "Đợt tự kiểm tra", "Inspection": "Biên bản kiểm tra",
    "InspectionAnswer": "Kết quả tiêu chí", "Finding": "Phát hiện qua kiểm tra",
    "CorrectiveAction": "Biện pháp khắc phục", "InspectionEvent": "Bước xử lý biên bản kiểm tra",
    "EmulationCluster": "Cụm thi đua", "ClusterMember": "Thành viên cụm thi đua", "ScoringTable": "Bảng chấm điểm thi đua",
    "ScoringGroup": "Nhóm tiêu chí chấm điểm", "ScoringCriterion": "Tiêu chí chấm điểm", "SelfScore": "Bản tự chấm điểm",
    "SelfScoreLine": "Điểm tự chấm", "ScoreEvent": "Bước xử lý bản tự chấm",
    "Exemplar": "Điển hình tiên tiến", "Publicity": "Bài tuyên truyền, nêu gương",
})
ACTION_LABELS.update({  # self-inspection, clusters, exemplars
    "inspection.sign": "Ký xác nhận tự kiểm tra", "inspection.accept": "Chấp nhận kết quả tự kiểm tra",
    "inspection.return": "Trả lại kết quả tự kiểm tra", "inspection.conclude": "Kết luận kiểm tra",
    "cluster_score.submit": "Gửi bản tự chấm điểm", "cluster_score.cluster_accept": "Cụm trưởng thống nhất bản tự chấm",
    "cluster_score.cluster_return": "Cụm trưởng trả lại bản tự chấm", "cluster_score.city_accept": "Duyệt bản tự chấm",
    "cluster_score.city_return": "Trả lại bản tự chấm", "cluster_table.publish": "Công bố kết quả chấm điểm thi đua",
    "exemplar.stage": "Chuyển giai đoạn điển hình", "exemplar.nominate": "Lập đề nghị khen thưởng từ điển hình",
})
ACTION_LABELS.update({
    "user.create": "Tạo tài khoản",
    "user.update": "Sửa tài khoản",
    "user.reset_password": "Cấp lại mật khẩu",
})

#: Keys that workflow and management steps pass to `core.audit.record(changes=...)` → Vietnamese
#: name, where the object's model has no column of that name (its `__field_labels__` come first);
#: features add theirs. `CHANGE_VALUES` gives their codes' labels (a dict, a function, or
#: "module:NAME"). See `audit.changes`.
CHANGE_LABELS = {
    "reason": "Lý do",
    "by": "Theo quyết định số",
    "title": "Trích yếu",
}
CHANGE_VALUES: dict = {}
#: Keys whose value is a list of items (two of them are not "old → new").
CHANGE_LISTS = {"nominations", "names"}
CHANGE_LABELS.update({  # accounts
    "username": "Tên đăng nhập", "full_name": "Họ và tên", "roles": "Vai trò", "active": "Đang hoạt động",
})
CHANGE_VALUES.update({"roles": "thiduaweb.core.permissions:ROLE_LABELS"})
CHANGE_LABELS.update({  # plans, complaints
    "parent_plan": "Kế hoạch cấp trên", "document": "Văn bản đã tải về",
})
CHANGE_VALUES.update({"document": "thiduaweb.complaints.documents:DOCS"})
CHANGE_LABELS.update({  # awards: workflow steps, council, season
    "source": "Căn cứ tạm dừng", "proposal": "Tờ trình số", "to_unit": "Trình lên đơn vị",
    "place": "Nơi niêm yết", "days": "Số ngày công khai", "decision": "Quyết định số",
    "decided_on": "Ngày ký quyết định", "method": "Hình thức biểu quyết", "for": "Số phiếu đồng ý",
    "against": "Số phiếu không đồng ý", "result": "Kết quả biểu quyết", "minutes": "Biên bản số",
    "items": "Số đề nghị đã biểu quyết", "nominations": "Các đề nghị", "rows": "Số đề nghị đã nhập",
    "names": "Người, tập thể bị thu hồi khen thưởng",
})
CHANGE_VALUES.update({
    "source": "thiduaweb.awards.models:FREEZE_SOURCES", "method": "thiduaweb.awards.models:VOTE_METHODS",
    "result": "thiduaweb.awards.models:COUNCIL_RESULTS",
    "nominations": lambda ids: ", ".join(f"#{i}" for i in ids) if isinstance(ids, list) else None,
})


class EntryLabels:
    """The Vietnamese names of an entry's action and kind of record (an entry, or a row read for a list)."""

    action: str
    object_type: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def object_type_label(self) -> str:
        return OBJECT_LABELS.get(self.object_type, self.object_type)


class AuditEntry(EntryLabels, UnitOwned, db.Model):
    __tablename__ = "audit_entry"
    __audited__ = False  # written by core.audit with Core inserts
    __extra_table_args__ = (Index("ix_audit_entry_unit_id_created_at", "unit_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int | None] = mapped_column(Integer)
    object_label: Mapped[str] = mapped_column(String(255), default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(db.Model):
    """The newest hash of the chain: one row, locked while entries are appended.

    It lets writers append without reading other units' entries (which row-level security hides)
    and lets `verify` notice entries deleted from the end of the chain.
    """

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer, default=0)
