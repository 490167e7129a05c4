"""What the dashboards show: one row of figures per commune read from the summary rows in a single
statement (its cost does not grow with communes or years), the lists behind each figure, charts."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, case, func, null, nulls_last, or_, select

from thiduaweb.core import clock
from thiduaweb.core.reads import Read
from thiduaweb.core.tenancy import all_units
from thiduaweb.dashboard import stats
from thiduaweb.dashboard.models import UnitDueStat, UnitYearFigures, UnitYearStat
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

PAGE_SIZE = 50
#: At this many communes or more the table is grouped by kind and paginated.
GROUP_FROM = 100


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    group: str
    metric: str | None  # the figure a link drills down to
    kind: str = "count"  # count | percent | score | due
    yearly: bool = True  # compared with the year before


COLUMNS = [
    Column("plans_adopted", "Đã ban hành", "Kế hoạch", "plan.adopted"),
    Column("plans_late", "Ban hành muộn", "Kế hoạch", "plan.late"),
    Column("mov_running", "Đang triển khai", "Phong trào", "mov.running"),
    Column("mov_progress", "Tiến độ chỉ tiêu (%)", "Phong trào", "mov.running", "percent"),
    Column("nom_total", "Tổng số", "Đề nghị khen thưởng", "nom.total"),
    Column("nom_review", "Đang xét", "Đề nghị khen thưởng", "nom.review"),
    Column("nom_proposed", "Trình cấp trên", "Đề nghị khen thưởng", "nom.proposed"),
    Column("nom_awarded", "Đã khen", "Đề nghị khen thưởng", "nom.awarded"),
    Column("award_total", "Tổng số", "Khen thưởng", "award.total"),
    Column("award_title", "Danh hiệu", "Khen thưởng", "award.title"),
    Column("award_form", "Hình thức", "Khen thưởng", "award.form"),
    Column("share", "Tỷ lệ CN, ND, LĐTT (%)", "Khen thưởng", "award.direct", "percent"),
    Column("pet_open", "Đang giải quyết", "Đơn thư", "pet.open", "due", False),
    Column("pet_due_week", "Đến hạn 7 ngày", "Đơn thư", "pet.due_week", "due", False),
    Column("pet_overdue", "Quá hạn", "Đơn thư", "pet.overdue", "due", False),
    Column("insp_score", "Điểm tự kiểm tra", "Tự kiểm tra", "insp.score", "score"),
    Column("ca_open", "Khắc phục chưa xong", "Tự kiểm tra", "ca.open", "due", False),
]
COLUMN_BY_NAME = {c.name: c for c in COLUMNS}
FILTER_OPS = {"gt": "lớn hơn", "lt": "nhỏ hơn", "eq": "bằng"}
KIND_GROUPS = {"commune": "Xã", "ward": "Phường", "township": "Thị trấn", "special_zone": "Đặc khu"}
SHARE_TARGET = 30.0


def _due_pivot(units_clause) -> select:
    d = UnitDueStat
    today, week = bindparam("today"), bindparam("week")
    columns = [
        func.sum(case((d.metric == "pet.open", d.value), else_=0)).label("pet_open"),
        func.sum(case((and_(d.metric == "pet.open", d.due_on >= today, d.due_on <= week), d.value), else_=0))
        .label("pet_due_week"),
        func.sum(case((and_(d.metric == "pet.open", d.due_on < today), d.value), else_=0)).label("pet_overdue"),
        func.sum(case((d.metric == "ca.open", d.value), else_=0)).label("ca_open"),
        func.sum(case((and_(d.metric == "ca.open", d.due_on < today), d.value), else_=0)).label("ca_overdue"),
    ]
    return select(d.unit_id, *columns).where(units_clause(d.unit_id)).group_by(d.unit_id).subquery("d")


@functools.cache
def _figures_select(scope: str, only: tuple[str, ...] | None = None):
    """One statement: each unit with its figures for a year and the year before (two wide rows a unit).

    `scope` "unit" is one unit (parameter unit_id), "city" the units under one (city_id); the other
    parameters come from `_figure_params`; `only`: these figures alone (the year before is joined only
    if one of them needs it). Built once: composing it costs more than running it.
    """
    if scope == "unit":
        units_where, units_clause = Unit.id == bindparam("unit_id"), lambda col: col == bindparam("unit_id")
    else:
        units_where = Unit.parent_id == bindparam("city_id")
        children = select(Unit.id).where(Unit.parent_id == bindparam("city_id")).scalar_subquery()
        units_clause = lambda col: col.in_(children)  # noqa: E731
    figures = UnitYearFigures.__table__
    years = {"": figures.alias("y_cur"), "_prev": figures.alias("y_prev")}
    d = _due_pivot(units_clause)

    def yv(name, suffix=""):
        return func.coalesce(years[suffix].c[name], 0)

    def pct(num, den):
        return case((den > 0, num * 100.0 / den), else_=null())

    exprs = {}
    for suffix in ("", "_prev"):
        for name in ("plans_adopted", "plans_late", "mov_running", "nom_total", "nom_review", "nom_proposed",
                     "nom_awarded", "award_total", "award_title", "award_form", "award_person", "award_direct"):
            exprs[name + suffix] = yv(name, suffix)
        exprs["mov_progress" + suffix] = pct(yv("mov_progress_sum", suffix) / 100.0, yv("mov_targets", suffix))
        exprs["share" + suffix] = pct(yv("award_direct", suffix), yv("award_person", suffix))
        exprs["insp_score" + suffix] = years[suffix].c.insp_score100 / 100.0
    for name in ("pet_open", "pet_due_week", "pet_overdue", "ca_open", "ca_overdue"):
        exprs[name] = func.coalesce(d.c[name], 0)
    if only is not None:
        exprs = {k: e for k, e in exprs.items() if k in only}
    stmt = (select(Unit.id.label("unit_id"), Unit.name.label("name"), Unit.slug.label("slug"),
                   Unit.kind.label("kind"), *[e.label(k) for k, e in exprs.items()])
            .select_from(Unit)
            .outerjoin(years[""], and_(years[""].c.unit_id == Unit.id, years[""].c.year == bindparam("year"))))
    if only is None or any(k.endswith("_prev") for k in only):
        stmt = stmt.outerjoin(years["_prev"], and_(years["_prev"].c.unit_id == Unit.id,
                                                   years["_prev"].c.year == bindparam("prev_year")))
    if only is None or any(k.startswith(("pet_", "ca_")) for k in only):
        stmt = stmt.outerjoin(d, d.c.unit_id == Unit.id)
    return stmt.where(units_where)


@functools.cache
def _city_figures():
    return _figures_select("city").subquery("t")


def _figure_params(year: int, today: date, **unit) -> dict:
    return {"year": year, "prev_year": year - 1, "today": today,
            "week": today + timedelta(days=stats.DUE_WEEK_DAYS), **unit}


@dataclass
class Table:
    rows: list
    total: int
    page: int
    pages: int
    totals: dict
    grouped: bool
    groups: dict


def city_table(city: Unit, year: int, *, sort: str = "name", desc: bool = False, q: str = "", kind: str = "",
               filter_col: str = "", filter_op: str = "", filter_value: float | None = None, page: int = 1,
               today: date | None = None) -> Table:
    """The communes under `city` with their figures: filtered, sorted, one page (two statements)."""
    params = _figure_params(year, today or clock.today(), city_id=city.id)
    inner = _city_figures()
    conditions = []
    if q:
        conditions.append(inner.c.name.ilike(f"%{q}%"))
    if kind in KIND_GROUPS:
        conditions.append(inner.c.kind == kind)
    if filter_col in COLUMN_BY_NAME and filter_op in FILTER_OPS and filter_value is not None:
        col = inner.c[filter_col]
        conditions.append({"gt": col > filter_value, "lt": col < filter_value, "eq": col == filter_value}[filter_op])
    filtered = select(inner).where(*conditions).subquery("f")
    order_col = filtered.c[sort] if sort in COLUMN_BY_NAME else filtered.c.name
    order = nulls_last(order_col.desc() if desc else order_col.asc())
    # The totals of every filtered row ride along each row of the page (window sums): one statement.
    stmt = (select(filtered, func.count().over().label("total_rows"),
                   *[func.sum(filtered.c[k]).over().label(f"total_{k}") for k in _TOTALS])
            .order_by(order, filtered.c.name, filtered.c.unit_id))
    size = PAGE_SIZE
    page = max(1, page)
    rows = [dict(r._mapping) for r in db.session.execute(all_units(stmt.limit(size).offset((page - 1) * size)),
                                                         params)]
    if not rows and page > 1:
        page = 1
        rows = [dict(r._mapping) for r in db.session.execute(all_units(stmt.limit(size)), params)]
    total = rows[0]["total_rows"] if rows else 0
    # PostgreSQL sums integers as numeric (Decimal): the totals are whole counts.
    totals = {k: int(rows[0][f"total_{k}"] or 0) if rows else 0 for k in _TOTALS}
    totals["n"] = total
    totals["share"] = (totals["award_direct"] * 100.0 / totals["award_person"]) if totals["award_person"] else None
    totals["share_prev"] = ((totals["award_direct_prev"] * 100.0 / totals["award_person_prev"])
                            if totals["award_person_prev"] else None)
    groups = {}
    if total >= GROUP_FROM or kind:
        groups = {k: n for k, n in db.session.execute(select(Unit.kind, func.count()).where(Unit.parent_id == city.id)
                                                      .group_by(Unit.kind).order_by(Unit.kind))}
    return Table(rows, total, page, max(1, -(-total // size)), totals, total >= GROUP_FROM, groups)


#: Columns summed in the table's footer.
_TOTALS = ("plans_adopted", "plans_late", "mov_running", "nom_total", "nom_review", "nom_proposed", "nom_awarded",
           "award_total", "award_title", "award_form", "award_person", "award_direct", "award_person_prev",
           "award_direct_prev", "pet_open", "pet_due_week", "pet_overdue", "ca_open", "award_total_prev",
           "nom_total_prev", "plans_adopted_prev")


def unit_figures(unit: Unit, year: int, today: date | None = None) -> dict:
    """The same figures for one unit alone (a commune's dashboard, the reports): one statement, marked
    cross-unit (the reports run outside a request's scope too)."""
    params = _figure_params(year, today or clock.today(), unit_id=unit.id)
    return dict(db.session.execute(all_units(_figures_select("unit")), params).one()._mapping)


def unit_figures_read(unit: Unit, year: int, *, only: tuple[str, ...]) -> Read:
    """The figures `only` of a unit in the request's unit scope (the commune home), to read with other
    parts (core/reads.py): no cross-unit read to switch on. Its one row is the figures."""
    return Read(_figures_select("unit", only), _figure_params(year, clock.today(), unit_id=unit.id))


def unit_metrics(unit_ids: list[int], year: int, yearly: tuple[str, ...], every_year: tuple[str, ...] = (), *,
                 across_units: bool = False) -> dict[int, dict[str, int]]:
    """{unit: {metric: value}} from the summary rows, in one statement: the metrics `yearly` of `year`, and
    `every_year` summed over all years (a metric never counted reads 0). `across_units`: the units are
    read past the request's scope (a city's page reads its communes)."""
    found = {unit_id: dict.fromkeys((*yearly, *every_year), 0) for unit_id in unit_ids}
    params = {"unit_ids": list(unit_ids), "year": year, "yearly": list(yearly), "every_year": list(every_year)}
    for unit_id, metric, value in db.session.execute(_unit_metrics_select(across_units), params):
        found[unit_id][metric] = int(value or 0)
    return found


@functools.cache
def _unit_metrics_select(across_units: bool):
    s = UnitYearStat
    stmt = (select(s.unit_id, s.metric, func.sum(s.value))
            .where(s.unit_id.in_(bindparam("unit_ids", expanding=True)),
                   or_(and_(s.year == bindparam("year"), s.metric.in_(bindparam("yearly", expanding=True))),
                       s.metric.in_(bindparam("every_year", expanding=True))))
            .group_by(s.unit_id, s.metric))
    return all_units(stmt) if across_units else stmt


def _chart_source(unit: Unit, children: bool, prefix: str):
    """Where a chart's figures are: the unit's own rows, or the sums of its children's ("sub.")."""
    s = UnitYearStat
    prefix = (stats.CHILDREN_SUM + prefix) if children else prefix
    return prefix, and_(s.unit_id == unit.id, s.metric.like(prefix + "%"))


def breakdown(unit: Unit, year: int, prefix: str, *, children: bool = False) -> dict[str, int]:
    """The dynamic figures starting with `prefix` (petition kinds, statuses) of a year, largest first."""
    s = UnitYearStat
    prefix, where = _chart_source(unit, children, prefix)
    rows = db.session.execute(all_units(select(s.metric, s.value).where(where, s.year == year, s.value != 0)
                                        .order_by(s.value.desc(), s.metric)))
    return {m[len(prefix):]: int(v) for m, v in rows}


def awards_by_year(unit: Unit, years: list[int], *, children: bool = False) -> dict:
    """{award code: {year: count}} over the years, for the chart of awards by title."""
    s = UnitYearStat
    prefix, where = _chart_source(unit, children, "award.code.")
    out: dict = {}
    for metric, y, v in db.session.execute(all_units(select(s.metric, s.year, s.value)
                                                     .where(where, s.year.in_(years), s.value != 0))):
        out.setdefault(metric[len(prefix):], {})[int(y)] = int(v)
    return out


def award_names(codes) -> dict[str, str]:
    from thiduaweb.awards.models import AwardType

    names = {}
    for code, name in db.session.execute(select(AwardType.code, AwardType.name).where(AwardType.code.in_(list(codes)))
                                         .order_by(AwardType.id)):
        names[code] = name
    return {c: names.get(c, c) for c in codes}


def year_choices() -> list[int]:
    this = clock.today().year
    return list(range(this, this - 11, -1))


# --- Drill-down -------------------------------------------------------------------------------

def drill_rows(key: str, unit_id: int, year: int | None, *, limit: int | None = 200):
    """(model, total, objects) behind a figure, or None for an unknown figure."""
    found = stats.drill_statement(key, unit_id, year)
    if found is None:
        return None
    model, stmt = found
    total = db.session.scalar(all_units(select(func.count()).select_from(stmt.order_by(None).subquery())))
    if limit:
        stmt = stmt.limit(limit)
    return model, total or 0, list(db.session.scalars(all_units(stmt)).unique())


def iter_drill(key: str, unit_id: int, year: int | None):
    found = stats.drill_statement(key, unit_id, year)
    if found is None:
        return None, iter(())
    model, stmt = found
    return model, db.session.scalars(all_units(stmt).execution_options(yield_per=1000))

