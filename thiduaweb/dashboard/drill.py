"""How each kind of record appears in a drill-down list and its Excel export: headers, cells, link."""
from __future__ import annotations

from flask import url_for

from thiduaweb.awards.models import Award, Nomination
from thiduaweb.complaints.models import Petition
from thiduaweb.inspections.models import ACTION_STATUS, STATUS as INSPECTION_STATUS, CorrectiveAction, Inspection
from thiduaweb.movements.models import KINDS as MOVEMENT_KINDS, Movement
from thiduaweb.plans.models import Plan


def _plan(p: Plan, slug: str):
    return ([p.number_symbol or "", p.title_one_line, p.year, p.status_label, p.issued_on],
            url_for("plans.show", unit_slug=slug, plan_id=p.id))


def _movement(m: Movement, slug: str):
    return ([m.name, MOVEMENT_KINDS.get(m.kind, m.kind), m.starts_on, m.ends_on],
            url_for("movements.show", unit_slug=slug, movement_id=m.id))


def _nomination(n: Nomination, slug: str):
    return ([n.nominee.display_name if n.nominee else "", n.award_type.name if n.award_type else "", n.year,
             n.state_label], url_for("awards.nomination", unit_slug=slug, nomination_id=n.id))


def _award(a: Award, slug: str):
    link = (url_for("awards.nomination", unit_slug=slug, nomination_id=a.nomination_id) if a.nomination_id
            else url_for("awards.register", unit_slug=slug, year=a.year))
    return ([a.nominee_name, a.nominee_kind_label, a.body_name or "", a.award_type.name if a.award_type else a.award_code,
             a.year, a.decision.number_symbol if a.decision else ""], link)


def _petition(p: Petition, slug: str):
    return ([p.display_code, p.kind_label, p.subject, p.received_on, p.status_label, p.due_on if p.is_open else None],
            url_for("complaints.detail", unit_slug=slug, petition_id=p.id))


def _inspection(i: Inspection, slug: str):
    return ([i.round.title if getattr(i, "round", None) else "", i.inspected_on,
             float(i.score) if i.score is not None else None, INSPECTION_STATUS.get(i.status, i.status)],
            url_for("inspections.detail", unit_slug=slug, inspection_id=i.id))


def _action(a: CorrectiveAction, slug: str):
    return ([a.what, a.who, a.due_date, ACTION_STATUS.get(a.status, a.status)],
            url_for("inspections.detail", unit_slug=slug, inspection_id=a.inspection_id))


PRESENTERS = {
    Plan: (["Số, ký hiệu", "Trích yếu", "Năm", "Trạng thái", "Ngày ban hành"], _plan),
    Movement: (["Phong trào", "Loại", "Bắt đầu", "Kết thúc"], _movement),
    Nomination: (["Đối tượng", "Danh hiệu, hình thức", "Năm", "Trạng thái"], _nomination),
    Award: (["Đối tượng", "Loại", "Đơn vị, thôn xóm", "Danh hiệu, hình thức", "Năm", "Quyết định"], _award),
    Petition: (["Mã", "Loại đơn", "Tiêu đề", "Ngày nhận", "Tình trạng", "Hạn"], _petition),
    Inspection: (["Đợt kiểm tra", "Ngày kiểm tra", "Điểm", "Trạng thái"], _inspection),
    CorrectiveAction: (["Biện pháp khắc phục", "Người thực hiện", "Hạn", "Tình trạng"], _action),
}


def present(model, objects, slug: str):
    headers, fn = PRESENTERS[model]
    return headers, [fn(o, slug) for o in objects]
