"""Emulation clusters and the year's scoring: set-up (supervising unit), self-scoring (communes),
review by the cluster leader and the supervising unit, published ranking."""
from __future__ import annotations

from flask import abort, flash, g, request, url_for
from flask_login import current_user

from thiduaweb.clusters import services, workflow
from thiduaweb.clusters.forms import ClusterForm, CriterionForm, GroupForm, ReasonForm, TableForm
from thiduaweb.core.excel import xlsx_response
from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import unit_blueprint

bp = unit_blueprint("clusters", __name__, "/clusters")

grant({"cluster.view"}, roles=["admin", "supervisor", "officer", "council", "chairman", "viewer"],
      inherited_by=["admin", "supervisor"])
grant({"cluster.score"}, roles=["officer", "chairman"])
grant({"cluster.manage"}, roles=["admin", "supervisor"])
nav_item("clusters.index", "Cụm thi đua, chấm điểm", "cluster.view", order=520)


def _writes() -> bool:
    return bool(g.access.writable_unit_ids)


@bp.get("/")
@requires("cluster.view")
def index():
    unit = g.unit
    wanted = request.args.get("list", "") if request.args.get("format") == "xlsx" else None
    if unit.is_commune_level:
        tables = services.tables_for_commune(unit)
        mine = {t.id: services.score_of(unit, t) for t in tables}
        if wanted is not None:
            if wanted != "tables":
                abort(404)
            columns = ["Năm", "Bảng điểm", "Hạn tự chấm", "Bản tự chấm của xã", "Tổng điểm", "Xếp hạng trong cụm"]
            data = ([t.year, t.title, t.deadline,
                     mine[t.id].status_label if mine[t.id] else ("Chưa tự chấm" if t.status == "open" else ""),
                     mine[t.id].total if mine[t.id] else None, mine[t.id].rank if mine[t.id] else None]
                    for t in tables)
            return xlsx_response(f"cham-diem-{unit.slug}", columns, data, title=f"Chấm điểm thi đua của {unit.name}")
        return render("clusters/index_commune.html", cluster=services.cluster_of_commune(unit), tables=tables,
                      mine=mine, to_review=services.scores_to_review_by_leader(unit) if _writes() else [])
    if wanted == "clusters":
        columns = ["Cụm", "Cụm trưởng", "Số thành viên", "Thành viên"]
        data = ([c.name, c.leader.name if c.leader else "", len(c.member_units),
                 ", ".join(u.name for u in c.member_units)] for c in services.list_clusters(unit))
        return xlsx_response(f"cum-thi-dua-{unit.slug}", columns, data, title=f"Cụm thi đua của {unit.name}")
    if wanted == "tables":
        columns = ["Năm", "Bảng điểm", "Hạn tự chấm", "Tình trạng"]
        data = ([t.year, t.title, t.deadline, t.status_label] for t in services.list_tables(unit))
        return xlsx_response(f"bang-diem-{unit.slug}", columns, data, title=f"Bảng chấm điểm thi đua của {unit.name}")
    if wanted is not None:
        abort(404)
    return render("clusters/index_city.html", clusters=services.list_clusters(unit), tables=services.list_tables(unit))


# --- Clusters ----------------------------------------------------------------------------------------

def _cluster_form(obj=None):
    form = ClusterForm(obj=obj)
    communes = [(u.id, u.name) for u in services.communes_of(g.unit)]
    form.member_ids.choices = communes
    form.leader_unit_id.choices = [(0, "— Chọn cụm trưởng —")] + communes
    if obj is not None and request.method == "GET":
        form.member_ids.data = [m.member_unit_id for m in obj.members]
    return form


def _cluster_save(form, cluster=None):
    try:
        return services.save_cluster(g.unit, {"name": form.name.data.strip(), "member_ids": form.member_ids.data or [],
                                              "leader_unit_id": form.leader_unit_id.data, "note": form.note.data},
                                     cluster)
    except services.ClusterError as error:
        form.add_error(error.field, str(error))
        return None


@bp.route("/new", methods=["GET", "POST"])
@requires("cluster.manage")
def new_cluster():
    form = _cluster_form()
    if form.validate_on_submit() and (cluster := _cluster_save(form)):
        flash(f"Đã lập {cluster.name}.", "success")
        return redirect_to(url_for(".index"))
    return render("clusters/cluster_form.html", block="cluster_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, cluster=None)


@bp.route("/<int:cluster_id>/edit", methods=["GET", "POST"])
@requires("cluster.manage")
def edit_cluster(cluster_id):
    cluster = services.get_cluster(cluster_id)
    if cluster is None or cluster.unit_id != g.unit.id:
        abort(404)
    form = _cluster_form(cluster)
    if form.validate_on_submit() and _cluster_save(form, cluster):
        flash(f"Đã lưu {cluster.name}.", "success")
        return redirect_to(url_for(".index"))
    return render("clusters/cluster_form.html", block="cluster_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, cluster=cluster)


# --- Scoring tables ----------------------------------------------------------------------------------

def _table_or_404(table_id):
    table = services.get_table(table_id)
    if table is None or table.unit_id != g.unit.id:
        abort(404)
    return table


@bp.route("/tables/new", methods=["GET", "POST"])
@requires("cluster.manage")
def new_table():
    form = TableForm()
    if form.validate_on_submit():
        try:
            table = services.save_table(g.unit, {"year": form.year.data, "title": form.title.data.strip(),
                                                 "deadline": form.deadline.data})
        except services.ClusterError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã tạo bảng điểm.", "success")
            return redirect_to(url_for(".table", table_id=table.id))
    return render("clusters/table_form.html", block="table_form", status=422 if form.errors or form.form_errors else 200,
                  form=form)


def _criterion_form(table, **kwargs):
    form = CriterionForm(**kwargs)
    form.group_id.choices = [(grp.id, f"{grp.position}. {grp.title}") for grp in table.groups]
    return form


def _table_page(table, *, group_form=None, criterion_form=None, reason_form=None, status=200, block=None):
    unit = g.unit
    if unit.is_commune_level:
        return render("clusters/results.html", block=block, status=status, table=table,
                      ranking=services.published_ranking(unit, table), cluster=services.cluster_of_commune(unit))
    return render("clusters/table.html", block=block, status=status, table=table,
                  group_form=group_form or GroupForm(formdata=None),
                  criterion_form=criterion_form or _criterion_form(table, formdata=None),
                  overview=services.table_overview(unit, table) if table.status != "draft" else [],
                  manage="cluster.manage" in g.access.permissions and _writes())


@bp.get("/tables/<int:table_id>")
@requires("cluster.view")
def table(table_id):
    if g.unit.is_commune_level:
        found = or_404(services.table_for_commune(g.unit, table_id))
        return _table_page(found)
    table = _table_or_404(table_id)
    if request.args.get("format") == "xlsx":
        columns = ["Cụm", "Hạng", "Xã, phường", "Tình trạng", "Tổng điểm"]
        data = ([cluster.name if cluster else "Chưa xếp cụm", r.score.rank if r.score else None, r.commune.name,
                 r.score.status_label if r.score else "Chưa tự chấm", r.score.total if r.score else None]
                for cluster, rows in (services.table_overview(g.unit, table) if table.status != "draft" else [])
                for r in rows)
        return xlsx_response(f"bang-diem-{table.year}-{g.unit.slug}", columns, data, title=table.title,
                             subtitle=f"Năm {table.year} · {table.status_label}")
    return _table_page(table)


@bp.post("/tables/<int:table_id>/groups")
@requires("cluster.manage")
def add_group(table_id):
    table = _table_or_404(table_id)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            services.add_group(table, form.title.data.strip())
        except services.ClusterError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã thêm nhóm tiêu chí.", "success")
            return redirect_to(url_for(".table", table_id=table.id))
    return _table_page(table, group_form=form, status=422, block="group_form")


@bp.post("/tables/<int:table_id>/criteria")
@requires("cluster.manage")
def add_criterion(table_id):
    table = _table_or_404(table_id)
    form = _criterion_form(table)
    if form.validate_on_submit():
        try:
            services.add_criterion(table, {"group_id": form.group_id.data, "text": form.text.data.strip(),
                                           "max_points": form.max_points.data, "bonus_points": form.bonus_points.data,
                                           "evidence_expected": (form.evidence_expected.data or "").strip()})
        except services.ClusterError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã thêm tiêu chí.", "success")
            return redirect_to(url_for(".table", table_id=table.id) + "#criterion-form")
    return _table_page(table, criterion_form=form, status=422, block="criterion_form")


@bp.post("/tables/<int:table_id>/criteria/<int:criterion_id>/delete")
@requires("cluster.manage")
def delete_criterion(table_id, criterion_id):
    table = _table_or_404(table_id)
    criterion = or_404(next((c for c in table.criteria if c.id == criterion_id), None))
    try:
        services.delete_criterion(table, criterion)
    except services.ClusterError as error:
        flash(str(error), "danger")
    return redirect_to(url_for(".table", table_id=table.id))


@bp.post("/tables/<int:table_id>/open")
@requires("cluster.manage")
def open_table(table_id):
    table = _table_or_404(table_id)
    try:
        services.open_table(table)
    except services.ClusterError as error:
        flash(str(error), "danger")
    else:
        flash("Đã gửi bảng điểm tới các xã, phường để tự chấm.", "success")
    return redirect_to(url_for(".table", table_id=table.id))


@bp.post("/tables/<int:table_id>/publish")
@requires("cluster.manage")
def publish(table_id):
    table = _table_or_404(table_id)
    try:
        services.publish_results(g.unit, table, current_user)
    except services.ClusterError as error:
        flash(str(error), "danger")
    else:
        flash("Đã công bố kết quả và xếp hạng trong từng cụm.", "success")
    return redirect_to(url_for(".table", table_id=table.id))


# --- Self-scoring -------------------------------------------------------------------------------------

@bp.post("/tables/<int:table_id>/start")
@requires("cluster.score")
def start(table_id):
    table = or_404(services.table_for_commune(g.unit, table_id))
    try:
        score = services.start_score(g.unit, table)
    except services.ClusterError as error:
        flash(str(error), "danger")
        return redirect_to(url_for(".index"))
    return redirect_to(url_for(".score", score_id=score.id))


def _score_or_404(score_id):
    return or_404(services.get_score(score_id, g.unit))


def _score_page(score, *, status=200, block=None, errors=None, values=None, reason_form=None):
    own = score.unit_id == g.unit.id and _writes() and "cluster.score" in g.access.permissions
    return render("clusters/score.html", block=block, status=status, score=score, table_=score.table,
                  lines=services.lines_by_criterion(score), evidence=services.evidence_for(score),
                  can_fill=own and not score.locked, errors=errors or {}, values=values,
                  transitions=workflow.available(score, g.access.permissions, g.unit) if _writes() else [],
                  reason_form=reason_form or ReasonForm(formdata=None))


@bp.get("/scores/<int:score_id>")
@requires("cluster.view")
def score(score_id):
    return _score_page(_score_or_404(score_id))


@bp.post("/scores/<int:score_id>/lines")
@requires("cluster.score")
def save_lines(score_id):
    score = _score_or_404(score_id)
    if score.unit_id != g.unit.id:
        abort(404)
    values, uploads = {}, {}
    for criterion in score.table.criteria:
        cid = criterion.id
        if any(f"{k}-{cid}" in request.form for k in ("points", "bonus", "note")):
            values[cid] = {k: request.form.get(f"{k}-{cid}", "") for k in ("points", "bonus", "note")}
        files = request.files.getlist(f"evidence-{cid}")
        if files:
            uploads[cid] = files
    try:
        services.save_lines(score, values, uploads, uploaded_by_id=current_user.id)
    except services.LinesRefused as refused:
        return _score_page(score, status=422, block="lines_form", errors=refused.errors, values=values)
    except services.ClusterError as error:
        flash(str(error), "danger")
    else:
        flash("Đã lưu bản tự chấm điểm.", "success")
    return redirect_to(url_for(".score", score_id=score.id))


@bp.post("/scores/<int:score_id>/transition/<name>")
@requires("cluster.view")
def transition(score_id, name):
    score = _score_or_404(score_id)
    form = ReasonForm()
    if form.validate_on_submit():
        if not _writes():
            abort(403)
        try:
            workflow.apply(score, name, current_user, permissions=g.access.permissions, acting_unit=g.unit,
                           reason=form.reason.data)
        except workflow.WorkflowError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã thực hiện.", "success")
            return redirect_to(url_for(".score", score_id=score.id))
    return _score_page(score, status=422, block="score_workflow", reason_form=form)
