"""Checklist templates, rounds, self-inspections, findings, corrective actions, the city's overview.

Every public function is one unit of work: it commits, or raises `InspectionError` (a Vietnamese
message and the form field it belongs to) before committing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from thiduaweb.core.clock import today as clock_today
from thiduaweb.core.tenancy import all_units
from thiduaweb.extensions import db
from thiduaweb.inspections.models import (
    ACTION_STATUS, RESULTS, ChecklistItem, ChecklistSection, ChecklistTemplate, CorrectiveAction, Finding,
    Inspection, InspectionAnswer, InspectionRound,
)
from thiduaweb.units.models import Unit

NOTE_MAX = 2000


class InspectionError(ValueError):
    """A refusal for the user, attached to `field` of the form when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- Templates (the supervising unit) ----------------------------------------------------------

def list_templates(unit: Unit) -> list[ChecklistTemplate]:
    stmt = select(ChecklistTemplate).where(ChecklistTemplate.unit_id == unit.id)
    return list(db.session.scalars(stmt.order_by(ChecklistTemplate.name, ChecklistTemplate.version.desc())))


def get_template(template_id: int) -> ChecklistTemplate | None:
    return db.session.get(ChecklistTemplate, template_id)


def _require_supervising(unit: Unit) -> None:
    if unit.is_commune_level:
        raise InspectionError("Chỉ đơn vị cấp trên (thành phố, tỉnh) mới xây dựng và ban hành bộ tiêu chí kiểm tra.")


def _require_draft(template: ChecklistTemplate) -> None:
    if template.status != "draft":
        raise InspectionError("Bộ tiêu chí đã ban hành không sửa được: hãy tạo phiên bản mới.")


def save_template(unit: Unit, data: dict, template: ChecklistTemplate | None = None) -> ChecklistTemplate:
    _require_supervising(unit)
    if template is None:
        template = ChecklistTemplate(unit_id=unit.id, version=1, status="draft")
    else:
        _require_draft(template)
    template.name = data["name"]
    template.description = data.get("description") or None
    db.session.add(template)
    db.session.commit()
    return template


def add_section(template: ChecklistTemplate, title: str) -> ChecklistSection:
    _require_draft(template)
    title = (title or "").strip()
    if not title:
        raise InspectionError("Vui lòng nhập tên phần.", "title")
    if len(title) > 300:
        raise InspectionError("Tối đa 300 ký tự.", "title")
    position = len(template.sections) + 1
    section = ChecklistSection(unit_id=template.unit_id, template=template, position=position, title=title)
    db.session.add(section)
    db.session.commit()
    return section


def save_item(template: ChecklistTemplate, data: dict, item: ChecklistItem | None = None) -> ChecklistItem:
    _require_draft(template)
    section = next((s for s in template.sections if s.id == data["section_id"]), None)
    if section is None:
        raise InspectionError("Vui lòng chọn phần của bộ tiêu chí.", "section_id")
    if item is None:
        item = ChecklistItem(unit_id=template.unit_id, position=len(section.items) + 1)
    item.section = section
    for key in ("text", "weight", "basis", "evidence_expected"):
        setattr(item, key, data.get(key))
    db.session.add(item)
    db.session.commit()
    return item


def delete_item(template: ChecklistTemplate, item: ChecklistItem) -> None:
    _require_draft(template)
    db.session.delete(item)
    db.session.commit()


def new_version(template: ChecklistTemplate) -> ChecklistTemplate:
    """A new draft carrying every section and item of `template`; the old one stays as it was."""
    latest = db.session.scalar(select(func.max(ChecklistTemplate.version)).where(
        ChecklistTemplate.unit_id == template.unit_id, ChecklistTemplate.name == template.name))
    copy = ChecklistTemplate(unit_id=template.unit_id, name=template.name, description=template.description,
                             version=(latest or template.version) + 1, status="draft", previous_id=template.id)
    for section in template.sections:
        new_section = ChecklistSection(unit_id=template.unit_id, position=section.position, title=section.title)
        for item in section.items:
            new_section.items.append(ChecklistItem(
                unit_id=template.unit_id, position=item.position, text=item.text, weight=item.weight,
                basis=item.basis, evidence_expected=item.evidence_expected))
        copy.sections.append(new_section)
    db.session.add(copy)
    db.session.commit()
    return copy


def publish_round(unit: Unit, template: ChecklistTemplate, data: dict) -> InspectionRound:
    """Publish `template` to every commune of `unit` for a period, with a deadline."""
    _require_supervising(unit)
    if not template.items:
        raise InspectionError("Bộ tiêu chí chưa có tiêu chí nào: hãy thêm tiêu chí trước khi ban hành.")
    if data["period_end"] < data["period_start"]:
        raise InspectionError("Ngày kết thúc kỳ không được trước ngày bắt đầu.", "period_end")
    if data["deadline"] < data["period_start"]:
        raise InspectionError("Hạn nộp không được trước ngày bắt đầu kỳ kiểm tra.", "deadline")
    if template.status == "draft":
        for older in db.session.scalars(select(ChecklistTemplate).where(
                ChecklistTemplate.unit_id == template.unit_id, ChecklistTemplate.name == template.name,
                ChecklistTemplate.status == "published", ChecklistTemplate.id != template.id)):
            older.status = "retired"
        template.status = "published"
    round_ = InspectionRound(unit_id=unit.id, template=template, title=data["title"],
                             period_start=data["period_start"], period_end=data["period_end"],
                             deadline=data["deadline"], note=data.get("note") or None)
    db.session.add(round_)
    db.session.commit()
    return round_


def list_rounds(unit: Unit) -> list[InspectionRound]:
    stmt = select(InspectionRound).where(InspectionRound.unit_id == unit.id)
    return list(db.session.scalars(stmt.order_by(InspectionRound.deadline.desc())))


def get_round(round_id: int) -> InspectionRound | None:
    return db.session.get(InspectionRound, round_id)


# --- What reaches a commune -----------------------------------------------------------------------

def rounds_for_commune(commune: Unit) -> list[InspectionRound]:
    """The rounds every supervising unit above `commune` published (deliberately cross-unit)."""
    ancestors = commune.ancestor_ids
    if not ancestors:
        return []
    stmt = all_units(select(InspectionRound).where(InspectionRound.unit_id.in_(ancestors))
                     .order_by(InspectionRound.deadline.desc()))
    return list(db.session.scalars(stmt))


def round_for_commune(commune: Unit, round_id: int) -> InspectionRound | None:
    stmt = all_units(select(InspectionRound).where(InspectionRound.id == round_id,
                                                   InspectionRound.unit_id.in_(commune.ancestor_ids or [-1])))
    return db.session.scalar(stmt)


def self_inspection_of(commune: Unit, round_: InspectionRound) -> Inspection | None:
    return db.session.scalar(select(Inspection).where(
        Inspection.unit_id == commune.id, Inspection.round_id == round_.id, Inspection.kind == "self"))


def start_self_inspection(commune: Unit, round_: InspectionRound) -> Inspection:
    """The commune's self-inspection for the round (made on first use). Commits."""
    if not commune.is_commune_level:
        raise InspectionError("Tự kiểm tra là việc của xã, phường.")
    existing = self_inspection_of(commune, round_)
    if existing:
        return existing
    inspection = Inspection(unit_id=commune.id, kind="self", round_id=round_.id, template_id=round_.template_id,
                            target_unit_id=commune.id, status="draft")
    db.session.add(inspection)
    db.session.commit()
    return inspection


def start_supervisory(unit: Unit, round_: InspectionRound, target: Unit, data: dict) -> Inspection:
    """The supervising unit's own inspection of one of its communes, on the round's template."""
    _require_supervising(unit)
    if target.parent_id != unit.id:
        raise InspectionError("Chỉ kiểm tra được xã, phường trực thuộc đơn vị.", "target_unit_id")
    inspection = Inspection(unit_id=unit.id, kind="supervisory", round_id=round_.id,
                            template_id=round_.template_id, target_unit_id=target.id, status="draft",
                            inspected_on=data.get("inspected_on"), inspectors=data.get("inspectors") or None)
    db.session.add(inspection)
    db.session.commit()
    return inspection


def list_inspections(unit: Unit) -> list[Inspection]:
    """The inspections `unit` owns (its self-inspections, or the ones it ran on its communes)."""
    stmt = select(Inspection).where(Inspection.unit_id == unit.id).order_by(Inspection.created_at.desc())
    return list(db.session.scalars(stmt))


def inspections_of_commune_by_supervisor(commune: Unit) -> list[Inspection]:
    """Concluded inspections the supervising unit ran on `commune`: the commune reads their results."""
    stmt = all_units(select(Inspection).where(Inspection.kind == "supervisory", Inspection.status == "concluded",
                                              Inspection.target_unit_id == commune.id))
    return list(db.session.scalars(stmt))


def get_inspection(inspection_id: int, unit: Unit | None = None) -> Inspection | None:
    """An inspection in the bound scope, or a concluded one the supervisor ran on `unit`."""
    found = db.session.get(Inspection, inspection_id)
    if found is None and unit is not None:
        found = next((i for i in inspections_of_commune_by_supervisor(unit) if i.id == inspection_id), None)
    return found


# --- Filling in ---------------------------------------------------------------------------------

def answers_by_item(inspection: Inspection) -> dict[int, InspectionAnswer]:
    return {a.item_id: a for a in inspection.answers}


def compute_score(inspection: Inspection) -> Decimal | None:
    """Percentage of the applicable weight that is met; not-applicable items are left out.

    Items not yet answered count as applicable and not met. None when nothing is applicable.
    """
    answers = answers_by_item(inspection)
    applicable = met = Decimal(0)
    for item in inspection.template.items:
        result = answers.get(item.id).result if item.id in answers else None
        if result == "na":
            continue
        applicable += item.weight
        if result == "met":
            met += item.weight
    if applicable == 0:
        return None
    return (met * 100 / applicable).quantize(Decimal("0.01"))


def _require_open(inspection: Inspection) -> None:
    if inspection.locked:
        raise InspectionError("Biên bản đã ký xác nhận nên bị khóa: không thể sửa.")


def save_answers(inspection: Inspection, answers: dict[int, dict], uploads: dict[int, list] | None = None, *,
                 uploaded_by_id: int | None = None) -> dict:
    """Save each item's result and note, and its evidence files.

    `answers` maps item id → {"result": "met" | "not_met" | "na" | "", "note": str}. Every problem
    is returned by field name ("result-<id>", "note-<id>", "evidence-<id>") before anything is saved.
    """
    _require_open(inspection)
    items = {item.id: item for item in inspection.template.items}
    errors: dict[str, str] = {}
    for item_id, value in answers.items():
        if item_id not in items:
            continue
        if (value.get("result") or "") not in ("", *RESULTS):
            errors[f"result-{item_id}"] = "Lựa chọn không hợp lệ."
        if len(value.get("note") or "") > NOTE_MAX:
            errors[f"note-{item_id}"] = f"Tối đa {NOTE_MAX} ký tự."
    uploads = {k: [f for f in v if f and f.filename] for k, v in (uploads or {}).items() if k in items}
    if any(uploads.values()):
        from thiduaweb.files.services import upload_errors

        errors.update(upload_errors(uploads))
    if errors:
        raise AnswersRefused(errors)
    existing = answers_by_item(inspection)
    for item_id in set(answers) | set(uploads):
        if item_id not in items:
            continue
        answer = existing.get(item_id)
        if answer is None:
            answer = InspectionAnswer(unit_id=inspection.unit_id, item_id=item_id)
            inspection.answers.append(answer)
            existing[item_id] = answer
        if item_id in answers:
            answer.result = answers[item_id].get("result") or None
            answer.note = (answers[item_id].get("note") or "").strip() or None
    db.session.flush()
    if any(uploads.values()):
        from thiduaweb.files.services import save_upload

        for item_id, files in uploads.items():
            for storage in files:
                save_upload(storage, unit_id=inspection.unit_id, owner_type="InspectionAnswer",
                            owner_id=existing[item_id].id, uploaded_by_id=uploaded_by_id)
    db.session.commit()
    return answers_by_item(inspection)


class AnswersRefused(InspectionError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("Vui lòng sửa các ô được đánh dấu đỏ rồi lưu lại.")
        self.errors = errors


def evidence_for(inspection: Inspection) -> dict[int, list]:
    """Item id → the evidence files attached to its answer."""
    from thiduaweb.files.services import attachments_for_many

    by_answer = attachments_for_many("InspectionAnswer", [a.id for a in inspection.answers])
    return {a.item_id: by_answer.get(a.id, []) for a in inspection.answers}


def add_finding(inspection: Inspection, text: str) -> Finding:
    _require_open(inspection)
    text = (text or "").strip()
    if not text:
        raise InspectionError("Vui lòng nhập nội dung phát hiện.", "text")
    if len(text) > NOTE_MAX:
        raise InspectionError(f"Tối đa {NOTE_MAX} ký tự.", "text")
    finding = Finding(unit_id=inspection.unit_id, text=text)
    inspection.findings.append(finding)
    db.session.commit()
    return finding


def delete_finding(inspection: Inspection, finding: Finding) -> None:
    _require_open(inspection)
    db.session.delete(finding)
    db.session.commit()


def add_action(inspection: Inspection, data: dict) -> CorrectiveAction:
    _require_open(inspection)
    action = CorrectiveAction(unit_id=inspection.unit_id, what=data["what"], who=data["who"],
                              due_date=data["due_date"], status="open")
    inspection.actions.append(action)
    db.session.commit()
    return action


def update_action(action: CorrectiveAction, data: dict, *, on: date | None = None) -> CorrectiveAction:
    """Follow a corrective action up (allowed after sign-off: it is followed until closed)."""
    if data["status"] not in ACTION_STATUS:
        raise InspectionError("Lựa chọn không hợp lệ.", "status")
    action.status = data["status"]
    action.progress_note = data.get("progress_note") or None
    if action.status == "closed":
        action.closed_on = data.get("closed_on") or action.closed_on or on or clock_today()
    else:
        action.closed_on = None
    db.session.commit()
    return action


def get_action(action_id: int) -> CorrectiveAction | None:
    return db.session.get(CorrectiveAction, action_id)


def get_finding(finding_id: int) -> Finding | None:
    return db.session.get(Finding, finding_id)


# --- The supervising unit's view ------------------------------------------------------------------

def late_actions(unit_ids, *, on: date | None = None) -> list[CorrectiveAction]:
    """Corrective actions not closed whose due date has passed, oldest first."""
    on = on or clock_today()
    stmt = (select(CorrectiveAction).where(CorrectiveAction.unit_id.in_(list(unit_ids)),
                                           CorrectiveAction.status != "closed", CorrectiveAction.due_date < on)
            .order_by(CorrectiveAction.due_date))
    return list(db.session.scalars(stmt))


@dataclass
class OverviewRow:
    commune: Unit
    inspection: Inspection | None
    open_actions: int
    late_actions: int
    late: bool

    @property
    def submitted(self) -> bool:
        return bool(self.inspection and self.inspection.status in ("signed", "accepted"))

    @property
    def score(self):
        if self.inspection is None:
            return None
        return self.inspection.score if self.inspection.locked else compute_score(self.inspection)


def round_overview(unit: Unit, round_: InspectionRound, *, on: date | None = None) -> list[OverviewRow]:
    """Per commune: submitted or not, score, open and late corrective actions, late submission."""
    on = on or clock_today()
    from thiduaweb.core.vntext import fold

    communes = sorted(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id)), key=lambda u: fold(u.name))
    ids = [c.id for c in communes]
    inspections = {i.unit_id: i for i in db.session.scalars(all_units(select(Inspection).where(
        Inspection.round_id == round_.id, Inspection.kind == "self", Inspection.unit_id.in_(ids or [-1]))))}
    counts: dict[int, list[int]] = {}
    action_rows = db.session.execute(all_units(
        select(CorrectiveAction.unit_id, CorrectiveAction.due_date)
        .join(Inspection, (Inspection.id == CorrectiveAction.inspection_id))
        .where(Inspection.round_id == round_.id, Inspection.kind == "self", CorrectiveAction.status != "closed",
               CorrectiveAction.unit_id.in_(ids or [-1]))))
    for unit_id, due in action_rows:
        open_late = counts.setdefault(unit_id, [0, 0])
        open_late[0] += 1
        if due < on:
            open_late[1] += 1
    rows = []
    for commune in communes:
        inspection = inspections.get(commune.id)
        submitted = inspection is not None and inspection.status in ("signed", "accepted")
        open_count, late_count = counts.get(commune.id, [0, 0])
        rows.append(OverviewRow(commune, inspection, open_count, late_count,
                                late=not submitted and round_.deadline < on))
    return rows
