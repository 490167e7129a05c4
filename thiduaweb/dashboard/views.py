"""Dashboards (/u/<unit>/dashboard): the city's table of communes with drill-down, a commune's own
figures, charts, "Việc cần làm", the annual report, Excel exports (inline or in the background)."""
from __future__ import annotations

import json

from flask import abort, flash, g, render_template, request, url_for
from flask_login import current_user

from thiduaweb.core import clock, jobs, revisions
from thiduaweb.core.excel import download_response, xlsx_response
from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.dashboard import drill as presenters
from thiduaweb.dashboard import exports, report, services, stats, todo
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

bp = unit_blueprint("dashboard", __name__, "/dashboard")

_EVERYONE = ["admin", "supervisor", "officer", "council", "chairman", "viewer"]
grant({"dashboard.view", "todo.view"}, roles=_EVERYONE, inherited_by=["admin", "supervisor"])
grant({"report.issue"}, roles=["officer", "chairman", "supervisor"])
nav_item("dashboard.index", "Bảng số liệu", "dashboard.view", order=5)
nav_item("dashboard.todos", "Việc cần làm", "todo.view", order=6)
nav_item("dashboard.annual_report", "Báo cáo tổng kết năm", "dashboard.view", order=7)


def _year() -> int:
    value = request.args.get("year", "").strip()
    choices = services.year_choices()
    return int(value) if value.isdigit() and int(value) in choices else choices[0]


def _int(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else default


def _number(name: str) -> float | None:
    value = request.args.get(name, "").strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) < 1e12 else None


def _table_args() -> dict:
    sort = request.args.get("sort", "name")
    return {
        "sort": sort if sort in services.COLUMN_BY_NAME else "name",
        "desc": request.args.get("desc") == "1",
        "q": request.args.get("q", "").strip()[:100],
        "kind": request.args.get("kind", "") if request.args.get("kind", "") in services.KIND_GROUPS else "",
        "filter_col": request.args.get("fc", "") if request.args.get("fc", "") in services.COLUMN_BY_NAME else "",
        "filter_op": request.args.get("fo", "") if request.args.get("fo", "") in services.FILTER_OPS else "",
        "filter_value": _number("fv"),
    }


@bp.get("/")
@requires("dashboard.view")
def index():
    year = _year()
    compare = request.args.get("compare") == "1"
    if g.unit.is_commune_level:
        figures = services.unit_figures(g.unit, year)
        return render("dashboard/commune.html", year=year, figures=figures, compare=compare,
                      columns=services.COLUMNS, years=services.year_choices(),
                      charts=_charts(g.unit, year, None))
    args, page = _table_args(), _int("page", 1)
    key = ("city", *revisions.page_key(g.unit), year, compare, page, tuple(sorted(args.items())))
    table_html = revisions.rendered(key, lambda: _city_table_html(year, compare, page, args))
    return render("dashboard/city.html", block="dashboard_table", table_html=table_html, year=year, args=args,
                  compare=compare, columns=services.COLUMNS, years=services.year_choices(),
                  kinds=services.KIND_GROUPS, ops=services.FILTER_OPS)


def _city_table_html(year: int, compare: bool, page: int, args: dict) -> str:
    table = services.city_table(g.unit, year, page=page, **args)
    return render_template("dashboard/_city_table.html", year=year, table=table, args=args, compare=compare,
                           columns=services.COLUMNS, kinds=services.KIND_GROUPS, charts=_charts(g.unit, year, table),
                           share_target=services.SHARE_TARGET)


def _charts(unit, year: int, table) -> dict:
    """Charts of the unit's own figures (a commune) or of its communes' (`table` given: a city)."""
    years = [y for y in range(year - 4, year + 1)]
    children = table is not None
    by_year = services.awards_by_year(unit, years, children=children)
    names = services.award_names(by_year.keys())
    pet_kinds = services.breakdown(unit, year, "pet.kind.", children=children)
    pet_status = services.breakdown(unit, year, "pet.status.", children=children)
    from thiduaweb.complaints.models import KINDS, STATUSES

    charts = {
        "awards": {"type": "bar", "title": "Khen thưởng theo danh hiệu, hình thức qua các năm",
                   "labels": [str(y) for y in years],
                   "datasets": [{"label": names[c], "data": [v.get(y, 0) for y in years]}
                                for c, v in sorted(by_year.items())], "stacked": True},
        "petitions": {"type": "bar", "title": f"Đơn thư năm {year} theo loại",
                      "labels": [KINDS.get(k, k) for k in pet_kinds],
                      "datasets": [{"label": "Số đơn", "data": list(pet_kinds.values())}]},
        "petition_status": {"type": "bar", "title": f"Đơn thư năm {year} theo tình trạng",
                            "labels": [STATUSES.get(k, k) for k in pet_status],
                            "datasets": [{"label": "Số đơn", "data": list(pet_status.values())}]},
    }
    if table is not None:
        rows = [r for r in table.rows if r["share"] is not None]
        charts["share"] = {"type": "bar", "title": f"Tỷ lệ khen thưởng CN, ND, LĐTT năm {year} (%)",
                           "labels": [r["name"] for r in rows],
                           "datasets": [{"label": "Tỷ lệ (%)", "data": [round(r["share"], 1) for r in rows]}],
                           "target": services.SHARE_TARGET}
    return charts


@bp.get("/export.xlsx")
@requires("dashboard.view")
def export_table():
    """The city table as it is filtered and sorted, every page."""
    year = _year()
    args = _table_args()
    columns = ["Đơn vị"] + [f"{c.group}: {c.label}" for c in services.COLUMNS]
    out_rows, page = [], 1
    while True:
        table = services.city_table(g.unit, year, page=page, **args) if not g.unit.is_commune_level else None
        if table is None:
            figures = services.unit_figures(g.unit, year)
            out_rows.append([g.unit.name] + [figures.get(c.name) for c in services.COLUMNS])
            break
        out_rows += [[r["name"]] + [r.get(c.name) for c in services.COLUMNS] for r in table.rows]
        if page >= table.pages:
            break
        page += 1
    return xlsx_response(f"so-lieu-{g.unit.slug}-{year}", columns, out_rows, title=f"Số liệu thi đua, khen thưởng năm {year}",
                         subtitle=g.unit.name)


def _drill_unit() -> Unit:
    return or_404(exports.drill_unit(g.unit, request.args.get("unit", "")))


def _drill_year(key: str) -> int | None:
    return exports.drill_year(key, request.args.get("year", ""))


@bp.get("/xem/<key>")
@requires("dashboard.view")
def drill(key):
    if not stats.known_metric(key):
        abort(404)
    unit = _drill_unit()
    year = _drill_year(key)
    found = or_404(services.drill_rows(key, unit.id, year))
    model, total, objects = found
    headers, rows = presenters.present(model, objects, unit.slug)
    return render("dashboard/drill.html", block="drill_list", key=key, label=stats.metric_label(key), unit=unit,
                  year=year, total=total, headers=headers, rows=rows, inline_limit=exports.background_from() - 1)


def _drill_args(key: str) -> dict:
    return {"key": key, "unit": request.args.get("unit", ""), "year": request.args.get("year", "")}


def _drill_back(key: str) -> str:
    return url_for(".drill", key=key, **{k: v for k, v in request.args.items() if k in ("unit", "year") and v})


@bp.get("/xem/<key>/export.xlsx")
@requires("dashboard.view")
def drill_export(key):
    """The list behind a figure: the file at once, or a background job when it is large."""
    return jobs.export_or_enqueue("dashboard.drill", _drill_args(key),
                                  back_url=_drill_back(key))


@bp.post("/xem/<key>/xuat-nen")
@requires("dashboard.view")
def drill_export_job(key):
    job = jobs.start_export("dashboard.drill", _drill_args(key),
                            back_url=_drill_back(key))
    return redirect_to(url_for("jobs.job", job_id=job.id))


@bp.get("/viec-can-lam")
@requires("todo.view")
def todos():
    items = todo.todos_for(current_user)
    todo.remember_count(len(items))
    return render("dashboard/todos.html", items=items, kinds=todo.KIND_LABELS, today=clock.today())


@bp.get("/bao-cao")
@requires("dashboard.view")
def annual_report():
    year = _year()
    data = report.collect(g.unit, year)
    fmt = request.args.get("format", "")
    if fmt == "docx":
        from thiduaweb.core.excel import docx_response

        return docx_response(report.document(data))
    if fmt == "xlsx":
        return download_response(report.workbook(data), f"bao-cao-tong-ket-{g.unit.slug}-{year}.xlsx",
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from thiduaweb.core.numbering import number_of

    issued = number_of(report.OBJECT_TYPE, year, "BC")
    from thiduaweb.complaints.models import STATUSES

    return render("dashboard/report.html", data=data, year=year, years=services.year_choices(), status_labels=STATUSES,
                  issued=issued if issued and issued.unit_id == g.unit.id else None)


@bp.post("/bao-cao/ban-hanh")
@requires("report.issue")
def issue_report():
    year = _year()
    value = request.form.get("year", "")
    if value.isdigit() and int(value) in services.year_choices():
        year = int(value)
    issued = report.issue(g.unit, year)
    flash(f"Đã lấy số báo cáo {issued.symbol}.", "success")
    return redirect_to(url_for(".annual_report", year=year))


@bp.cli.command("rebuild")
def rebuild_command():
    """Recompute every summary row of the dashboards (after seed-scale or bulk loads)."""
    import click

    from thiduaweb.core.tenancy import cross_unit_writes

    from thiduaweb.scale import refresh_planner_statistics

    with cross_unit_writes():
        rows = stats.rebuild(db.session())
        db.session.commit()
    refresh_planner_statistics()
    click.echo(f"Đã tính lại số liệu: {rows} dòng.")


@bp.cli.command("digest")
def digest_command():
    """E-mail each user their "Việc cần làm" (when MAIL_SERVER is configured)."""
    import click

    from thiduaweb.dashboard.digest import send_digests

    sent = send_digests()
    click.echo(f"Đã gửi {sent} thư nhắc việc." if sent is not None else "Chưa cấu hình máy chủ thư (MAIL_SERVER).")


@bp.cli.command("purge-exports")
def purge_exports_command():
    """Delete exported files older than a day (the same as `flask jobs purge`)."""
    import click

    click.echo(f"Đã xóa {jobs.purge_old()} tệp xuất cũ.")


def chart_json(charts: dict) -> str:
    return json.dumps(charts, ensure_ascii=False)


#: The figures the commune home shows (dashboard/_home_panel.html).
HOME_FIGURES = ("plans_adopted", "plans_late", "mov_running", "mov_progress", "nom_total", "nom_review", "award_total",
                "share", "pet_open", "pet_overdue", "insp_score", "ca_open")


def home_panel_read(unit):
    access = getattr(g, "access", None)
    if access is None or "dashboard.view" not in access.permissions or not unit.is_commune_level:
        return None
    return services.unit_figures_read(unit, clock.today().year, only=HOME_FIGURES)


def home_panel(unit, rows):
    return {"template": "dashboard/_home_panel.html", "year": clock.today().year, "figures": rows[0]._asdict()}


def _register():
    from thiduaweb.units.views import add_home_panel

    # The panel shows summary rows alone: drawn again when one of the commune's figures changes.
    add_home_panel("figures", home_panel_read, home_panel, areas=(revisions.SUMMARY_AREA,))
    stats.install_listeners()


_register()


@bp.record_once
def _navbar_global(state):
    """The navigation bar shows the count of "Việc cần làm" through this global."""
    state.app.jinja_env.globals.update(todo_count=todo.todo_count, todo_url=_todo_url, chart_json=chart_json)

    @state.app.before_request
    def _recount_after_changes():
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            todo.forget_count()


def _todo_url() -> str | None:
    from thiduaweb.core.templating import my_units

    units = my_units()
    return url_for("dashboard.todos", unit_slug=units[0].slug) if units else None
