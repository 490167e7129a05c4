"""Summary rows kept correct from session events, and rebuilt in bulk.

Every figure of the dashboards is a row of `unit_year_stat` (unit, year, metric, value) or of
`unit_due_stat` (unit, metric, due date, how many open items fall due that day). Feature services
are not touched: `install_listeners()` watches flushes of the feature models and, in the same
transaction, recomputes the families of metrics those models feed for the units concerned. Bulk
loads (seed-scale, imports written with Core inserts) skip the events: run `flask dashboard rebuild`.

The conditions that define each metric live in `METRICS` and are shared with the drill-down lists
(`drill_statement`), so a list behind a figure always holds that many rows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, bindparam, case, delete, event, extract, func, insert, literal, null, or_, select, true
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from thiduaweb.awards.models import (AWAITING_DECISION_STATES, DIRECT_LABOUR_GROUPS, QUEUE_CLOSED_STATES, Award,
                                     AwardType, Nomination, Nominee)
from thiduaweb.complaints.models import OPEN_STATUSES, Petition
from thiduaweb.core import clock
from thiduaweb.core.audit import lock_chain
from thiduaweb.core.revisions import SUMMARY_AREA, raise_revisions
from thiduaweb.core.tenancy import system_maintenance
from thiduaweb.dashboard.models import UnitDueStat, UnitYearFigures, UnitYearStat
from thiduaweb.inspections.models import CorrectiveAction, Inspection, InspectionRound
from thiduaweb.movements.models import Movement, ProgressReport, Target
from thiduaweb.plans.models import Plan
from thiduaweb.units.models import Unit

REVIEW_STATES = ("submitted", "binh_xet", "cong_khai", "appraisal", "appraised")
DUE_WEEK_DAYS = 7
_parent_plan = aliased(Plan, name="parent_plan")


@dataclass(frozen=True)
class Metric:
    """A figure counted from one model's rows: `where` narrows them, `year` places them in a year."""

    key: str
    label: str
    model: type
    family: str
    year: object = None  # column expression giving the row's year (None: not year-based)
    where: object = None  # callable () -> clause
    joins: tuple = ()  # (target, onclause) pairs the condition needs


def _always():
    return true()


def _plan_adopted():
    return and_(Plan.parent_plan_id.is_not(None), Plan.status == "issued")


def _plan_late():
    return and_(_plan_adopted(), _parent_plan.adoption_deadline.is_not(None),
                Plan.issued_on > _parent_plan.adoption_deadline)


def _award_live():
    return Award.revoked_on.is_(None)


def _petition_year():
    return extract("year", Petition.received_on)


def _inspection_year():
    return extract("year", InspectionRound.period_end)


_NOMINEE_JOIN = ((Nominee, and_(Nominee.id == Nomination.nominee_id, Nominee.unit_id == Nomination.unit_id)),)
_PLAN_JOIN = ((_parent_plan, _parent_plan.id == Plan.parent_plan_id),)
_AWARD_JOIN = ((AwardType, AwardType.id == Award.award_type_id),)
_ROUND_JOIN = ((InspectionRound, InspectionRound.id == Inspection.round_id),)

METRICS: dict[str, Metric] = {m.key: m for m in [
    Metric("plan.adopted", "Kế hoạch đã ban hành (tiếp nhận kế hoạch cấp trên)", Plan, "plan", Plan.year,
           _plan_adopted, _PLAN_JOIN),
    Metric("plan.late", "Kế hoạch ban hành muộn", Plan, "plan", Plan.year, _plan_late, _PLAN_JOIN),
    Metric("plan.draft", "Kế hoạch đang soạn", Plan, "plan", Plan.year, lambda: Plan.status == "draft", _PLAN_JOIN),
    Metric("nom.total", "Đề nghị khen thưởng", Nomination, "nom", Nomination.year, _always),
    Metric("nom.draft", "Đề nghị đang soạn, trả lại", Nomination, "nom", Nomination.year,
           lambda: Nomination.state.in_(("draft", "returned"))),
    Metric("nom.review", "Đề nghị đang xét (bình xét, công khai, thẩm định)", Nomination, "nom", Nomination.year,
           lambda: Nomination.state.in_(REVIEW_STATES)),
    Metric("nom.proposed", "Đề nghị đã trình cấp trên", Nomination, "nom", Nomination.year,
           lambda: Nomination.state == "proposed"),
    Metric("nom.awarded", "Đề nghị đã được khen thưởng", Nomination, "nom", Nomination.year,
           lambda: Nomination.state == "awarded"),
    Metric("nom.refused", "Đề nghị không được khen thưởng", Nomination, "nom", Nomination.year,
           lambda: Nomination.state == "refused"),
    Metric("nom.pending_person", "Đề nghị khen thưởng cá nhân đang thẩm định, chờ quyết định", Nomination, "nom",
           Nomination.year, lambda: and_(Nomination.state.in_(AWAITING_DECISION_STATES), Nominee.kind == "person"),
           _NOMINEE_JOIN),
    Metric("nom.pending_direct", "Đề nghị khen thưởng công nhân, nông dân, người lao động trực tiếp chờ quyết định",
           Nomination, "nom", Nomination.year,
           lambda: and_(Nomination.state.in_(AWAITING_DECISION_STATES), Nominee.kind == "person",
                        Nominee.occupation_group.in_(sorted(DIRECT_LABOUR_GROUPS))), _NOMINEE_JOIN),
    Metric("nom.queue", "Đề nghị từ cấp dưới chờ xử lý", Nomination, "nom", Nomination.year,
           lambda: and_(Nomination.origin_nomination_id.is_not(None), Nomination.state.not_in(QUEUE_CLOSED_STATES))),
    Metric("award.total", "Khen thưởng đã quyết định", Award, "award", Award.year, _award_live, _AWARD_JOIN),
    Metric("award.title", "Danh hiệu thi đua", Award, "award", Award.year,
           lambda: and_(_award_live(), AwardType.category == "title"), _AWARD_JOIN),
    Metric("award.form", "Hình thức khen thưởng", Award, "award", Award.year,
           lambda: and_(_award_live(), AwardType.category == "form"), _AWARD_JOIN),
    Metric("award.person", "Khen thưởng cá nhân", Award, "award", Award.year,
           lambda: and_(_award_live(), Award.nominee_kind == "person"), _AWARD_JOIN),
    Metric("award.direct", "Khen thưởng công nhân, nông dân, người lao động trực tiếp", Award, "award", Award.year,
           lambda: and_(_award_live(), Award.nominee_kind == "person",
                        Award.occupation_group.in_(sorted(DIRECT_LABOUR_GROUPS))), _AWARD_JOIN),
    Metric("award.collective", "Khen thưởng tập thể", Award, "award", Award.year,
           lambda: and_(_award_live(), Award.nominee_kind == "collective"), _AWARD_JOIN),
    Metric("award.household", "Khen thưởng hộ gia đình", Award, "award", Award.year,
           lambda: and_(_award_live(), Award.nominee_kind == "household"), _AWARD_JOIN),
    Metric("pet.received", "Đơn thư tiếp nhận trong năm", Petition, "pet", _petition_year(), _always),
    Metric("pet.answered", "Đơn thư đã trả lời, kết thúc", Petition, "pet", _petition_year(),
           lambda: Petition.status.in_(("answered", "closed"))),
    Metric("insp.count", "Tự kiểm tra trong năm", Inspection, "insp", _inspection_year(),
           lambda: Inspection.kind == "self", _ROUND_JOIN),
]}

#: Figures counted "now" from open items and their due dates (not by year).
DUE_METRICS = {
    "pet.open": ("Đơn thư đang giải quyết", Petition),
    "pet.due_week": ("Đơn thư đến hạn trong 7 ngày", Petition),
    "pet.overdue": ("Đơn thư quá hạn", Petition),
    "ca.open": ("Biện pháp khắc phục chưa hoàn thành", CorrectiveAction),
    "ca.overdue": ("Biện pháp khắc phục quá hạn", CorrectiveAction),
}
#: Figures with their own computation (drilled down through their own conditions).
SPECIAL_METRICS = {
    "mov.running": ("Phong trào thi đua đang triển khai", Movement),
    "insp.score": ("Điểm tự kiểm tra gần nhất", Inspection),
}
#: The wide row of `unit_year_figures`: column → the metric of `unit_year_stat` it repeats.
FIGURE_SOURCES = {
    "plans_adopted": "plan.adopted", "plans_late": "plan.late", "mov_running": "mov.running",
    "mov_targets": "mov.targets", "mov_progress_sum": "mov.progress", "nom_total": "nom.total",
    "nom_review": "nom.review", "nom_proposed": "nom.proposed", "nom_awarded": "nom.awarded",
    "award_total": "award.total", "award_title": "award.title", "award_form": "award.form",
    "award_person": "award.person", "award_direct": "award.direct", "insp_score100": "insp.score",
}
#: Awards by code: "award.code.<code>"; petitions by kind: "pet.kind.<kind>".
DYNAMIC_PREFIXES = {"award.code.": "award", "pet.kind.": "pet", "pet.status.": "pet"}
#: A city's or province's charts read its children's dynamic figures summed into rows of its own,
#: "sub.<metric>", kept by adding what changed in a child (a province has 3,321 communes).
CHILDREN_SUM = "sub."

FAMILY_OF_MODEL = {
    Plan: {"plan"}, Movement: {"mov"}, Target: {"mov"}, ProgressReport: {"mov"}, Nomination: {"nom"},
    Nominee: {"nom"}, Award: {"award"}, Petition: {"pet"}, Inspection: {"insp"}, CorrectiveAction: {"insp"},
}
FAMILIES = ("plan", "mov", "nom", "award", "pet", "insp")


def metric_label(key: str) -> str:
    if key in METRICS:
        return METRICS[key].label
    if key in DUE_METRICS:
        return DUE_METRICS[key][0]
    if key in SPECIAL_METRICS:
        return SPECIAL_METRICS[key][0]
    if key.startswith("award.code."):
        return f"Khen thưởng: {award_name(key[len('award.code.'):])}"
    if key.startswith("pet.kind."):
        from thiduaweb.complaints.models import KINDS

        return f"Đơn thư: {KINDS.get(key[len('pet.kind.'):], key)}"
    if key.startswith("pet.status."):
        from thiduaweb.complaints.models import STATUSES

        return f"Đơn thư: {STATUSES.get(key[len('pet.status.'):], key).lower()}"
    return key


def award_name(code: str) -> str:
    from thiduaweb.extensions import db

    name = db.session.scalar(select(AwardType.name).where(AwardType.code == code).order_by(AwardType.id.desc())
                             .limit(1))
    return name or code


def known_metric(key: str) -> bool:
    return (key in METRICS or key in DUE_METRICS or key in SPECIAL_METRICS
            or any(key.startswith(p) and len(key) > len(p) for p in DYNAMIC_PREFIXES))


# --- Computing the rows ---------------------------------------------------------------------

def _in_units(column, unit_ids):
    return true() if unit_ids is None else column.in_(sorted(unit_ids))


def _count_family(conn, family: str, unit_ids) -> list[tuple]:
    metrics = [m for m in METRICS.values() if m.family == family]
    if not metrics:
        return []
    model = metrics[0].model
    year = metrics[0].year.label("y")
    columns = [func.sum(case((m.where(), 1), else_=0)) for m in metrics]
    stmt = select(model.unit_id, year, *columns).select_from(model)
    seen = set()
    for m in metrics:
        for target, onclause in m.joins:
            if id(target) not in seen:
                seen.add(id(target))
                stmt = stmt.outerjoin(target, onclause)
    stmt = stmt.where(_in_units(model.unit_id, unit_ids)).group_by(model.unit_id, metrics[0].year)
    out = []
    for row in conn.execute(stmt):
        unit_id, y = row[0], row[1]
        if y is None:
            continue
        for m, value in zip(metrics, row[2:], strict=True):
            if value:
                out.append((unit_id, int(y), m.key, int(value)))
    return out


def _dynamic(conn, family: str, unit_ids) -> list[tuple]:
    out = []
    if family == "award":
        stmt = (select(Award.unit_id, Award.year, Award.award_code, func.count())
                .where(_in_units(Award.unit_id, unit_ids), _award_live())
                .group_by(Award.unit_id, Award.year, Award.award_code))
        out += [(u, int(y), f"award.code.{code}", int(n)) for u, y, code, n in conn.execute(stmt)]
    elif family == "pet":
        y = _petition_year()
        stmt = (select(Petition.unit_id, y, Petition.kind, func.count())
                .where(_in_units(Petition.unit_id, unit_ids)).group_by(Petition.unit_id, y, Petition.kind))
        out += [(u, int(yy), f"pet.kind.{kind}", int(n)) for u, yy, kind, n in conn.execute(stmt) if yy is not None]
        stmt = (select(Petition.unit_id, y, Petition.status, func.count())
                .where(_in_units(Petition.unit_id, unit_ids)).group_by(Petition.unit_id, y, Petition.status))
        out += [(u, int(yy), f"pet.status.{st}", int(n)) for u, yy, st, n in conn.execute(stmt) if yy is not None]
    return out


def movement_years(starts_on: date, ends_on: date | None, this_year: int | None = None) -> range:
    """The years a movement runs in: from its start to its end (open-ended: to this year)."""
    this_year = this_year or clock.today().year
    last = ends_on.year if ends_on else max(starts_on.year, this_year)
    return range(starts_on.year, last + 1)


def _movements(conn, unit_ids) -> list[tuple]:
    """Running movements per year, their targets, how many met, and the sum of capped percentages."""
    this_year = clock.today().year
    movements = {mid: (uid, s, e) for mid, uid, s, e in conn.execute(
        select(Movement.id, Movement.unit_id, Movement.starts_on, Movement.ends_on)
        .where(_in_units(Movement.unit_id, unit_ids)))}
    targets = list(conn.execute(select(Target.id, Target.movement_id, Target.target_value)
                                .where(_in_units(Target.unit_id, unit_ids))))
    reports: dict[int, list] = defaultdict(list)
    for tid, on, value in conn.execute(select(ProgressReport.target_id, ProgressReport.reported_on,
                                              ProgressReport.value)
                                       .where(_in_units(ProgressReport.unit_id, unit_ids))
                                       .order_by(ProgressReport.target_id, ProgressReport.reported_on,
                                                 ProgressReport.id)):
        reports[tid].append((on, value))
    totals: dict[tuple, int] = defaultdict(int)
    for uid, starts_on, ends_on in movements.values():
        if starts_on is None:
            continue
        for y in movement_years(starts_on, ends_on, this_year):
            totals[(uid, y, "mov.running")] += 1
    for tid, mid, target_value in targets:
        if mid not in movements or movements[mid][1] is None:
            continue
        uid, starts_on, ends_on = movements[mid]
        for y in movement_years(starts_on, ends_on, this_year):
            latest = None
            for on, value in reports.get(tid, ()):
                if on.year <= y:
                    latest = value
            pct = progress_percent(latest, target_value)
            totals[(uid, y, "mov.targets")] += 1
            totals[(uid, y, "mov.progress")] += pct
            if pct >= 100:
                totals[(uid, y, "mov.targets_met")] += 1
    return [(u, y, k, v) for (u, y, k), v in totals.items() if v]


def progress_percent(value, target_value) -> int:
    """Reported value against the target, in whole percent, capped at 100."""
    if value is None or not target_value:
        return 0
    pct = Decimal(value) * 100 / Decimal(target_value)
    return int(max(0, min(100, pct)))


def _inspection_scores(conn, unit_ids) -> list[tuple]:
    """The latest scored self-inspection of each unit and year (score × 100, kept as an integer)."""
    y = _inspection_year()
    stmt = (select(Inspection.unit_id, y, Inspection.score)
            .join(InspectionRound, InspectionRound.id == Inspection.round_id)
            .where(_in_units(Inspection.unit_id, unit_ids), Inspection.kind == "self", Inspection.score.is_not(None))
            .order_by(Inspection.unit_id, y, Inspection.inspected_on.is_(None), Inspection.inspected_on, Inspection.id))
    latest = {}
    for uid, yy, score in conn.execute(stmt):
        if yy is not None:
            latest[(uid, int(yy))] = int(round(Decimal(score) * 100))
    return [(u, yy, "insp.score", v) for (u, yy), v in latest.items()]


def year_rows(conn, family: str, unit_ids=None) -> list[tuple]:
    if family == "mov":
        return _movements(conn, unit_ids)
    rows = _count_family(conn, family, unit_ids) + _dynamic(conn, family, unit_ids)
    if family == "insp":
        rows += _inspection_scores(conn, unit_ids)
    return rows


def due_rows(conn, family: str, unit_ids=None) -> list[tuple]:
    if family == "pet":
        stmt = (select(Petition.unit_id, literal("pet.open"), Petition.due_on, func.count())
                .where(_in_units(Petition.unit_id, unit_ids), Petition.status.in_(OPEN_STATUSES))
                .group_by(Petition.unit_id, Petition.due_on))
    elif family == "insp":
        stmt = (select(CorrectiveAction.unit_id, literal("ca.open"), CorrectiveAction.due_date, func.count())
                .where(_in_units(CorrectiveAction.unit_id, unit_ids), CorrectiveAction.status != "closed")
                .group_by(CorrectiveAction.unit_id, CorrectiveAction.due_date))
    else:
        return []
    return [tuple(r) for r in conn.execute(stmt)]


def _prefix_clause(column, family: str):
    return column.like(f"{family}.%")


def recompute(conn, families, unit_ids=None) -> None:
    """Bring the summary rows of `families` for `unit_ids` (None: every unit) up to date in this
    transaction. For given units only the rows whose value changed are written, and the units whose rows
    changed have their summary area raised (core/revisions.py): a page showing figures alone is drawn
    again when a figure changes, not when a nomination's text does."""
    with system_maintenance(conn):
        if unit_ids is None:
            _rebuild_rows(conn, families)
        else:
            _update_rows(conn, families, set(unit_ids))


def _rebuild_rows(conn, families) -> None:
    stat, due = UnitYearStat.__table__, UnitDueStat.__table__
    for family in families:
        conn.execute(delete(stat).where(_prefix_clause(stat.c.metric, family)))
        _insert_year_rows(conn, year_rows(conn, family))
        due_family = DUE_FAMILIES.get(family)
        if due_family:
            conn.execute(delete(due).where(due.c.metric.like(f"{due_family}%")))
            _insert_due_rows(conn, due_rows(conn, family))
    if any(family in _FIGURE_FAMILIES for family in families):
        _refresh_figures(conn, None)
    _rebuild_children_sums(conn)
    raise_revisions(conn, None)  # a rebuild may change any unit's figures


def _insert_year_rows(conn, rows) -> None:
    for start in range(0, len(rows), 5000):
        conn.execute(insert(UnitYearStat.__table__), [{"unit_id": u, "year": y, "metric": k, "value": v}
                                                      for u, y, k, v in rows[start:start + 5000]])


def _insert_due_rows(conn, rows) -> None:
    for start in range(0, len(rows), 5000):
        conn.execute(insert(UnitDueStat.__table__), [{"unit_id": u, "metric": k, "due_on": d, "value": n}
                                                     for u, k, d, n in rows[start:start + 5000]])


#: The families with figures counted by due date, and the prefix of their metrics in `unit_due_stat`.
DUE_FAMILIES = {"pet": "pet.", "insp": "ca."}


def _update_rows(conn, families, unit_ids: set[int]) -> None:
    """Write the rows of `unit_ids` that differ from what the source rows give now, keep the children's
    sums of their parents right, and raise the summary area of the units whose rows changed."""
    # Writers take turns from here (the audit chain's head, as every audited flush takes it): the rows
    # read and counted below include every write committed before this one.
    lock_chain(conn)
    year_before, year_after = _stored_year_rows(conn, families, unit_ids), {}
    for family in families:
        year_after.update({(u, y, k): v for u, y, k, v in year_rows(conn, family, unit_ids)})
    due_families = [DUE_FAMILIES[f] for f in families if f in DUE_FAMILIES]
    due_before, due_after = _stored_due_rows(conn, due_families, unit_ids), {}
    for family in families:
        due_after.update({(u, k, d): n for u, k, d, n in due_rows(conn, family, unit_ids)})
    changed = _write_changes(conn, UnitYearStat.__table__, ("unit_id", "year", "metric"), year_before, year_after)
    changed |= _write_changes(conn, UnitDueStat.__table__, ("unit_id", "metric", "due_on"), due_before, due_after)
    if not changed:
        return
    if any(family in _FIGURE_FAMILIES for family in families):
        _refresh_figures(conn, changed)
    prefixes = tuple(_dynamic_prefixes(families))
    _add_to_parents(conn, {k: v for k, v in year_before.items() if k[2].startswith(prefixes)},
                    {k: v for k, v in year_after.items() if k[2].startswith(prefixes)})
    # Only these units' own rows changed: a parent whose children's sums moved has its tree counter raised
    # (as every ancestor's is), not its own, which every commune's key holds.
    raise_revisions(conn, changed, [SUMMARY_AREA])


def _stored_year_rows(conn, families, unit_ids) -> dict[tuple, int]:
    stat = UnitYearStat.__table__
    rows = conn.execute(select(stat.c.unit_id, stat.c.year, stat.c.metric, stat.c.value).where(
        stat.c.unit_id.in_(sorted(unit_ids)), or_(*[_prefix_clause(stat.c.metric, f) for f in families])))
    return {(u, y, k): v for u, y, k, v in rows}


def _stored_due_rows(conn, prefixes, unit_ids) -> dict[tuple, int]:
    if not prefixes:
        return {}
    due = UnitDueStat.__table__
    rows = conn.execute(select(due.c.unit_id, due.c.metric, due.c.due_on, due.c.value).where(
        due.c.unit_id.in_(sorted(unit_ids)), or_(*[due.c.metric.like(p + "%") for p in prefixes])))
    return {(u, k, d): n for u, k, d, n in rows}


def _write_changes(conn, table, keys: tuple[str, ...], before: dict, after: dict) -> set[int]:
    """Delete, update and insert the rows of `table` (keyed by the columns `keys`) so that it holds
    `after` where it held `before`; the units whose rows changed."""
    gone = [k for k in before if k not in after]
    moved = [k for k in after if k in before and before[k] != after[k]]
    new = [k for k in after if k not in before]
    if gone or moved:
        # A due date may be NULL (IS NOT DISTINCT FROM); the other columns are compared with "=", which
        # PostgreSQL can look up in the unit's index.
        match = and_(*[table.c[name].is_not_distinct_from(bindparam("k_" + name)) if table.c[name].nullable
                       else table.c[name] == bindparam("k_" + name) for name in keys])
    if gone:
        conn.execute(delete(table).where(match), [_key_params(keys, k) for k in gone])
    if moved:
        conn.execute(table.update().where(match).values(value=bindparam("v")),
                     [_key_params(keys, k) | {"v": after[k]} for k in moved])
    if new:
        conn.execute(insert(table), [dict(zip(keys, k)) | {"value": after[k]} for k in new])
    return {k[0] for k in (*gone, *moved, *new)}


def _key_params(keys, key) -> dict:
    return {"k_" + name: value for name, value in zip(keys, key)}


_FIGURE_FAMILIES = {metric.split(".")[0] for metric in FIGURE_SOURCES.values()}


def _dynamic_prefixes(families) -> list[str]:
    return [prefix for prefix, family in DYNAMIC_PREFIXES.items() if family in families]


def _add_to_parents(conn, before: dict, after: dict) -> None:
    """Add the change of the children's dynamic figures to their parents' "sub." rows."""
    units = {key[0] for key in before} | {key[0] for key in after}
    if not units:
        return
    parents = {unit_id: parent_id for unit_id, parent_id in conn.execute(
        select(Unit.id, Unit.parent_id).where(Unit.id.in_(sorted(units)), Unit.parent_id.is_not(None)))}
    delta: dict[tuple, int] = defaultdict(int)
    for key in before.keys() | after.keys():
        unit_id, year, metric = key
        change = after.get(key, 0) - before.get(key, 0)
        if change and unit_id in parents:
            delta[(parents[unit_id], year, CHILDREN_SUM + metric)] += change
    changes = [{"unit_id": u, "year": y, "metric": m, "value": v} for (u, y, m), v in sorted(delta.items()) if v]
    if not changes:
        return
    # Writers of the same province meet on its rows; they take turns in the audit trail's order
    # (its head row first, as every audited flush does), so two of them never wait on each other.
    lock_chain(conn)
    stat = UnitYearStat.__table__
    upsert = (postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert)(stat)
    conn.execute(upsert.on_conflict_do_update(index_elements=["unit_id", "year", "metric"],
                                              set_={"value": stat.c.value + upsert.excluded.value}), changes)
    conn.execute(delete(stat).where(stat.c.unit_id.in_(sorted({c["unit_id"] for c in changes})),
                                    stat.c.metric.like(CHILDREN_SUM + "%"), stat.c.value == 0))


def _rebuild_children_sums(conn) -> None:
    stat = UnitYearStat.__table__
    conn.execute(delete(stat).where(stat.c.metric.like(CHILDREN_SUM + "%")))
    sums = (select(Unit.parent_id, stat.c.year, literal(CHILDREN_SUM) + stat.c.metric, func.sum(stat.c.value))
            .join(Unit, Unit.id == stat.c.unit_id)
            .where(Unit.parent_id.is_not(None), or_(*[stat.c.metric.like(p + "%") for p in DYNAMIC_PREFIXES]))
            .group_by(Unit.parent_id, stat.c.year, stat.c.metric))
    conn.execute(insert(stat).from_select(["unit_id", "year", "metric", "value"], sums))


def _refresh_figures(conn, unit_ids) -> None:
    """Rewrite the wide rows of `unit_ids` (None: every unit) from their `unit_year_stat` rows."""
    figures, stat = UnitYearFigures.__table__, UnitYearStat.__table__
    conn.execute(delete(figures).where(_in_units(figures.c.unit_id, unit_ids)))
    columns = [func.max(case((stat.c.metric == metric, stat.c.value), else_=null())) if name == "insp_score100"
               else func.coalesce(func.sum(case((stat.c.metric == metric, stat.c.value), else_=0)), 0)
               for name, metric in FIGURE_SOURCES.items()]
    rows = (select(stat.c.unit_id, stat.c.year, *columns)
            .where(_in_units(stat.c.unit_id, unit_ids), stat.c.metric.in_(list(FIGURE_SOURCES.values())))
            .group_by(stat.c.unit_id, stat.c.year))
    conn.execute(insert(figures).from_select(["unit_id", "year", *FIGURE_SOURCES], rows))


def rebuild(session: Session) -> int:
    """Recompute every summary row (after bulk loads); returns how many rows there are now."""
    conn = session.connection()
    recompute(conn, FAMILIES, None)
    return conn.execute(select(func.count()).select_from(UnitYearStat.__table__)).scalar() or 0


# --- Keeping them right as data changes -------------------------------------------------------

def _after_flush(session: Session, flush_context) -> None:
    if session.info.get("dashboard_off"):
        return
    touched: dict[str, set[int]] = defaultdict(set)
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        families = FAMILY_OF_MODEL.get(type(obj))
        if not families:
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        unit_id = getattr(obj, "unit_id", None)
        if unit_id is None:
            continue
        for family in families:
            touched[family].add(unit_id)
    if not touched:
        return
    conn = session.connection()
    for family, units in touched.items():
        recompute(conn, [family], units)


def install_listeners() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# --- Drill-down ---------------------------------------------------------------------------------

def drill_statement(key: str, unit_id: int, year: int | None, today: date | None = None):
    """The rows behind one figure of one unit: (model, select statement), or None for an unknown key."""
    today = today or clock.today()
    if key in METRICS:
        m = METRICS[key]
        stmt = select(m.model)
        for target, onclause in m.joins:
            stmt = stmt.outerjoin(target, onclause)
        stmt = stmt.where(m.model.unit_id == unit_id, m.where())
        if year is not None:
            stmt = stmt.where(m.year == year)
        return m.model, stmt.order_by(m.model.id.desc())
    if key.startswith("award.code."):
        stmt = select(Award).where(Award.unit_id == unit_id, _award_live(), Award.award_code == key[11:])
        if year is not None:
            stmt = stmt.where(Award.year == year)
        return Award, stmt.order_by(Award.id.desc())
    if key.startswith("pet.kind."):
        stmt = select(Petition).where(Petition.unit_id == unit_id, Petition.kind == key[9:])
        if year is not None:
            stmt = stmt.where(_petition_year() == year)
        return Petition, stmt.order_by(Petition.id.desc())
    if key.startswith("pet.status."):
        stmt = select(Petition).where(Petition.unit_id == unit_id, Petition.status == key[11:])
        if year is not None:
            stmt = stmt.where(_petition_year() == year)
        return Petition, stmt.order_by(Petition.id.desc())
    if key.startswith("pet."):
        stmt = select(Petition).where(Petition.unit_id == unit_id, Petition.status.in_(OPEN_STATUSES))
        if key == "pet.due_week":
            stmt = stmt.where(Petition.due_on >= today, Petition.due_on <= today + timedelta(days=DUE_WEEK_DAYS))
        elif key == "pet.overdue":
            stmt = stmt.where(Petition.due_on < today)
        elif key != "pet.open":
            return None
        return Petition, stmt.order_by(Petition.due_on, Petition.id)
    if key.startswith("ca."):
        stmt = select(CorrectiveAction).where(CorrectiveAction.unit_id == unit_id, CorrectiveAction.status != "closed")
        if key == "ca.overdue":
            stmt = stmt.where(CorrectiveAction.due_date < today)
        elif key != "ca.open":
            return None
        return CorrectiveAction, stmt.order_by(CorrectiveAction.due_date, CorrectiveAction.id)
    if key == "mov.running":
        stmt = select(Movement).where(Movement.unit_id == unit_id)
        if year is not None:
            open_ended = (Movement.ends_on.is_(None) if year <= today.year
                          else and_(Movement.ends_on.is_(None), extract("year", Movement.starts_on) == year))
            stmt = stmt.where(Movement.starts_on <= date(year, 12, 31),
                              or_(Movement.ends_on >= date(year, 1, 1), open_ended))
        return Movement, stmt.order_by(Movement.starts_on.desc(), Movement.id.desc())
    if key == "insp.score":
        stmt = (select(Inspection).join(InspectionRound, InspectionRound.id == Inspection.round_id)
                .where(Inspection.unit_id == unit_id, Inspection.kind == "self", Inspection.score.is_not(None)))
        if year is not None:
            stmt = stmt.where(_inspection_year() == year)
        return Inspection, stmt.order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
    return None
