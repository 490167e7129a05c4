"""Self-inspection pages: templates and rounds (supervising unit), checklists (communes), overview."""
from __future__ import annotations

from flask import abort, flash, g, request, url_for
from flask_login import current_user
from sqlalchemy import select

from thiduaweb.core.clock import today
from thiduaweb.core.excel import xlsx_response
from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.extensions import db
from thiduaweb.inspections import services, workflow
from thiduaweb.inspections.forms import (
    ActionForm, ActionUpdateForm, FindingForm, ItemForm, ReasonForm, RoundForm, SectionForm, SupervisoryForm,
    TemplateForm,
)
from thiduaweb.inspections.models import RESULTS, ChecklistItem
from thiduaweb.units.models import Unit

bp = unit_blueprint("inspections", __name__, "/inspections")

_ALL = ["admin", "supervisor", "officer", "council", "chairman", "viewer"]
grant({"inspection.view"}, roles=_ALL, inherited_by=["admin", "supervisor"])
grant({"inspection.edit"}, roles=["admin", "supervisor", "officer", "chairman"])
grant({"inspection.sign"}, roles=["chairman"])
grant({"inspection.review", "inspection.conduct", "checklist.manage"}, roles=["admin", "supervisor"])
nav_item("inspections.index", "Tự kiểm tra", "inspection.view", order=500)


# --- Index ------------------------------------------------------------------------------------

@bp.get("/")
@requires("inspection.view")
def index():
    unit = g.unit
    wanted = request.args.get("list", "") if request.args.get("format") == "xlsx" else None
    if unit.is_commune_level:
        rounds = services.rounds_for_commune(unit)
        mine = {i.round_id: i for i in services.list_inspections(unit) if i.kind == "self"}
        if wanted == "rounds":
            return _export_commune_rounds(unit, rounds, mine)
        if wanted == "late":
            return _export_late(services.late_actions([unit.id]))
        if wanted is not None:
            abort(404)
        return render("inspections/index_commune.html", rounds=rounds, mine=mine,
                      by_supervisor=services.inspections_of_commune_by_supervisor(unit),
                      late=services.late_actions([unit.id]), today=today())
    if wanted is not None:
        exports = {"rounds": lambda: _export_city_rounds(unit, services.list_rounds(unit)),
                   "templates": lambda: _export_templates(unit, services.list_templates(unit)),
                   "inspections": lambda: _export_own(unit, [i for i in services.list_inspections(unit)
                                                             if i.kind == "supervisory"]),
                   "late": lambda: _export_late(services.late_actions(g.access.readable_unit_ids))}
        if wanted not in exports:
            abort(404)
        return exports[wanted]()
    return render("inspections/index_city.html", rounds=services.list_rounds(unit),
                  templates=services.list_templates(unit),
                  own=[i for i in services.list_inspections(unit) if i.kind == "supervisory"],
                  late=services.late_actions(g.access.readable_unit_ids), today=today())


# --- Excel of the lists (the same service calls as the pages) ----------------------------------

def _export_city_rounds(unit, rounds):
    columns = ["Đợt", "Bộ tiêu chí", "Phiên bản", "Từ ngày", "Đến ngày", "Hạn nộp"]
    data = ([r.title, r.template.name, r.template.version, r.period_start, r.period_end, r.deadline] for r in rounds)
    return xlsx_response(f"dot-tu-kiem-tra-{unit.slug}", columns, data, title=f"Các đợt tự kiểm tra của {unit.name}")


def _export_commune_rounds(unit, rounds, mine):
    columns = ["Đợt tự kiểm tra", "Bộ tiêu chí", "Từ ngày", "Đến ngày", "Hạn nộp", "Tình trạng", "Điểm (%)"]

    def cells(r):
        own = mine.get(r.id)
        return [r.title, f"{r.template.name} (phiên bản {r.template.version})", r.period_start, r.period_end,
                r.deadline, own.status_label if own else "Chưa bắt đầu", own.score if own else None]

    return xlsx_response(f"tu-kiem-tra-{unit.slug}", columns, (cells(r) for r in rounds),
                         title=f"Tự kiểm tra của {unit.name}")


def _export_templates(unit, templates):
    columns = ["Tên", "Phiên bản", "Tình trạng", "Số tiêu chí"]
    data = ([t.name, t.version, t.status_label, len(t.items)] for t in templates)
    return xlsx_response(f"bo-tieu-chi-{unit.slug}", columns, data, title=f"Bộ tiêu chí kiểm tra của {unit.name}")


def _export_own(unit, inspections):
    columns = ["Xã, phường", "Đợt", "Ngày kiểm tra", "Tình trạng", "Điểm (%)"]
    data = ([i.target_unit.name, i.round.title, i.inspected_on, i.status_label, i.score] for i in inspections)
    return xlsx_response(f"kiem-tra-{unit.slug}", columns, data, title=f"Kiểm tra của {unit.name} tại xã, phường")


def _export_late(actions):
    on = today()
    columns = (["Đơn vị"] if not g.unit.is_commune_level else []) + [
        "Biện pháp khắc phục", "Người thực hiện", "Hạn", "Tình trạng", "Số ngày quá hạn"]
    data = (([a.inspection.target_unit.name] if not g.unit.is_commune_level else [])
            + [a.what, a.who, a.due_date, a.status_label, (on - a.due_date).days] for a in actions)
    return xlsx_response(f"khac-phuc-qua-han-{g.unit.slug}", columns, data, title="Biện pháp khắc phục quá hạn",
                         subtitle=f"Đến ngày {on:%d/%m/%Y}")


@bp.get("/late-actions")
@requires("inspection.view")
def late_actions():
    if request.args.get("format") == "xlsx":
        return _export_late(services.late_actions(g.access.readable_unit_ids))
    return render("inspections/late_actions.html", actions=services.late_actions(g.access.readable_unit_ids),
                  today=today())


# --- Templates (supervising unit) ----------------------------------------------------------------

def _template_or_404(template_id: int):
    template = services.get_template(template_id)
    if template is None or template.unit_id != g.unit.id:
        abort(404)
    return template


@bp.route("/templates/new", methods=["GET", "POST"])
@requires("checklist.manage")
def new_template():
    form = TemplateForm()
    if form.validate_on_submit():
        try:
            template = services.save_template(g.unit, {"name": form.name.data.strip(),
                                                       "description": form.description.data})
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã tạo bộ tiêu chí {template.name}.", "success")
            return redirect_to(url_for(".template_detail", template_id=template.id))
    return render("inspections/template_form.html", block="template_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, checklist=None)


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@requires("checklist.manage")
def edit_template(template_id):
    template = _template_or_404(template_id)
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        try:
            services.save_template(g.unit, {"name": form.name.data.strip(), "description": form.description.data},
                                   template)
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã lưu bộ tiêu chí.", "success")
            return redirect_to(url_for(".template_detail", template_id=template.id))
    return render("inspections/template_form.html", block="template_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, checklist=template)


def _item_form(template, obj=None):
    form = ItemForm(obj=obj)
    form.section_id.choices = [(s.id, f"{s.position}. {s.title}") for s in template.sections]
    return form


def _template_page(template, *, section_form=None, item_form=None, round_form=None, status=200, block=None):
    return render("inspections/template_detail.html", block=block, status=status, checklist=template,
                  section_form=section_form or SectionForm(formdata=None),
                  item_form=item_form or _item_form(template) if template.status == "draft" else item_form,
                  round_form=round_form or RoundForm(formdata=None))


@bp.get("/templates/<int:template_id>")
@requires("inspection.view")
def template_detail(template_id):
    template = _template_or_404(template_id)
    return _template_page(template)


@bp.post("/templates/<int:template_id>/sections")
@requires("checklist.manage")
def add_section(template_id):
    template = _template_or_404(template_id)
    form = SectionForm()
    if form.validate_on_submit():
        try:
            services.add_section(template, form.title.data)
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã thêm phần mới.", "success")
            return redirect_to(url_for(".template_detail", template_id=template.id))
    return _template_page(template, section_form=form, status=422, block="section_form")


@bp.post("/templates/<int:template_id>/items")
@requires("checklist.manage")
def add_item(template_id):
    template = _template_or_404(template_id)
    form = _item_form(template)
    if form.validate_on_submit():
        try:
            services.save_item(template, _item_data(form))
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã thêm tiêu chí.", "success")
            return redirect_to(url_for(".template_detail", template_id=template.id) + "#item-form")
    return _template_page(template, item_form=form, status=422, block="item_form")


def _item_data(form) -> dict:
    return {"section_id": form.section_id.data, "text": form.text.data.strip(), "weight": form.weight.data,
            "basis": (form.basis.data or "").strip() or None,
            "evidence_expected": (form.evidence_expected.data or "").strip() or None}


def _item_or_404(template, item_id):
    item = db.session.get(ChecklistItem, item_id)
    if item is None or item.section.template_id != template.id:
        abort(404)
    return item


@bp.route("/templates/<int:template_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@requires("checklist.manage")
def edit_item(template_id, item_id):
    template = _template_or_404(template_id)
    item = _item_or_404(template, item_id)
    form = _item_form(template, obj=item)
    if form.validate_on_submit():
        try:
            services.save_item(template, _item_data(form), item)
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã lưu tiêu chí.", "success")
            return redirect_to(url_for(".template_detail", template_id=template.id))
    return render("inspections/item_form.html", block="item_edit_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, checklist=template, item=item)


@bp.post("/templates/<int:template_id>/items/<int:item_id>/delete")
@requires("checklist.manage")
def delete_item(template_id, item_id):
    template = _template_or_404(template_id)
    item = _item_or_404(template, item_id)
    try:
        services.delete_item(template, item)
    except services.InspectionError as error:
        flash(str(error), "danger")
    else:
        flash("Đã xóa tiêu chí.", "success")
    return redirect_to(url_for(".template_detail", template_id=template.id))


@bp.post("/templates/<int:template_id>/new-version")
@requires("checklist.manage")
def new_version(template_id):
    template = _template_or_404(template_id)
    copy = services.new_version(template)
    flash(f"Đã tạo phiên bản {copy.version} để sửa.", "success")
    return redirect_to(url_for(".template_detail", template_id=copy.id))


@bp.post("/templates/<int:template_id>/publish")
@requires("checklist.manage")
def publish(template_id):
    template = _template_or_404(template_id)
    form = RoundForm()
    if form.validate_on_submit():
        try:
            round_ = services.publish_round(g.unit, template, {
                "title": form.title.data.strip(), "period_start": form.period_start.data,
                "period_end": form.period_end.data, "deadline": form.deadline.data, "note": form.note.data})
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã ban hành “{round_.title}” tới các xã, phường.", "success")
            return redirect_to(url_for(".round_detail", round_id=round_.id))
    return _template_page(template, round_form=form, status=422, block="round_form")


# --- Rounds ----------------------------------------------------------------------------------------

@bp.get("/rounds/<int:round_id>")
@requires("inspection.view")
def round_detail(round_id):
    unit = g.unit
    if unit.is_commune_level:
        round_ = or_404(services.round_for_commune(unit, round_id))
        inspection = services.self_inspection_of(unit, round_)
        if inspection:
            return redirect_to(url_for(".detail", inspection_id=inspection.id))
        return render("inspections/round_commune.html", round=round_, today=today())
    round_ = services.get_round(round_id)
    if round_ is None or round_.unit_id != unit.id:
        abort(404)
    return _round_page(round_)


def _round_page(round_, form=None, status=200):
    children = list(db.session.scalars(select(Unit).where(Unit.parent_id == g.unit.id).order_by(Unit.name)))
    if form is None:
        form = SupervisoryForm(formdata=None)
    form.target_unit_id.choices = [(0, "— Chọn xã, phường —")] + [(u.id, u.name) for u in children]
    q = request.args.get("q", "").strip()
    rows = services.round_overview(g.unit, round_)
    if q:
        from thiduaweb.core.vntext import fold

        rows = [r for r in rows if fold(q) in fold(r.commune.name)]
    supervisory = [i for i in services.list_inspections(g.unit) if i.kind == "supervisory" and i.round_id == round_.id]
    return render("inspections/round.html", block="overview_table" if status == 200 else "supervisory_form",
                  status=status, round=round_, rows=rows, form=form, q=q, supervisory=supervisory, today=today())


@bp.get("/rounds/<int:round_id>/export")
@requires("inspection.view")
def export_round(round_id):
    """The per-commune overview of a round as an Excel file (same rows as the page)."""
    round_ = services.get_round(round_id)
    if round_ is None or round_.unit_id != g.unit.id:
        abort(404)
    rows = [(r.commune.name, r.inspection.status_label if r.inspection else "Chưa bắt đầu",
             float(r.score) if r.score is not None else None, r.open_actions, r.late_actions,
             "Quá hạn nộp" if r.late else "") for r in services.round_overview(g.unit, round_)]
    return xlsx_response(f"tu-kiem-tra-{round_.id}", ["Xã, phường", "Tình trạng", "Điểm (%)",
                                                      "Biện pháp chưa xong", "Biện pháp quá hạn", "Ghi chú"],
                         rows, title=round_.title, subtitle=f"Hạn nộp {round_.deadline.strftime('%d/%m/%Y')}")


@bp.post("/rounds/<int:round_id>/start")
@requires("inspection.edit")
def start(round_id):
    round_ = or_404(services.round_for_commune(g.unit, round_id))
    try:
        inspection = services.start_self_inspection(g.unit, round_)
    except services.InspectionError as error:
        flash(str(error), "danger")
        return redirect_to(url_for(".index"))
    return redirect_to(url_for(".detail", inspection_id=inspection.id))


@bp.post("/rounds/<int:round_id>/supervisory")
@requires("inspection.conduct")
def start_supervisory(round_id):
    round_ = services.get_round(round_id)
    if round_ is None or round_.unit_id != g.unit.id:
        abort(404)
    form = SupervisoryForm()
    children = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.parent_id == g.unit.id))}
    form.target_unit_id.choices = [(0, "— Chọn xã, phường —")] + [(i, u.name) for i, u in children.items()]
    if form.validate_on_submit():
        target = children.get(form.target_unit_id.data)
        if target is None:
            form.add_error("target_unit_id", "Vui lòng chọn xã, phường.")
        else:
            try:
                inspection = services.start_supervisory(g.unit, round_, target, {
                    "inspected_on": form.inspected_on.data, "inspectors": form.inspectors.data})
            except services.InspectionError as error:
                form.add_error(error.field, str(error))
            else:
                flash(f"Đã lập biên bản kiểm tra {target.name}.", "success")
                return redirect_to(url_for(".detail", inspection_id=inspection.id))
    return _round_page(round_, form=form, status=422)


# --- One inspection --------------------------------------------------------------------------------

def _inspection_or_404(inspection_id):
    return or_404(services.get_inspection(inspection_id, g.unit if g.unit.is_commune_level else None))


def _own_or_404(inspection_id):
    """An inspection this unit writes (a supervising user on a commune's record cannot edit it)."""
    inspection = db.session.get(services.Inspection, inspection_id)
    if inspection is None or inspection.unit_id != g.unit.id:
        abort(404)
    return inspection


def _detail(inspection, *, status=200, block=None, errors=None, values=None, finding_form=None, action_form=None,
            reason_form=None):
    own = inspection.unit_id == g.unit.id
    sections = inspection.template.sections
    answers = services.answers_by_item(inspection)
    return render(
        "inspections/detail.html", block=block, status=status, inspection=inspection, sections=sections,
        answers=answers, evidence=services.evidence_for(inspection), results=RESULTS,
        score=inspection.score if inspection.locked else services.compute_score(inspection),
        can_fill=own and not inspection.locked and bool(g.access.writable_unit_ids) and "inspection.edit" in g.access.permissions,
        can_follow=own and bool(g.access.writable_unit_ids) and "inspection.edit" in g.access.permissions,
        transitions=workflow.available(inspection, g.access.permissions, g.unit.id) if g.access.writable_unit_ids else [],
        errors=errors or {}, values=values, today=today(),
        finding_form=finding_form or FindingForm(formdata=None), action_form=action_form or ActionForm(formdata=None),
        reason_form=reason_form or ReasonForm(formdata=None),
    )


@bp.get("/<int:inspection_id>")
@requires("inspection.view")
def detail(inspection_id):
    return _detail(_inspection_or_404(inspection_id))


@bp.post("/<int:inspection_id>/answers")
@requires("inspection.edit")
def save_answers(inspection_id):
    inspection = _own_or_404(inspection_id)
    answers, uploads = {}, {}
    for item in inspection.template.items:
        if f"result-{item.id}" in request.form or f"note-{item.id}" in request.form:
            answers[item.id] = {"result": request.form.get(f"result-{item.id}", ""),
                                "note": request.form.get(f"note-{item.id}", "")}
        files = request.files.getlist(f"evidence-{item.id}")
        if files:
            uploads[item.id] = files
    try:
        services.save_answers(inspection, answers, uploads, uploaded_by_id=current_user.id)
    except services.AnswersRefused as refused:
        return _detail(inspection, status=422, block="checklist_form", errors=refused.errors, values=answers)
    except services.InspectionError as error:
        flash(str(error), "danger")
        return redirect_to(url_for(".detail", inspection_id=inspection.id))
    flash("Đã lưu kết quả tự kiểm tra.", "success")
    return redirect_to(url_for(".detail", inspection_id=inspection.id))


@bp.post("/<int:inspection_id>/findings")
@requires("inspection.edit")
def add_finding(inspection_id):
    inspection = _own_or_404(inspection_id)
    form = FindingForm()
    if form.validate_on_submit():
        try:
            services.add_finding(inspection, form.text.data)
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã ghi phát hiện.", "success")
            return redirect_to(url_for(".detail", inspection_id=inspection.id) + "#findings")
    return _detail(inspection, status=422, block="finding_form", finding_form=form)


@bp.post("/<int:inspection_id>/findings/<int:finding_id>/delete")
@requires("inspection.edit")
def delete_finding(inspection_id, finding_id):
    inspection = _own_or_404(inspection_id)
    finding = services.get_finding(finding_id)
    if finding is None or finding.inspection_id != inspection.id:
        abort(404)
    try:
        services.delete_finding(inspection, finding)
    except services.InspectionError as error:
        flash(str(error), "danger")
    return redirect_to(url_for(".detail", inspection_id=inspection.id) + "#findings")


@bp.post("/<int:inspection_id>/actions")
@requires("inspection.edit")
def add_action(inspection_id):
    inspection = _own_or_404(inspection_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            services.add_action(inspection, {"what": form.what.data.strip(), "who": form.who.data.strip(),
                                             "due_date": form.due_date.data})
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã thêm biện pháp khắc phục.", "success")
            return redirect_to(url_for(".detail", inspection_id=inspection.id) + "#actions")
    return _detail(inspection, status=422, block="action_form", action_form=form)


@bp.route("/<int:inspection_id>/actions/<int:action_id>", methods=["GET", "POST"])
@requires("inspection.edit")
def update_action(inspection_id, action_id):
    inspection = _own_or_404(inspection_id)
    action = services.get_action(action_id)
    if action is None or action.inspection_id != inspection.id:
        abort(404)
    form = ActionUpdateForm(obj=action)
    if form.validate_on_submit():
        try:
            services.update_action(action, {"status": form.status.data, "progress_note": form.progress_note.data,
                                            "closed_on": form.closed_on.data}, on=today())
        except services.InspectionError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã cập nhật biện pháp khắc phục.", "success")
            return redirect_to(url_for(".detail", inspection_id=inspection.id) + "#actions")
    return render("inspections/action_form.html", block="action_update_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, inspection=inspection, action=action)


@bp.post("/<int:inspection_id>/transition/<name>")
@requires("inspection.view")
def transition(inspection_id, name):
    inspection = _inspection_or_404(inspection_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            workflow.apply(inspection, name, current_user, permissions=g.access.permissions,
                           acting_unit_id=g.unit.id if g.access.writable_unit_ids else -1,
                           reason=form.reason.data)
        except workflow.WorkflowError as error:
            form.add_error(error.field, str(error))
        else:
            messages = {"sign": "Đã ký xác nhận; biên bản đã khóa và gửi cấp trên.",
                        "accept": "Đã chấp nhận kết quả tự kiểm tra.", "return": "Đã trả lại cho xã, phường.",
                        "conclude": "Đã kết luận kiểm tra; biên bản đã khóa."}
            flash(messages.get(name, "Đã thực hiện."), "success")
            return redirect_to(url_for(".detail", inspection_id=inspection.id))
    return _detail(inspection, status=422, block="workflow_form", reason_form=form)
