"""Plans: drafting, adopting a parent plan, issuing, the diff against the parent, city coverage,
and the official document. Public functions are one unit of work each: they commit or raise."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import bindparam, extract, func, select

from thiduaweb.core import audit
from thiduaweb.core.clock import today
from thiduaweb.core.documents import (DOCUMENT_TYPES, Heading, OfficialDocument, Paragraph, Signature,
                                      format_place_date)
from thiduaweb.core.numbering import NumberTaken, issue_number
from thiduaweb.core.reads import Read
from thiduaweb.core.tenancy import all_units
from thiduaweb.core.vntext import collapse_whitespace, fold, format_date
from thiduaweb.extensions import db
from thiduaweb.plans import workflow
from thiduaweb.plans.models import DRAFT, ISSUED, SECTIONS, SUPERSEDED, Plan, PlanItem
from thiduaweb.plans.workflow import PlanRefused
from thiduaweb.units.models import Unit

__all__ = ["PlanRefused", "NumberTaken"]

LOCKED = ("Kế hoạch đã ban hành nên không sửa được. Muốn thay đổi, hãy lập kế hoạch thay thế.")
PLAN_FIELDS = ("year", "title", "place", "bases", "closing", "recipients", "signer_authority", "signer_position",
               "signer_name", "description", "adoption_deadline")
ITEM_FIELDS = ("section", "text", "responsible", "due_on")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def unit_of(plan: Plan) -> Unit:
    return db.session.get(Unit, plan.unit_id)


# --- reading -----------------------------------------------------------------------------------

def plans_of(unit: Unit, *, year: int | None = None, status: str = "") -> list[Plan]:
    stmt = select(Plan).where(Plan.unit_id == unit.id)
    if year:
        stmt = stmt.where(Plan.year == year)
    if status:
        stmt = stmt.where(Plan.status == status)
    return list(db.session.scalars(stmt.order_by(Plan.year.desc(), Plan.issued_on.desc(), Plan.id.desc())))


def get_plan(plan_id: int) -> Plan | None:
    """A plan in the current scope (another commune's plan: None → 404)."""
    return db.session.scalar(select(Plan).where(Plan.id == plan_id))


def get_item(plan: Plan, item_id: int) -> PlanItem | None:
    return db.session.scalar(select(PlanItem).where(PlanItem.id == item_id, PlanItem.plan_id == plan.id))


def parent_plans_for(unit: Unit) -> list[Plan]:
    """Issued plans of the units above `unit`: the parent plans it should adopt.

    Deliberately cross-unit: a commune reads its supervising units' issued plans, never drafts.
    """
    ancestors = unit.ancestor_ids
    if not ancestors:
        return []
    stmt = all_units(select(Plan).where(Plan.unit_id.in_(ancestors), Plan.status == ISSUED)
                     .order_by(Plan.year.desc(), Plan.issued_on.desc()))
    return list(db.session.scalars(stmt))


def parent_plan_for(unit: Unit, plan_id: int) -> Plan | None:
    return next((p for p in parent_plans_for(unit) if p.id == plan_id), None)


def parent_of(plan: Plan) -> Plan | None:
    """The parent plan of an adaptation (a plan of a supervising unit, read across units)."""
    if not plan.parent_plan_id:
        return None
    return db.session.scalar(all_units(select(Plan).where(Plan.id == plan.parent_plan_id)))


def adoption_of(unit: Unit, parent: Plan) -> Plan | None:
    """The unit's current adaptation of `parent` (a draft or issued plan, not a superseded one)."""
    stmt = select(Plan).where(Plan.unit_id == unit.id, Plan.parent_plan_id == parent.id,
                              Plan.status != SUPERSEDED).order_by(Plan.id.desc())
    return db.session.scalar(stmt)


@dataclass(frozen=True)
class PlanBrief:
    """A plan as the unit home names it."""

    id: int
    number_symbol: str
    issued_on: date | None = None
    adoption_deadline: date | None = None


def home_summary_read(unit: Unit, *, with_movements: bool) -> dict[str, Read]:
    """Plans and movements at a glance for the unit's home (`home_summary_of`), read in the unit's
    scope: the latest issued plan, drafts, movements and this year's registrations in one row; for a
    commune, the parent plans it adapted."""
    reads = {"summary": Read(_home_summary_select(with_movements, unit.is_commune_level),
                             {"unit_id": unit.id, "this_year": today().year})}
    if unit.is_commune_level:
        reads["adopted"] = Read(_adopted_select(), {"unit_id": unit.id})
    return reads


def home_summary_of(unit: Unit, rows: dict[str, list]) -> dict:
    """The summary from `home_summary_read`'s rows, with the parent plans still to adopt: the plans
    issued above (`issued_above`) that the commune has not adapted."""
    row = rows["summary"][0]
    current = PlanBrief(row.plan_id, row.number_symbol, row.issued_on) if row.plan_id else None
    adopted = {parent_id for parent_id, in rows.get("adopted", ())}
    pending = [plan for plan in issued_above(unit) if plan.id not in adopted] if unit.is_commune_level else []
    return {"current": current, "drafts": row.drafts, "pending": pending,
            "movement_count": getattr(row, "movement_count", 0), "registration_count": getattr(row, "registrations", 0),
            "year": int(getattr(row, "latest_year", None) or today().year)}


def issued_above(unit: Unit) -> list[PlanBrief]:
    """The issued plans of the units above `unit`, newest first: read across units, and kept per process
    while those units' plans stand (their own counters of the plans area, core/revisions.py), for every
    commune below them."""
    from thiduaweb.core import revisions

    ancestors = tuple(unit.ancestor_ids)
    if not ancestors:
        return []
    # The unit's own counter first, then its ancestors' own counters: theirs only.
    counters = revisions.area_revisions_of(unit, ("plans",))[1:]
    return revisions.kept(("plans-issued-above", ancestors, counters), lambda: [
        PlanBrief(*row) for row in db.session.execute(_issued_above_select(), {"ancestors": list(ancestors)})])


@functools.cache
def _issued_above_select():
    """Built once (bound parameter ancestors)."""
    return all_units(select(Plan.id, Plan.number_symbol, Plan.issued_on, Plan.adoption_deadline)
                     .where(Plan.unit_id.in_(bindparam("ancestors", expanding=True)), Plan.status == ISSUED)
                     .order_by(Plan.year.desc(), Plan.issued_on.desc(), Plan.id.desc()))


@functools.cache
def _adopted_select():
    """The parent plans the unit adapted (a draft or issued adaptation, not a superseded one)."""
    return select(Plan.parent_plan_id).where(Plan.unit_id == bindparam("unit_id"), Plan.parent_plan_id.is_not(None),
                                             Plan.status != SUPERSEDED)


@functools.cache
def _home_summary_select(with_movements: bool, commune_level: bool):
    """The counts and the latest issued plan (if any) in one row; parameters unit_id and this_year.
    Built once per shape: composing it cost more than running it."""
    from thiduaweb.movements.models import Movement, Registration

    unit_id = bindparam("unit_id")
    latest_issued = (select(Plan.id).where(Plan.unit_id == unit_id, Plan.status == ISSUED)
                     .order_by(Plan.year.desc(), Plan.issued_on.desc(), Plan.id.desc()).limit(1).scalar_subquery())
    counts = {"drafts": select(func.count()).where(Plan.unit_id == unit_id, Plan.status == "draft")}
    if with_movements:
        latest_start = select(func.max(Movement.starts_on)).where(Movement.unit_id == unit_id).scalar_subquery()
        latest_year = func.coalesce(extract("year", latest_start), bindparam("this_year"))
        counts["movement_count"] = select(func.count()).where(Movement.unit_id == unit_id)
        counts["latest_year"] = select(latest_year)
        if commune_level:
            counts["registrations"] = select(func.count()).where(Registration.unit_id == unit_id,
                                                                 Registration.year == latest_year)
    figures = select(*[q.scalar_subquery().label(k) for k, q in counts.items()]).subquery("figures")
    return (select(figures, Plan.id.label("plan_id"), Plan.number_symbol, Plan.issued_on).select_from(figures)
            .outerjoin(Plan, Plan.id == latest_issued))


# --- writing -----------------------------------------------------------------------------------

def _check_plan_data(data: dict) -> None:
    if not collapse_whitespace(data.get("title") or ""):
        raise PlanRefused("Vui lòng nhập tên kế hoạch.", "title")


def create_plan(unit: Unit, actor, data: dict) -> Plan:
    _check_plan_data(data)
    plan = Plan(unit_id=unit.id, status=DRAFT, created_at=_now(),
                **{k: v for k, v in data.items() if k in PLAN_FIELDS})
    plan.place = plan.place or unit.place_name or unit.name
    db.session.add(plan)
    db.session.commit()
    return plan


def _ensure_draft(plan: Plan) -> None:
    if plan.status != DRAFT:
        raise PlanRefused(LOCKED)


def update_plan(plan: Plan, data: dict) -> Plan:
    _ensure_draft(plan)
    _check_plan_data(data)
    for key in PLAN_FIELDS:
        if key in data:
            setattr(plan, key, data[key])
    db.session.commit()
    return plan


def delete_draft(plan: Plan) -> None:
    _ensure_draft(plan)
    db.session.delete(plan)
    db.session.commit()


def _check_item(data: dict) -> None:
    if data.get("section") not in SECTIONS:
        raise PlanRefused("Chọn phần I, II hoặc III.", "section")
    if not collapse_whitespace(data.get("text") or ""):
        raise PlanRefused("Nội dung mục không được để trống.", "text")


def _renumber(plan: Plan) -> None:
    for section in SECTIONS:
        for position, item in enumerate(sorted(plan.items_of(section), key=lambda i: (i.position, i.id or 0)), 1):
            item.position = position


def add_item(plan: Plan, data: dict) -> PlanItem:
    _ensure_draft(plan)
    _check_item(data)
    section = data["section"]
    position = max((i.position for i in plan.items_of(section)), default=0) + 1
    item = PlanItem(unit_id=plan.unit_id, plan_id=plan.id, position=position,
                    **{k: data.get(k) for k in ITEM_FIELDS if k in data})
    item.responsible = item.responsible or ""
    plan.items.append(item)
    db.session.commit()
    return item


def update_item(plan: Plan, item: PlanItem, data: dict) -> PlanItem:
    _ensure_draft(plan)
    _check_item(data)
    moved = data["section"] != item.section
    for key in ITEM_FIELDS:
        if key in data:
            setattr(item, key, data[key] if data[key] is not None or key == "due_on" else "")
    if moved:
        item.position = max((i.position for i in plan.items_of(item.section) if i is not item), default=0) + 1
        _renumber(plan)
    db.session.commit()
    return item


def delete_item(plan: Plan, item: PlanItem) -> None:
    _ensure_draft(plan)
    plan.items.remove(item)
    db.session.flush()
    _renumber(plan)
    db.session.commit()


def move_item(plan: Plan, item: PlanItem, step: int) -> None:
    """Move an item up (-1) or down (+1) within its section."""
    _ensure_draft(plan)
    siblings = plan.items_of(item.section)
    index = siblings.index(item)
    other = index + step
    if 0 <= other < len(siblings):
        siblings[index].position, siblings[other].position = siblings[other].position, siblings[index].position
        db.session.commit()


def _adapted_title(parent: Plan, parent_unit: Unit, unit: Unit) -> str:
    title = parent.title
    for name in (parent_unit.name, _lower_first(parent_unit.name)):
        title = title.replace(name, _lower_first(unit.name))
    return title


def adopt(unit: Unit, parent: Plan, actor) -> Plan:
    """Create the unit's draft adaptation of `parent`: every item copied and linked to its parent item."""
    if parent.status != ISSUED or parent.unit_id not in unit.ancestor_ids:
        raise PlanRefused("Chỉ tiếp nhận được kế hoạch đã ban hành của cấp trên.")
    existing = adoption_of(unit, parent)
    if existing is not None:
        raise PlanRefused(f"Đơn vị đã tiếp nhận kế hoạch này ({existing.display_name}).")
    parent_unit = unit_of(parent)
    title = _adapted_title(parent, parent_unit, unit)
    bases = (f"Thực hiện Kế hoạch số {parent.number_symbol} ngày {_short_date(parent.issued_on)} về "
             f"{_lower_first(collapse_whitespace(parent.title))}, Ủy ban nhân dân {_lower_first(unit.name)} ban hành "
             f"Kế hoạch {_lower_first(collapse_whitespace(title))} như sau:")
    plan = Plan(unit_id=unit.id, year=parent.year, status=DRAFT, created_at=_now(), title=title,
                place=unit.place_name or unit.name, bases=bases, parent_plan_id=parent.id,
                recipients=f"UBND {_lower_first(parent_unit.name)};\nLưu: VP-UBND.",
                closing=(f"Trên đây là Kế hoạch {_lower_first(collapse_whitespace(title))}."))
    db.session.add(plan)
    db.session.flush()
    for source in parent.items:
        plan.items.append(PlanItem(unit_id=unit.id, plan_id=plan.id, section=source.section,
                                   position=source.position, text=source.text, responsible=source.responsible,
                                   due_on=source.due_on, parent_item_id=source.id))
    db.session.flush()
    audit.record(db.session, unit_id=unit.id, action="plan.adopt", object_type="Plan", object_id=plan.id,
                 label=plan.audit_label, changes={"parent_plan": [None, parent.number_symbol]})
    db.session.commit()
    return plan


def _short_date(d: date | None) -> str:
    """The date as the seed cites it: "01/3/2021" (leading zero on days only)."""
    if d is None:
        return "…"
    return f"{d.day:02d}/{d.month}/{d.year}" if d.month > 2 else f"{d.day:02d}/{d.month:02d}/{d.year}"


def replace(plan: Plan, actor) -> Plan:
    """Start a replacement of an issued plan: a draft copy that supersedes it once issued."""
    if plan.status != ISSUED:
        raise PlanRefused("Chỉ lập kế hoạch thay thế cho kế hoạch đã ban hành.")
    pending = db.session.scalar(select(Plan).where(Plan.replaces_id == plan.id, Plan.status == DRAFT))
    if pending is not None:
        raise PlanRefused("Đã có một dự thảo thay thế kế hoạch này.")
    copy = Plan(unit_id=plan.unit_id, year=plan.year, status=DRAFT, created_at=_now(), replaces_id=plan.id,
                parent_plan_id=plan.parent_plan_id,
                **{k: getattr(plan, k) for k in PLAN_FIELDS if k not in ("year",)})
    db.session.add(copy)
    db.session.flush()
    for source in plan.items:
        copy.items.append(PlanItem(unit_id=plan.unit_id, plan_id=copy.id, section=source.section,
                                   position=source.position, text=source.text, responsible=source.responsible,
                                   due_on=source.due_on, parent_item_id=source.parent_item_id))
    db.session.commit()
    return copy


def issue(plan: Plan, actor, *, issued_on: date | None, number: int | None = None, signer_name: str = "") -> Plan:
    """Number the plan in its unit's KH series for the year of issue, lock it, supersede what it replaces."""
    _ensure_draft(plan)
    if issued_on is None:
        raise PlanRefused("Vui lòng nhập ngày ban hành.", "issued_on")
    parent = parent_of(plan)
    if parent is not None and parent.issued_on and issued_on < parent.issued_on:
        raise PlanRefused(f"Ngày ban hành không được trước ngày của kế hoạch cấp trên ({format_date(parent.issued_on)}).",
                          "issued_on")
    if issued_on > today():
        raise PlanRefused("Ngày ban hành không được sau ngày hôm nay.", "issued_on")
    refusal = workflow.blocked_reason(plan, "issue")
    if refusal:
        raise PlanRefused(refusal)
    try:
        issued = issue_number(plan.unit_id, plan.doc_type, issued_on.year, number=number, object_type="Plan",
                              object_id=plan.id)
    except NumberTaken as error:
        db.session.rollback()
        raise PlanRefused(str(error), "number") from None
    plan.number = issued.number
    plan.number_symbol = issued.symbol
    plan.issued_on = issued_on
    plan.issued_at = _now()
    plan.issued_by_id = getattr(actor, "id", None)
    if signer_name:
        plan.signer_name = signer_name
    elif not plan.signer_name:
        plan.signer_name = getattr(actor, "full_name", "") or ""
    workflow.apply(plan, "issue", actor)
    if plan.replaces_id:
        old = db.session.get(Plan, plan.replaces_id)
        if old is not None and old.status == ISSUED:
            workflow.apply(old, "supersede", actor, reason=f"Thay thế bằng kế hoạch số {plan.number_symbol}")
    db.session.commit()
    return plan


# --- the diff against the parent plan -----------------------------------------------------------

KEPT, CHANGED, REMOVED, ADDED = "kept", "changed", "removed", "added"
DIFF_LABELS = {KEPT: "Giữ nguyên", CHANGED: "Đã sửa", REMOVED: "Đã bỏ", ADDED: "Bổ sung"}
DIFF_BADGES = {KEPT: "text-bg-light border", CHANGED: "text-bg-warning", REMOVED: "text-bg-danger",
               ADDED: "text-bg-success"}


@dataclass
class DiffRow:
    kind: str
    section: str
    item: PlanItem | None = None
    parent_item: PlanItem | None = None

    @property
    def label(self) -> str:
        return DIFF_LABELS[self.kind]

    @property
    def badge(self) -> str:
        return DIFF_BADGES[self.kind]

    @property
    def changes(self) -> list[str]:
        """What changed, in words."""
        if self.kind != CHANGED:
            return []
        found = []
        if _norm(self.item.text) != _norm(self.parent_item.text):
            found.append("nội dung")
        if _norm(self.item.responsible) != _norm(self.parent_item.responsible):
            found.append("đơn vị thực hiện")
        if self.item.due_on != self.parent_item.due_on:
            found.append("thời hạn")
        if self.item.section != self.parent_item.section:
            found.append("phần")
        return found


@dataclass
class Diff:
    rows: list[DiffRow] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for row in self.rows if row.kind == kind)

    @property
    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in DIFF_LABELS}

    @property
    def changed_total(self) -> int:
        return self.count(CHANGED) + self.count(REMOVED) + self.count(ADDED)


def _norm(text: str | None) -> str:
    return collapse_whitespace(text or "")


def _is_changed(item: PlanItem, parent_item: PlanItem) -> bool:
    return (_norm(item.text) != _norm(parent_item.text) or _norm(item.responsible) != _norm(parent_item.responsible)
            or item.due_on != parent_item.due_on or item.section != parent_item.section)


def diff(plan: Plan, parent: Plan | None = None) -> Diff | None:
    """Item by item, what the plan kept, changed, removed and added against its parent plan."""
    parent = parent or parent_of(plan)
    if parent is None:
        return None
    parent_items = {item.id: item for item in parent.items}
    linked = {item.parent_item_id for item in plan.items if item.parent_item_id in parent_items}
    result = Diff()
    for section in SECTIONS:
        removed = [p for p in parent.items_of(section) if p.id not in linked]
        emitted: set[int] = set()
        for item in plan.items_of(section):
            source = parent_items.get(item.parent_item_id)
            if source is None:
                result.rows.append(DiffRow(ADDED, section, item=item))
                continue
            if source.section == section:
                for gone in removed:
                    if gone.position < source.position and gone.id not in emitted:
                        result.rows.append(DiffRow(REMOVED, section, parent_item=gone))
                        emitted.add(gone.id)
            kind = CHANGED if _is_changed(item, source) else KEPT
            result.rows.append(DiffRow(kind, section, item=item, parent_item=source))
        for gone in removed:
            if gone.id not in emitted:
                result.rows.append(DiffRow(REMOVED, section, parent_item=gone))
    return result


# --- city coverage ------------------------------------------------------------------------------

@dataclass
class CoverageRow:
    unit: Unit
    plan: Plan | None
    diff: Diff | None
    late: bool

    @property
    def state(self) -> str:
        if self.plan is None:
            return "Quá hạn, chưa tiếp nhận" if self.late else "Chưa tiếp nhận"
        if self.plan.status == DRAFT:
            return "Đang soạn (quá hạn)" if self.late else "Đang soạn"
        return "Đã ban hành (muộn)" if self.late else "Đã ban hành"

    @property
    def badge(self) -> str:
        if self.late:
            return "text-bg-danger"
        if self.plan is None:
            return "text-bg-secondary"
        return "text-bg-success" if self.plan.status == ISSUED else "text-bg-warning"


def coverage(city: Unit, parent: Plan, communes: list[Unit]) -> list[CoverageRow]:
    """For each commune under the city: its adaptation of `parent`, how much it changed, whether late.

    Runs in the city's readable scope (a supervisor reads every commune's plans).
    """
    ids = [u.id for u in communes]
    adoptions: dict[int, Plan] = {}
    if ids:
        stmt = select(Plan).where(Plan.parent_plan_id == parent.id, Plan.unit_id.in_(ids),
                                  Plan.status != SUPERSEDED).order_by(Plan.id)
        for plan in db.session.scalars(stmt):
            adoptions[plan.unit_id] = plan
    deadline = parent.adoption_deadline
    rows = []
    for unit in communes:
        plan = adoptions.get(unit.id)
        if plan is None:
            late = bool(deadline and today() > deadline)
        elif plan.status == DRAFT:
            late = bool(deadline and today() > deadline)
        else:
            late = bool(deadline and plan.issued_on and plan.issued_on > deadline)
        rows.append(CoverageRow(unit, plan, diff(plan, parent) if plan else None, late))
    rows.sort(key=lambda r: (r.plan is None, r.plan is not None and r.plan.status != ISSUED, fold(r.unit.name)))
    return rows


# --- the official document ------------------------------------------------------------------------

def _item_paragraphs(item: PlanItem) -> list[str]:
    lines = [line.strip() for line in item.text.splitlines() if line.strip()]
    if not lines:
        return []
    lines[0] = f"{item.position}. {lines[0]}"
    extra = []
    if item.responsible:
        extra.append(f"Thực hiện: {item.responsible}")
    if item.due_on:
        extra.append(f"thời hạn: {format_date(item.due_on)}")
    if extra:
        lines[-1] = f"{lines[-1]} ({'; '.join(extra)})."
    return lines


def document_of(plan: Plan) -> OfficialDocument:
    """The plan in the Nghị định 30/2020 layout, for the print view and the .docx."""
    unit = unit_of(plan)
    body: list = []
    for section, heading in SECTIONS.items():
        items = plan.items_of(section)
        if not items:
            continue
        body.append(Heading(f"{section}. {heading}"))
        for item in items:
            body.extend(Paragraph(text) for text in _item_paragraphs(item))
    if plan.closing:
        body.extend(Paragraph(line.strip()) for line in plan.closing.splitlines() if line.strip())
    place = plan.place or unit.place_name or unit.name
    place_date = (format_place_date(place, plan.issued_on) if plan.issued_on
                  else f"{place}, ngày     tháng     năm {plan.year}")
    return OfficialDocument(
        issuer_name=["ỦY BAN NHÂN DÂN", unit.name.upper()],
        number_symbol=plan.number_symbol or f"      /{plan.doc_type}-UBND",
        place_date=place_date,
        doc_kind_title=DOCUMENT_TYPES.get(plan.doc_type, "KẾ HOẠCH"),
        title_lines=plan.title_lines,
        preamble=[Paragraph(line.strip()) for line in (plan.bases or "").splitlines() if line.strip()],
        body=body,
        recipients=plan.recipient_list,
        filed_at="VT",
        signature=Signature(plan.signer_authority, plan.signer_position, plan.signer_name or ""),
    )
