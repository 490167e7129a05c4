"""The exemplar register (unit pages) and the unit's public page of published exemplars."""
from __future__ import annotations

from flask import abort, flash, g, request, url_for
from flask_login import current_user

from thiduaweb.core.excel import xlsx_response
from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import public_blueprint, public_page, unit_blueprint
from thiduaweb.exemplars import services
from thiduaweb.exemplars.forms import ExemplarForm, NominateForm, PublicityForm
from thiduaweb.exemplars.models import CATEGORIES, STAGES

unit_bp = unit_blueprint("exemplars", __name__, "/exemplars")
bp = public_blueprint("exemplars_public", __name__, "/exemplars")

grant({"exemplar.view"}, roles=["admin", "supervisor", "officer", "council", "chairman", "viewer"],
      inherited_by=["admin", "supervisor"])
grant({"exemplar.manage"}, roles=["admin", "supervisor", "officer", "chairman"])
nav_item("exemplars.index", "Điển hình tiên tiến", "exemplar.view", order=550)


@unit_bp.get("/")
@requires("exemplar.view")
def index():
    filters = {k: request.args.get(k, "").strip() for k in ("q", "stage", "category")}
    exemplars = services.list_exemplars(g.unit, **filters)
    if request.args.get("format") == "xlsx":
        columns = ["Tên", "Đối tượng", "Mô tả", "Loại", "Phong trào", "Giai đoạn", "Ngày phát hiện", "Người theo dõi",
                   "Công khai"]
        data = ([e.name, e.kind_label, e.description or "", e.category_label, e.movement_label, e.stage_label,
                 e.discovered_on, e.follow_up_name or "", "Có" if e.published else ""] for e in exemplars)
        subtitle = ", ".join(x for x in (STAGES.get(filters["stage"], ""), CATEGORIES.get(filters["category"], ""),
                                         f"Tìm: {filters['q']}" if filters["q"] else "") if x)
        return xlsx_response(f"dien-hinh-{g.unit.slug}", columns, data, title=f"Điển hình tiên tiến của {g.unit.name}",
                             subtitle=subtitle)
    return render("exemplars/list.html", block="exemplar_table", exemplars=exemplars, filters=filters,
                  stages=STAGES, categories=CATEGORIES)


def _form(obj=None) -> ExemplarForm:
    form = ExemplarForm(obj=obj)
    form.movement_id.choices = [(0, "— Không chọn —")] + services.movement_choices(g.unit)
    if obj is not None and request.method == "GET":
        form.movement_id.data = obj.movement_id or 0
    return form


def _data(form: ExemplarForm) -> dict:
    return {
        "category": form.category.data, "kind": form.kind.data, "name": form.name.data.strip(),
        "description": (form.description.data or "").strip() or None, "movement_id": form.movement_id.data or None,
        "movement_name": (form.movement_name.data or "").strip() or None, "story": form.story.data.strip(),
        "stage": form.stage.data, "discovered_on": form.discovered_on.data,
        "follow_up_name": (form.follow_up_name.data or "").strip() or None, "published": form.published.data,
    }


def _save(form, exemplar=None):
    try:
        saved = services.save_exemplar(g.unit, _data(form), exemplar, evidence=request.files.getlist("evidence"),
                                       uploaded_by_id=current_user.id)
    except services.ExemplarError as error:
        if error.field == "evidence":
            form.evidence_error = str(error)
        else:
            form.add_error(error.field, str(error))
        return None
    return saved


@unit_bp.route("/new", methods=["GET", "POST"])
@requires("exemplar.manage")
def new():
    form = _form()
    form.evidence_error = None
    if form.validate_on_submit():
        exemplar = _save(form)
        if exemplar:
            flash(f"Đã ghi nhận điển hình {exemplar.name}.", "success")
            return redirect_to(url_for(".detail", exemplar_id=exemplar.id))
    return _form_page(form, None)


def _form_page(form, exemplar):
    if request.method == "POST" and not form.evidence_error:
        form.evidence_error = services.evidence_problem(request.files.getlist("evidence"))
    failed = bool(form.errors or form.form_errors or form.evidence_error)
    return render("exemplars/form.html", block="exemplar_form", status=422 if failed else 200, form=form,
                  exemplar=exemplar)


def _exemplar_or_404(exemplar_id):
    return or_404(services.get_exemplar(exemplar_id))


def _own_or_404(exemplar_id):
    exemplar = _exemplar_or_404(exemplar_id)
    if exemplar.unit_id != g.unit.id:
        abort(404)
    return exemplar


@unit_bp.route("/<int:exemplar_id>/edit", methods=["GET", "POST"])
@requires("exemplar.manage")
def edit(exemplar_id):
    exemplar = _own_or_404(exemplar_id)
    form = _form(exemplar)
    form.evidence_error = None
    if form.validate_on_submit():
        if _save(form, exemplar):
            flash(f"Đã lưu {exemplar.name}.", "success")
            return redirect_to(url_for(".detail", exemplar_id=exemplar.id))
    return _form_page(form, exemplar)


def _detail(exemplar, *, publicity_form=None, nominate_form=None, status=200, block=None, file_error=None):
    from thiduaweb.files.services import attachments_for, attachments_for_many

    nomination = services.nomination_of(exemplar)
    return render("exemplars/detail.html", block=block, status=status, exemplar=exemplar,
                  evidence=attachments_for("Exemplar", exemplar.id),
                  publicity_files=attachments_for_many("ExemplarPublicity", [p.id for p in exemplar.publicity]),
                  publicity_form=publicity_form or PublicityForm(formdata=None), file_error=file_error,
                  nominate_form=nominate_form or _nominate_form(exemplar, formdata=None),
                  nomination=nomination, nomination_link=services.nomination_url(nomination) if nomination else None,
                  manage=exemplar.unit_id == g.unit.id and "exemplar.manage" in g.access.permissions
                  and bool(g.access.writable_unit_ids))


def _nominate_form(exemplar, **kwargs):
    form = NominateForm(**kwargs)
    form.award_code.choices = services.award_choices(exemplar)
    if kwargs.get("formdata", True) is None:
        form.year.data = str(services.default_year(exemplar))
    return form


@unit_bp.get("/<int:exemplar_id>")
@requires("exemplar.view")
def detail(exemplar_id):
    return _detail(_exemplar_or_404(exemplar_id))


@unit_bp.post("/<int:exemplar_id>/stage")
@requires("exemplar.manage")
def advance(exemplar_id):
    exemplar = _own_or_404(exemplar_id)
    try:
        services.advance_stage(exemplar)
    except services.ExemplarError as error:
        flash(str(error), "danger")
    else:
        flash(f"Đã chuyển sang giai đoạn “{exemplar.stage_label}”.", "success")
    return redirect_to(url_for(".detail", exemplar_id=exemplar.id))


@unit_bp.post("/<int:exemplar_id>/publish")
@requires("exemplar.manage")
def publish(exemplar_id):
    exemplar = _own_or_404(exemplar_id)
    services.set_published(exemplar, request.form.get("published") == "1")
    flash("Đã công khai trên trang của đơn vị." if exemplar.published else "Đã thôi công khai.", "success")
    return redirect_to(url_for(".detail", exemplar_id=exemplar.id))


@unit_bp.post("/<int:exemplar_id>/publicity")
@requires("exemplar.manage")
def add_publicity(exemplar_id):
    exemplar = _own_or_404(exemplar_id)
    form = PublicityForm()
    file_error = None
    if form.validate_on_submit():
        try:
            services.add_publicity(exemplar, {"published_on": form.published_on.data, "channel": form.channel.data,
                                              "title": form.title.data.strip(),
                                              "link": (form.link.data or "").strip() or None},
                                   file=request.files.get("file"), uploaded_by_id=current_user.id)
        except services.ExemplarError as error:
            if error.field == "file":
                file_error = str(error)
            else:
                form.add_error(error.field, str(error))
        else:
            flash("Đã thêm bài tuyên truyền.", "success")
            return redirect_to(url_for(".detail", exemplar_id=exemplar.id) + "#publicity")
    return _detail(exemplar, publicity_form=form, status=422, block="publicity_form", file_error=file_error)


@unit_bp.post("/<int:exemplar_id>/publicity/<int:entry_id>/delete")
@requires("exemplar.manage")
def delete_publicity(exemplar_id, entry_id):
    exemplar = _own_or_404(exemplar_id)
    entry = services.get_publicity(entry_id)
    if entry is None or entry.exemplar_id != exemplar.id:
        abort(404)
    services.delete_publicity(entry)
    flash("Đã xóa bài tuyên truyền.", "success")
    return redirect_to(url_for(".detail", exemplar_id=exemplar.id) + "#publicity")


@unit_bp.post("/<int:exemplar_id>/nominate")
@requires("exemplar.manage")
def nominate(exemplar_id):
    exemplar = _own_or_404(exemplar_id)
    form = _nominate_form(exemplar)
    if form.validate_on_submit():
        try:
            nomination = services.to_nomination(g.unit, exemplar, current_user, award_code=form.award_code.data,
                                                year=int(form.year.data))
        except services.ExemplarError as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã lập đề nghị khen thưởng từ điển hình này.", "success")
            return redirect_to(services.nomination_url(nomination) or url_for(".detail", exemplar_id=exemplar.id))
    return _detail(exemplar, nominate_form=form, status=422, block="nominate_form")


# --- The unit's public page ---------------------------------------------------------------------

@bp.get("/")
@public_page
def public_list():
    return render("exemplars/public_list.html", public_unit=g.public_unit,
                  exemplars=services.public_exemplars(g.public_unit))


@bp.get("/<int:exemplar_id>")
@public_page
def public_detail(exemplar_id):
    exemplar = or_404(services.public_exemplar(g.public_unit, exemplar_id))
    return render("exemplars/public_detail.html", public_unit=g.public_unit, exemplar=exemplar)
