"""Plan pages: the unit's plans, parent plans to adopt, a plan with its diff, issue, print, .docx,
and the city's adoption coverage."""
from flask import abort, flash, g, request, url_for
from flask_login import current_user

from thiduaweb.core.clock import today
from thiduaweb.core.documents import recipient_lines
from thiduaweb.core.excel import docx_response, xlsx_response
from thiduaweb.core.permissions import ADMIN, CHAIRMAN, COUNCIL, OFFICER, SUPERVISOR, VIEWER, grant, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.plans import services, workflow
from thiduaweb.plans.forms import IssueForm, ItemForm, PlanForm
from thiduaweb.plans.models import SECTIONS, STATUS_LABELS
from thiduaweb.plans.services import PlanRefused
from thiduaweb.units.services import child_units

bp = unit_blueprint("plans", __name__, "/plans")

grant({"plan.view"}, roles=[ADMIN, SUPERVISOR, OFFICER, COUNCIL, CHAIRMAN, VIEWER], inherited_by=[ADMIN, SUPERVISOR])
grant({"plan.edit"}, roles=[OFFICER, SUPERVISOR])
grant({"plan.issue"}, roles=[CHAIRMAN, SUPERVISOR])
grant({"plan.coverage"}, roles=[SUPERVISOR, ADMIN])

nav_item("plans.index", "Kế hoạch", "plan.view", order=20)


def _plan_or_404(plan_id: int):
    return or_404(services.get_plan(plan_id))


def _actor():
    return current_user._get_current_object()


@bp.get("/")
@requires("plan.view")
def index():
    year = request.args.get("year", type=int)
    if year and not 1900 <= year <= 2100:
        year = None
    status = request.args.get("status", "")
    if status not in STATUS_LABELS:
        status = ""
    plans = services.plans_of(g.unit, year=year, status=status)
    if request.args.get("format") == "xlsx":
        columns = ["Số, ký hiệu", "Ngày ban hành", "Tên kế hoạch", "Năm", "Trạng thái", "Nguồn"]
        data = ([p.number_symbol or "", p.issued_on, p.title_one_line, p.year, p.status_label,
                 "Tiếp nhận từ cấp trên" if p.parent_plan_id else ""] for p in plans)
        subtitle = ", ".join(x for x in (f"Năm {year}" if year else "", STATUS_LABELS.get(status, "")) if x)
        return xlsx_response(f"ke-hoach-{g.unit.slug}", columns, data, title=f"Kế hoạch của {g.unit.name}",
                             subtitle=subtitle)
    parents = services.parent_plans_for(g.unit) if g.unit.is_commune_level else []
    adoptions = {p.id: services.adoption_of(g.unit, p) for p in parents}
    return render("plans/index.html", block="plan_table", plans=plans, parents=parents, adoptions=adoptions,
                  year=year, status_filter=status, statuses=STATUS_LABELS, today=today())


def _plan_data(form: PlanForm) -> dict:
    return {
        "year": form.year.data, "title": (form.title.data or "").strip(), "place": (form.place.data or "").strip(),
        "bases": form.bases.data or "", "closing": form.closing.data or "", "recipients": form.recipients.data or "",
        "signer_authority": form.signer_authority.data or "", "signer_position": form.signer_position.data or "",
        "signer_name": form.signer_name.data or "", "description": form.description.data or "",
        "adoption_deadline": form.adoption_deadline.data if not g.unit.is_commune_level else None,
    }


@bp.route("/new", methods=["GET", "POST"])
@requires("plan.edit")
def new():
    form = PlanForm()
    if request.method == "GET":
        form.year.data = today().year
        form.place.data = g.unit.place_name or g.unit.name
    if form.validate_on_submit():
        try:
            plan = services.create_plan(g.unit, _actor(), _plan_data(form))
        except PlanRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã tạo dự thảo kế hoạch.", "success")
            return redirect_to(url_for(".show", plan_id=plan.id))
    return render("plans/plan_form.html", block="plan_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, plan=None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@requires("plan.edit")
def edit(plan_id):
    plan = _plan_or_404(plan_id)
    if not plan.is_draft:
        flash(services.LOCKED, "warning")
        return redirect_to(url_for(".show", plan_id=plan.id))
    form = PlanForm(obj=plan)
    if form.validate_on_submit():
        try:
            services.update_plan(plan, _plan_data(form))
        except PlanRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã lưu kế hoạch.", "success")
            return redirect_to(url_for(".show", plan_id=plan.id))
    return render("plans/plan_form.html", block="plan_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, plan=plan)


@bp.get("/<int:plan_id>")
@requires("plan.view")
def show(plan_id):
    plan = _plan_or_404(plan_id)
    parent = services.parent_of(plan)
    from thiduaweb.plans.models import PlanHistory
    from sqlalchemy import select
    from thiduaweb.extensions import db

    history = list(db.session.scalars(select(PlanHistory).where(PlanHistory.plan_id == plan.id)
                                      .order_by(PlanHistory.id)))
    return render("plans/show.html", plan=plan, parent=parent, diff=services.diff(plan, parent) if parent else None,
                  sections=SECTIONS, transitions=workflow.available(plan, g.access.permissions),
                  issue_blocked=workflow.blocked_reason(plan, "issue") if plan.is_draft else None,
                  history=history, movements=_movements_by_item(plan), item_form=ItemForm(formdata=None))


def _movements_by_item(plan) -> dict:
    try:
        from thiduaweb.movements.services import movements_by_plan_item
    except ImportError:  # pragma: no cover - movements not installed
        return {}
    return movements_by_plan_item([i.id for i in plan.items])


@bp.get("/parent/<int:parent_id>")
@requires("plan.view")
def parent(parent_id):
    plan = or_404(services.parent_plan_for(g.unit, parent_id))
    return render("plans/parent.html", plan=plan, sections=SECTIONS, adoption=services.adoption_of(g.unit, plan),
                  issuer=services.unit_of(plan))


@bp.post("/parent/<int:parent_id>/adopt")
@requires("plan.edit")
def adopt(parent_id):
    parent_plan = or_404(services.parent_plan_for(g.unit, parent_id))
    try:
        plan = services.adopt(g.unit, parent_plan, _actor())
    except PlanRefused as error:
        flash(str(error), "warning")
        return redirect_to(url_for(".parent", parent_id=parent_id))
    flash("Đã tiếp nhận kế hoạch cấp trên: dự thảo của đơn vị đã được tạo với đủ các mục. "
          "Hãy sửa, bỏ, thêm mục cho phù hợp rồi trình ban hành.", "success")
    return redirect_to(url_for(".show", plan_id=plan.id))


def _item_data(form: ItemForm) -> dict:
    return {"section": form.section.data, "text": (form.text.data or "").strip(),
            "responsible": (form.responsible.data or "").strip(), "due_on": form.due_on.data}


@bp.route("/<int:plan_id>/items/new", methods=["GET", "POST"])
@requires("plan.edit")
def new_item(plan_id):
    plan = _plan_or_404(plan_id)
    if not plan.is_draft:
        flash(services.LOCKED, "warning")
        return redirect_to(url_for(".show", plan_id=plan.id))
    form = ItemForm()
    if request.method == "GET" and request.args.get("section") in SECTIONS:
        form.section.data = request.args["section"]
    if form.validate_on_submit():
        try:
            item = services.add_item(plan, _item_data(form))
        except PlanRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã thêm mục {item.label}.", "success")
            return redirect_to(url_for(".show", plan_id=plan.id, _anchor=f"item-{item.id}"))
    return render("plans/item_form.html", block="item_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, plan=plan, item=None, parent_item=None)


def _item_or_404(plan, item_id):
    return or_404(services.get_item(plan, item_id))


@bp.route("/<int:plan_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@requires("plan.edit")
def edit_item(plan_id, item_id):
    plan = _plan_or_404(plan_id)
    item = _item_or_404(plan, item_id)
    if not plan.is_draft:
        flash(services.LOCKED, "warning")
        return redirect_to(url_for(".show", plan_id=plan.id))
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        try:
            services.update_item(plan, item, _item_data(form))
        except PlanRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã lưu mục {item.label}.", "success")
            return redirect_to(url_for(".show", plan_id=plan.id, _anchor=f"item-{item.id}"))
    parent_item = None
    if item.parent_item_id:
        parent_item = next((p for p in (services.parent_of(plan) or plan).items if p.id == item.parent_item_id), None)
    return render("plans/item_form.html", block="item_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, plan=plan, item=item, parent_item=parent_item)


@bp.post("/<int:plan_id>/items/<int:item_id>/delete")
@requires("plan.edit")
def delete_item(plan_id, item_id):
    plan = _plan_or_404(plan_id)
    item = _item_or_404(plan, item_id)
    label = item.label
    try:
        services.delete_item(plan, item)
    except PlanRefused as error:
        flash(str(error), "warning")
    else:
        flash(f"Đã bỏ mục {label}.", "success")
    return redirect_to(url_for(".show", plan_id=plan.id))


@bp.post("/<int:plan_id>/items/<int:item_id>/move")
@requires("plan.edit")
def move_item(plan_id, item_id):
    plan = _plan_or_404(plan_id)
    item = _item_or_404(plan, item_id)
    step = -1 if request.form.get("direction") == "up" else 1
    try:
        services.move_item(plan, item, step)
    except PlanRefused as error:
        flash(str(error), "warning")
    return redirect_to(url_for(".show", plan_id=plan.id, _anchor=f"item-{item.id}"))


@bp.route("/<int:plan_id>/issue", methods=["GET", "POST"])
@requires("plan.issue")
def issue(plan_id):
    plan = _plan_or_404(plan_id)
    if not plan.is_draft:
        flash("Kế hoạch này đã được ban hành.", "info")
        return redirect_to(url_for(".show", plan_id=plan.id))
    form = IssueForm()
    if request.method == "GET":
        form.issued_on.data = today()
        form.signer_name.data = plan.signer_name or current_user.full_name
    if form.validate_on_submit():
        try:
            services.issue(plan, _actor(), issued_on=form.issued_on.data, number=form.number.data,
                           signer_name=(form.signer_name.data or "").strip())
        except PlanRefused as error:
            plan = _plan_or_404(plan_id)
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã ban hành kế hoạch số {plan.number_symbol}.", "success")
            return redirect_to(url_for(".show", plan_id=plan.id))
    return render("plans/issue.html", block="issue_form", status=422 if form.errors or form.form_errors else 200,
                  form=form, plan=plan, blocked=workflow.blocked_reason(plan, "issue"))


@bp.post("/<int:plan_id>/replace")
@requires("plan.edit")
def replace(plan_id):
    plan = _plan_or_404(plan_id)
    try:
        copy = services.replace(plan, _actor())
    except PlanRefused as error:
        flash(str(error), "warning")
        return redirect_to(url_for(".show", plan_id=plan.id))
    flash("Đã tạo dự thảo thay thế. Kế hoạch cũ vẫn có hiệu lực đến khi dự thảo này được ban hành.", "success")
    return redirect_to(url_for(".show", plan_id=copy.id))


@bp.post("/<int:plan_id>/delete")
@requires("plan.edit")
def delete(plan_id):
    plan = _plan_or_404(plan_id)
    try:
        services.delete_draft(plan)
    except PlanRefused as error:
        flash(str(error), "warning")
        return redirect_to(url_for(".show", plan_id=plan.id))
    flash("Đã xóa dự thảo.", "success")
    return redirect_to(url_for(".index"))


@bp.get("/<int:plan_id>/print")
@requires("plan.view")
def print_view(plan_id):
    plan = _plan_or_404(plan_id)
    doc = services.document_of(plan)
    return render("plans/print.html", plan=plan, doc=doc, recipient_lines=recipient_lines(doc.recipients, doc.filed_at))


@bp.get("/<int:plan_id>/docx")
@requires("plan.view")
def docx(plan_id):
    plan = _plan_or_404(plan_id)
    return docx_response(services.document_of(plan))


@bp.get("/<int:plan_id>/coverage")
@requires("plan.coverage")
def coverage(plan_id):
    plan = _plan_or_404(plan_id)
    if plan.unit_id != g.unit.id or g.unit.is_commune_level:
        abort(404)
    communes = [u for u in child_units(g.unit) if u.is_commune_level]
    show = request.args.get("show", "")
    all_rows = services.coverage(g.unit, plan, communes)
    keep = {"late": lambda r: r.late, "missing": lambda r: r.plan is None,
            "adopted": lambda r: r.plan is not None, "changed": lambda r: bool(r.diff and r.diff.changed_total)}
    rows = [r for r in all_rows if keep[show](r)] if show in keep else all_rows
    if request.args.get("format") == "xlsx":
        columns = ["Xã, phường", "Tình trạng", "Số, ký hiệu", "Ngày ban hành", "Giữ nguyên", "Đã sửa", "Đã bỏ",
                   "Bổ sung"]
        data = [[r.unit.name, r.state, r.plan.number_symbol if r.plan else "", r.plan.issued_on if r.plan else None,
                 *([r.diff.count(k) for k in ("kept", "changed", "removed", "added")] if r.diff else ["", "", "", ""])]
                for r in rows]
        return xlsx_response(f"tiep-nhan-{plan.number_symbol}", columns, data,
                             title=f"Tình hình tiếp nhận Kế hoạch số {plan.number_symbol}", subtitle=plan.title_one_line)
    summary = {
        "total": len(all_rows),
        "adopted": sum(1 for r in all_rows if r.plan is not None),
        "issued": sum(1 for r in all_rows if r.plan is not None and r.plan.status == "issued"),
        "late": sum(1 for r in all_rows if r.late),
    }
    return render("plans/coverage.html", block="coverage_table", plan=plan, rows=rows, show=show, summary=summary)


# --- The unit home panel ------------------------------------------------------------------

def home_panel_read(unit):
    access = getattr(g, "access", None)
    if access is None or "plan.view" not in access.permissions:
        return None
    return services.home_summary_read(unit, with_movements="movement.view" in access.permissions)


def home_panel(unit, rows):
    """Plans and movements at a glance: what to adopt, the current plan, movements, registrations."""
    return {"template": "plans/_home_panel.html", **services.home_summary_of(unit, rows)}


def _register_panel():
    from thiduaweb.units.views import add_home_panel

    # Its deadlines are dates, never "overdue" counted from today; its year is this year's.
    add_home_panel("plans", home_panel_read, home_panel, areas=("plans", "movements"), daily=False)


_register_panel()
