""""Việc cần làm": what waits on one user across modules, with due dates.

Built from the user's memberships (unit, role): petitions to classify and deadlines within three
days (officers, chairmen), nominations awaiting the council's vote (council) or the chairman's
signature, self-inspections to fill in or sign, the city's inspections to review (supervisors),
parent plans to adopt, corrective actions falling due. Every query names its unit explicitly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import time

from flask import g, has_request_context, session, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from thiduaweb.core import clock
from thiduaweb.core.tenancy import all_units
from thiduaweb.extensions import db

SOON_DAYS = 3
MAX_ITEMS = 200
#: How long the navigation bar may show a count before counting again.
COUNT_CACHE_SECONDS = 60
_SESSION_KEY = "todo_count"


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


#: One source of to-dos: the statement that finds the rows and how a row reads as a to-do.
_Source = tuple  # (statement, present(row) -> Todo)


def _sources(user, today: date) -> list[_Source]:
    from thiduaweb.units.services import is_locked

    soon = today + timedelta(days=SOON_DAYS)
    sources: list[_Source] = []
    for unit_id, (unit, roles) in _roles_by_unit(user).items():
        if is_locked(unit):  # read-only (LOCK_MERGED_UNITS): nothing there waits on anyone
            continue
        slug = unit.slug
        if roles & {"officer", "chairman", "supervisor"}:
            sources += [_petitions(unit, slug, user, soon), _actions(unit, slug, soon)]
        if roles & {"officer", "supervisor"}:
            sources.append(_nominations(unit, slug, ("submitted",), "Chờ bình xét"))
        if "council" in roles:
            sources.append(_nominations(unit, slug, ("appraisal",), "Chờ Hội đồng biểu quyết"))
        if "chairman" in roles:
            sources.append(_nominations(unit, slug, ("appraised",), "Chờ Chủ tịch ký quyết định"))
        if unit.is_commune_level and roles & {"officer", "chairman"}:
            sources.append(_inspections(unit, slug, roles))
            if unit.ancestor_ids:
                sources.append(_plans(unit, slug))
        if roles & {"supervisor", "admin"} and not unit.is_commune_level:
            sources.append(_reviews(unit, slug))
    return sources


def todos_for(user, today: date | None = None) -> list[Todo]:
    items: list[Todo] = []
    for stmt, present in _sources(user, today or clock.today()):
        items += [present(*row) for row in db.session.execute(all_units(stmt.limit(MAX_ITEMS)))]
    items.sort(key=lambda t: (t.due_on is None, t.due_on or date.max, t.kind, t.text))
    return items[:MAX_ITEMS]


def count_todos(user, today: date | None = None) -> int:
    """How many to-dos `todos_for` would list, in one statement that loads no rows."""
    sources = _sources(user, today or clock.today())
    if not sources:
        return 0
    counts = [select(func.count()).select_from(stmt.order_by(None).limit(MAX_ITEMS).subquery()).scalar_subquery()
              for stmt, _ in sources]
    row = db.session.execute(all_units(select(*counts))).one()
    return min(sum(row), MAX_ITEMS)


def _petitions(unit, slug, user, soon) -> _Source:
    from thiduaweb.complaints.models import OPEN_STATUSES, Petition

    stmt = select(Petition).where(
        Petition.unit_id == unit.id, Petition.status.in_(OPEN_STATUSES),
        (Petition.status == "received") | (Petition.due_on <= soon) | (Petition.handler_id == user.id)
    ).order_by(Petition.due_on)

    def present(p):
        what = "Phân loại, thụ lý" if p.status == "received" else "Giải quyết"
        return Todo("petition", f"{what}: đơn {p.kind_label.lower()} {p.display_code} — {p.subject}",
                    unit.name, p.due_on, url_for("complaints.detail", unit_slug=slug, petition_id=p.id))
    return stmt, present


def _actions(unit, slug, soon) -> _Source:
    from thiduaweb.inspections.models import CorrectiveAction

    stmt = select(CorrectiveAction).where(CorrectiveAction.unit_id == unit.id, CorrectiveAction.status != "closed",
                                          CorrectiveAction.due_date <= soon)

    def present(a):
        return Todo("action", f"Khắc phục: {a.what}", unit.name, a.due_date,
                    url_for("inspections.detail", unit_slug=slug, inspection_id=a.inspection_id))
    return stmt, present


def _nominations(unit, slug, states, label) -> _Source:
    from thiduaweb.awards.models import Nomination

    stmt = (select(Nomination).where(Nomination.unit_id == unit.id, Nomination.state.in_(states))
            .options(joinedload(Nomination.nominee), joinedload(Nomination.award_type)).order_by(Nomination.id))

    def present(n):
        due = n.posted_to if n.state == "cong_khai" else None
        name = n.nominee.display_name if n.nominee else ""
        return Todo("nomination", f"{label}: {n.award_type.name if n.award_type else ''} {n.year} — {name}",
                    unit.name, due, url_for("awards.nomination", unit_slug=slug, nomination_id=n.id))
    return stmt, present


def _inspections(unit, slug, roles) -> _Source:
    from thiduaweb.inspections.models import Inspection, InspectionRound

    states = ("draft", "returned") if "officer" in roles else ()
    if "chairman" in roles:
        states += ("draft",)
    stmt = (select(Inspection, InspectionRound.deadline, InspectionRound.title)
            .join(InspectionRound, InspectionRound.id == Inspection.round_id)
            .where(Inspection.unit_id == unit.id, Inspection.kind == "self", Inspection.status.in_(states)))
    verb = "Ký, gửi" if "officer" not in roles else "Thực hiện"

    def present(i, deadline, title):
        return Todo("inspection", f"{verb} tự kiểm tra: {title}", unit.name, deadline,
                    url_for("inspections.detail", unit_slug=slug, inspection_id=i.id))
    return stmt, present


def _reviews(unit, slug) -> _Source:
    from thiduaweb.inspections.models import Inspection, InspectionRound
    from thiduaweb.units.models import Unit

    stmt = (select(Inspection, InspectionRound.title, Unit.slug, Unit.name)
            .join(InspectionRound, InspectionRound.id == Inspection.round_id)
            .join(Unit, Unit.id == Inspection.unit_id)
            .where(InspectionRound.unit_id == unit.id, Inspection.status == "signed"))

    def present(i, title, s, name):
        return Todo("inspection", f"Xem xét tự kiểm tra của {name}: {title}", unit.name, None,
                    url_for("inspections.detail", unit_slug=s, inspection_id=i.id))
    return stmt, present


def _plans(unit, slug) -> _Source:
    from thiduaweb.plans.models import Plan

    adopted = select(Plan.parent_plan_id).where(Plan.unit_id == unit.id, Plan.status == "issued",
                                                Plan.parent_plan_id.is_not(None))
    stmt = select(Plan).where(Plan.unit_id.in_(unit.ancestor_ids), Plan.status == "issued",
                              Plan.adoption_deadline.is_not(None), Plan.id.not_in(adopted))

    def present(p):
        return Todo("plan", f"Ban hành kế hoạch thực hiện {p.number_symbol or ''}: {p.title_one_line}", unit.name,
                    p.adoption_deadline, url_for("plans.parent", unit_slug=slug, parent_id=p.id))
    return stmt, present


def todo_count() -> int:
    """The number in the navigation bar: counted at most once a minute per session, and again after
    any change the user makes (the "Việc cần làm" page itself is always counted afresh)."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return 0
    if not has_request_context():
        return count_todos(current_user)
    if "_todo_count" in g:
        return g._todo_count
    cached = session.get(_SESSION_KEY)
    if cached and cached[0] == current_user.id and 0 <= time.time() - cached[2] < COUNT_CACHE_SECONDS:
        g._todo_count = cached[1]
        return cached[1]
    try:
        count = count_todos(current_user)
    except Exception:  # noqa: BLE001 - the navigation bar never breaks a page
        from flask import current_app

        current_app.logger.exception("Việc cần làm: could not count")
        db.session.rollback()  # on PostgreSQL a failed statement would poison the rest of the page
        return 0
    remember_count(count)
    return count


def remember_count(count: int) -> None:
    from flask_login import current_user

    g._todo_count = count
    session[_SESSION_KEY] = [current_user.id, count, int(time.time())]


def forget_count() -> None:
    """After a change (any request that is not a read), the next page counts again."""
    session.pop(_SESSION_KEY, None)

