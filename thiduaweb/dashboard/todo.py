""""Việc cần làm": what waits on one user across modules, with due dates.

Built from the user's memberships (unit, role): petitions to classify and deadlines within three
days (officers, chairmen), nominations awaiting the council's vote (council) or the chairman's
signature, self-inspections to fill in or sign, the city's inspections to review (supervisors),
parent plans to adopt, corrective actions falling due. Every query names its unit explicitly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import g, has_request_context, url_for
from sqlalchemy import func, select

from thiduaweb.core import clock
from thiduaweb.core.tenancy import all_units
from thiduaweb.extensions import db

SOON_DAYS = 3
MAX_ITEMS = 200


@dataclass
class Todo:
    kind: str
    text: str
    unit_name: str
    due_on: date | None
    url: str

    @property
    def overdue(self) -> bool:
        return bool(self.due_on and self.due_on < clock.today())


KIND_LABELS = {"petition": "Đơn thư", "nomination": "Đề nghị khen thưởng", "inspection": "Tự kiểm tra",
               "plan": "Kế hoạch", "action": "Khắc phục sau kiểm tra"}


def _roles_by_unit(user) -> dict:
    from thiduaweb.units.services import active_memberships

    out: dict = {}
    for m in active_memberships(user):
        out.setdefault(m.unit_id, (m.unit, set()))[1].add(m.role)
    return out


def todos_for(user, today: date | None = None) -> list[Todo]:
    today = today or clock.today()
    soon = today + timedelta(days=SOON_DAYS)
    items: list[Todo] = []
    for unit_id, (unit, roles) in _roles_by_unit(user).items():
        slug = unit.slug
        handles = bool(roles & {"officer", "chairman", "supervisor"})
        if handles:
            items += _petitions(unit, slug, user, soon)
            items += _actions(unit, slug, soon)
        if roles & {"officer", "supervisor"}:
            items += _nominations(unit, slug, ("submitted",), "Chờ bình xét")
        if "council" in roles:
            items += _nominations(unit, slug, ("appraisal",), "Chờ Hội đồng biểu quyết")
        if "chairman" in roles:
            items += _nominations(unit, slug, ("appraised",), "Chờ Chủ tịch ký quyết định")
        if unit.is_commune_level and roles & {"officer", "chairman"}:
            items += _inspections(unit, slug, roles)
            items += _plans(unit, slug)
        if roles & {"supervisor", "admin"} and not unit.is_commune_level:
            items += _reviews(unit, slug)
    items.sort(key=lambda t: (t.due_on is None, t.due_on or date.max, t.kind, t.text))
    return items[:MAX_ITEMS]


def _petitions(unit, slug, user, soon) -> list[Todo]:
    from thiduaweb.complaints.models import OPEN_STATUSES, Petition

    stmt = all_units(select(Petition).where(
        Petition.unit_id == unit.id, Petition.status.in_(OPEN_STATUSES),
        (Petition.status == "received") | (Petition.due_on <= soon) | (Petition.handler_id == user.id))
        .order_by(Petition.due_on).limit(MAX_ITEMS))
    out = []
    for p in db.session.scalars(stmt):
        what = "Phân loại, thụ lý" if p.status == "received" else "Giải quyết"
        out.append(Todo("petition", f"{what}: đơn {p.kind_label.lower()} {p.display_code} — {p.subject}",
                        unit.name, p.due_on, url_for("complaints.detail", unit_slug=slug, petition_id=p.id)))
    return out


def _actions(unit, slug, soon) -> list[Todo]:
    from thiduaweb.inspections.models import CorrectiveAction

    stmt = all_units(select(CorrectiveAction).where(CorrectiveAction.unit_id == unit.id,
                                                    CorrectiveAction.status != "closed",
                                                    CorrectiveAction.due_date <= soon).limit(MAX_ITEMS))
    return [Todo("action", f"Khắc phục: {a.what}", unit.name, a.due_date,
                 url_for("inspections.detail", unit_slug=slug, inspection_id=a.inspection_id))
            for a in db.session.scalars(stmt)]


def _nominations(unit, slug, states, label) -> list[Todo]:
    from thiduaweb.awards.models import Nomination

    stmt = all_units(select(Nomination).where(Nomination.unit_id == unit.id, Nomination.state.in_(states))
                     .order_by(Nomination.id).limit(MAX_ITEMS))
    out = []
    for n in db.session.scalars(stmt):
        due = n.posted_to if n.state == "cong_khai" else None
        name = n.nominee.display_name if n.nominee else ""
        out.append(Todo("nomination", f"{label}: {n.award_type.name if n.award_type else ''} {n.year} — {name}",
                        unit.name, due, url_for("awards.nomination", unit_slug=slug, nomination_id=n.id)))
    return out


def _inspections(unit, slug, roles) -> list[Todo]:
    from thiduaweb.inspections.models import Inspection, InspectionRound

    states = ("draft", "returned") if "officer" in roles else ()
    if "chairman" in roles:
        states += ("draft",)
    stmt = all_units(select(Inspection, InspectionRound.deadline, InspectionRound.title)
                     .join(InspectionRound, InspectionRound.id == Inspection.round_id)
                     .where(Inspection.unit_id == unit.id, Inspection.kind == "self", Inspection.status.in_(states)))
    verb = "Ký, gửi" if "officer" not in roles else "Thực hiện"
    return [Todo("inspection", f"{verb} tự kiểm tra: {title}", unit.name, deadline,
                 url_for("inspections.detail", unit_slug=slug, inspection_id=i.id))
            for i, deadline, title in db.session.execute(stmt)]


def _reviews(unit, slug) -> list[Todo]:
    from thiduaweb.inspections.models import Inspection, InspectionRound
    from thiduaweb.units.models import Unit

    stmt = all_units(select(Inspection, InspectionRound.title, Unit.slug, Unit.name)
                     .join(InspectionRound, InspectionRound.id == Inspection.round_id)
                     .join(Unit, Unit.id == Inspection.unit_id)
                     .where(InspectionRound.unit_id == unit.id, Inspection.status == "signed").limit(MAX_ITEMS))
    return [Todo("inspection", f"Xem xét tự kiểm tra của {name}: {title}", unit.name, None,
                 url_for("inspections.detail", unit_slug=s, inspection_id=i.id))
            for i, title, s, name in db.session.execute(stmt)]


def _plans(unit, slug) -> list[Todo]:
    from thiduaweb.plans.models import Plan

    ancestors = unit.ancestor_ids
    if not ancestors:
        return []
    adopted = select(Plan.parent_plan_id).where(Plan.unit_id == unit.id, Plan.status == "issued",
                                                Plan.parent_plan_id.is_not(None))
    stmt = all_units(select(Plan).where(Plan.unit_id.in_(ancestors), Plan.status == "issued",
                                        Plan.adoption_deadline.is_not(None), Plan.id.not_in(adopted)))
    return [Todo("plan", f"Ban hành kế hoạch thực hiện {p.number_symbol or ''}: {p.title_one_line}", unit.name,
                 p.adoption_deadline, url_for("plans.parent", unit_slug=slug, parent_id=p.id))
            for p in db.session.scalars(stmt)]


def todo_count() -> int:
    """The number in the navigation bar (computed once per request)."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return 0
    if has_request_context() and "_todo_count" in g:
        return g._todo_count
    try:
        count = len(todos_for(current_user))
    except Exception:  # noqa: BLE001 - the navigation bar never breaks a page
        from flask import current_app

        current_app.logger.exception("Việc cần làm: could not count")
        db.session.rollback()  # on PostgreSQL a failed statement would poison the rest of the page
        count = 0
    if has_request_context():
        g._todo_count = count
    return count


def count_only(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
