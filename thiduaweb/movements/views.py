"""Movement pages: list and launch, a movement with its targets, progress and reviews, joining a
city movement, the city's side-by-side view, registrations and compacts."""
from decimal import Decimal, InvalidOperation

from flask import abort, flash, g, request, url_for
from flask_login import current_user

from thiduaweb.core.clock import today
from thiduaweb.core.excel import xlsx_response
from thiduaweb.core.permissions import ADMIN, CHAIRMAN, COUNCIL, OFFICER, SUPERVISOR, VIEWER, grant, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import unit_blueprint
from thiduaweb.core.vntext import format_date
from thiduaweb.movements import services
from thiduaweb.movements.forms import (AchievementForm, CompactForm, MovementForm, ProgressForm, RegistrationForm,
                                       ReviewForm, TargetForm)
from thiduaweb.movements.models import KINDS, LEVELS, REGISTRATION_TITLES, SUBJECT_KINDS
from thiduaweb.movements.services import MovementRefused
from thiduaweb.units.services import child_units

bp = unit_blueprint("movements", __name__, "/movements")

grant({"movement.view"}, roles=[ADMIN, SUPERVISOR, OFFICER, COUNCIL, CHAIRMAN, VIEWER],
      inherited_by=[ADMIN, SUPERVISOR])
grant({"movement.manage"}, roles=[OFFICER, SUPERVISOR])
grant({"movement.compare"}, roles=[SUPERVISOR, ADMIN])

nav_item("movements.index", "Phong trào thi đua", "movement.view", order=30)
nav_item("movements.registrations", "Đăng ký, giao ước thi đua", "movement.view", order=31, where="commune")
nav_item("movements.registration_counts", "Đăng ký thi đua của các xã", "movement.compare", order=31,
         where="supervisor")


def _actor():
    return current_user._get_current_object()


def _status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


def _movement_or_404(movement_id):
    return or_404(services.get_movement(movement_id))


# --- movements ---------------------------------------------------------------------------------

@bp.get("/")
@requires("movement.view")
def index():
    filters = {"q": request.args.get("q", "").strip(), "kind": request.args.get("kind", ""),
               "level": request.args.get("level", ""), "year": request.args.get("year", type=int)}
    if filters["year"] and not 2000 <= filters["year"] <= 2100:
        filters["year"] = None
    movements = services.movements_of(g.unit, year=filters["year"], kind=filters["kind"], level=filters["level"],
                                      q=filters["q"])
    if _wants_xlsx():
        columns = ["Tên phong trào", "Loại", "Cấp phát động", "Bắt đầu", "Kết thúc", "Số chỉ tiêu",
                   "Sơ kết, tổng kết", "Cho các xã"]
        data = ([m.name, m.kind_label, m.level_label, m.starts_on, m.ends_on, len(m.targets),
                 "; ".join(f"{r.kind_label} {format_date(r.held_on)}" for r in m.reviews),
                 "Có" if m.for_communes else ""] for m in movements)
        subtitle = ", ".join(x for x in (f"Năm {filters['year']}" if filters["year"] else "",
                                         KINDS.get(filters["kind"], ""), LEVELS.get(filters["level"], ""),
                                         f"Tìm: {filters['q']}" if filters["q"] else "") if x)
        return xlsx_response(f"phong-trao-{g.unit.slug}", columns, data, title=f"Phong trào thi đua của {g.unit.name}",
                             subtitle=subtitle)
    city_movements = services.city_movements_for(g.unit) if g.unit.is_commune_level else []
    joined = {m.id: services.joined(g.unit, m) for m in city_movements}
    return render("movements/index.html", block="movement_table", movements=movements, filters=filters, kinds=KINDS,
                  levels=LEVELS, city_movements=city_movements, joined=joined)


def _movement_form(movement=None) -> MovementForm:
    form = MovementForm(obj=movement)
    form.plan_item_id.choices = [(0, "— Không gắn —")] + [
        (item.id, f"{plan.number_symbol or 'Dự thảo'} · mục {item.label}: {item.text[:90]}")
        for item, plan in services.plan_items_for_choice(g.unit)]
    form.body_ids.choices = [(b.id, b.name) for b in services.bodies_for_choice(g.unit)]
    if request.method == "GET" and movement is not None:
        form.body_ids.data = movement.body_ids
        form.plan_item_id.data = movement.plan_item_id or 0
    return form


def _movement_data(form: MovementForm) -> dict:
    return {"name": form.name.data or "", "kind": form.kind.data, "level": form.level.data,
            "starts_on": form.starts_on.data, "ends_on": form.ends_on.data,
            "description": form.description.data or "", "plan_item_id": form.plan_item_id.data or None,
            "body_ids": form.body_ids.data or [], "for_communes": form.for_communes.data}


@bp.route("/new", methods=["GET", "POST"])
@requires("movement.manage")
def new():
    form = _movement_form()
    if request.method == "GET":
        form.level.data = "commune" if g.unit.is_commune_level else "city"
        form.starts_on.data = today()
        if request.args.get("plan_item", type=int):
            form.plan_item_id.data = request.args.get("plan_item", type=int)
    if form.validate_on_submit():
        try:
            movement = services.create_movement(g.unit, _actor(), _movement_data(form))
        except MovementRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã tạo phong trào “{movement.name}”. Hãy thêm các chỉ tiêu.", "success")
            return redirect_to(url_for(".show", movement_id=movement.id))
    return render("movements/movement_form.html", block="movement_form", status=_status(form), form=form,
                  movement=None)


@bp.route("/<int:movement_id>/edit", methods=["GET", "POST"])
@requires("movement.manage")
def edit(movement_id):
    movement = _movement_or_404(movement_id)
    form = _movement_form(movement)
    if form.validate_on_submit():
        try:
            services.update_movement(movement, g.unit, _movement_data(form))
        except MovementRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã lưu phong trào.", "success")
            return redirect_to(url_for(".show", movement_id=movement.id))
    return render("movements/movement_form.html", block="movement_form", status=_status(form), form=form,
                  movement=movement)


@bp.post("/<int:movement_id>/delete")
@requires("movement.manage")
def delete(movement_id):
    movement = _movement_or_404(movement_id)
    name = movement.name
    try:
        services.delete_movement(movement)
    except MovementRefused as error:
        flash(str(error), "warning")
        return redirect_to(url_for(".show", movement_id=movement_id))
    flash(f"Đã xóa phong trào “{name}”.", "success")
    return redirect_to(url_for(".index"))


@bp.get("/<int:movement_id>")
@requires("movement.view")
def show(movement_id):
    movement = _movement_or_404(movement_id)
    reports = [r for t in movement.targets for r in t.reports]
    plan_item = None
    if movement.plan_item_id:
        from thiduaweb.plans.models import PlanItem
        from thiduaweb.extensions import db

        plan_item = db.session.get(PlanItem, movement.plan_item_id)
    return render("movements/show.html", movement=movement, parent=services.parent_of(movement),
                  charts={t.id: services.chart(t) for t in movement.targets}, evidence=services.evidence_for(reports),
                  plan_item=plan_item)


@bp.get("/city/<int:movement_id>")
@requires("movement.view")
def city_movement(movement_id):
    movement = or_404(services.city_movement_for(g.unit, movement_id))
    return render("movements/city_movement.html", movement=movement, mine=services.joined(g.unit, movement))


@bp.post("/city/<int:movement_id>/join")
@requires("movement.manage")
def join(movement_id):
    city_movement_ = or_404(services.city_movement_for(g.unit, movement_id))
    try:
        movement = services.join(g.unit, city_movement_, _actor())
    except MovementRefused as error:
        flash(str(error), "warning")
        return redirect_to(url_for(".city_movement", movement_id=movement_id))
    flash("Đã tham gia phong trào. Các chỉ tiêu của thành phố đã được chép sang: hãy điều chỉnh cho phù hợp với xã.",
          "success")
    return redirect_to(url_for(".show", movement_id=movement.id))


@bp.get("/<int:movement_id>/communes")
@requires("movement.compare")
def communes(movement_id):
    movement = _movement_or_404(movement_id)
    if movement.unit_id != g.unit.id or not movement.for_communes:
        abort(404)
    rows = services.side_by_side(movement, [u for u in child_units(g.unit) if u.is_commune_level])
    show_all = request.args.get("all") == "1"
    joined_count = sum(1 for r in rows if r.movement)
    if not show_all:
        rows = [r for r in rows if r.movement]
    if _wants_xlsx():
        targets = list(movement.targets)
        columns = ["Xã, phường", "Tham gia"]
        for t in targets:
            columns += [f"{t.indicator}: đạt ({t.measure})", f"{t.indicator}: chỉ tiêu của xã"]
        columns.append("Chỉ tiêu riêng của xã")

        def cells(r):
            out = [r.unit.name, "Đã tham gia" if r.movement else "Chưa tham gia"]
            for t in targets:
                mine = r.by_parent.get(t.id)
                out += [mine.current_value, mine.target_value] if mine else [None, None]
            out.append("; ".join(f"{t.indicator}: {vnvalue(t.current_value)} / {vnvalue(t.target_value)}"
                                 for t in r.extra))
            return out

        return xlsx_response(f"so-sanh-{movement.name}", columns, (cells(r) for r in rows),
                             title=f"Các xã, phường hưởng ứng: {movement.name}"[:200],
                             subtitle="Mọi xã, phường" if show_all else "Các xã, phường đã tham gia")
    return render("movements/communes.html", movement=movement, rows=rows, show_all=show_all,
                  joined_count=joined_count)


# --- targets and progress ------------------------------------------------------------------------------

def _target_data(form: TargetForm) -> dict:
    return {"indicator": (form.indicator.data or "").strip(), "measure": (form.measure.data or "").strip(),
            "target_value": form.target_value.data, "due_on": form.due_on.data}


@bp.route("/<int:movement_id>/targets/new", methods=["GET", "POST"])
@requires("movement.manage")
def new_target(movement_id):
    movement = _movement_or_404(movement_id)
    form = TargetForm()
    if form.validate_on_submit():
        try:
            services.add_target(movement, _target_data(form))
        except MovementRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã thêm chỉ tiêu.", "success")
            return redirect_to(url_for(".show", movement_id=movement.id))
    return render("movements/target_form.html", block="target_form", status=_status(form), form=form,
                  movement=movement, target=None)


def _target_or_404(movement, target_id):
    return or_404(services.get_target(movement, target_id))


@bp.route("/<int:movement_id>/targets/<int:target_id>/edit", methods=["GET", "POST"])
@requires("movement.manage")
def edit_target(movement_id, target_id):
    movement = _movement_or_404(movement_id)
    target = _target_or_404(movement, target_id)
    form = TargetForm(obj=target)
    if form.validate_on_submit():
        try:
            services.update_target(movement, target, _target_data(form))
        except MovementRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash("Đã lưu chỉ tiêu.", "success")
            return redirect_to(url_for(".show", movement_id=movement.id))
    return render("movements/target_form.html", block="target_form", status=_status(form), form=form,
                  movement=movement, target=target)


@bp.post("/<int:movement_id>/targets/<int:target_id>/delete")
@requires("movement.manage")
def delete_target(movement_id, target_id):
    movement = _movement_or_404(movement_id)
    target = _target_or_404(movement, target_id)
    try:
        services.delete_target(movement, target)
    except MovementRefused as error:
        flash(str(error), "warning")
    else:
        flash("Đã xóa chỉ tiêu.", "success")
    return redirect_to(url_for(".show", movement_id=movement.id))


@bp.route("/<int:movement_id>/targets/<int:target_id>/progress", methods=["GET", "POST"])
@requires("movement.manage")
def progress(movement_id, target_id):
    movement = _movement_or_404(movement_id)
    target = _target_or_404(movement, target_id)
    form = ProgressForm()
    upload_error = None
    if request.method == "GET":
        form.reported_on.data = today()
    if form.validate_on_submit():
        try:
            services.add_progress(movement, target, _actor(),
                                  {"value": form.value.data, "reported_on": form.reported_on.data,
                                   "note": form.note.data}, request.files.getlist("evidence"))
        except MovementRefused as error:
            movement = _movement_or_404(movement_id)
            target = _target_or_404(movement, target_id)
            if error.field == "evidence":
                upload_error = str(error)
            else:
                form.add_error(error.field, str(error))
        else:
            flash("Đã ghi nhận tiến độ.", "success")
            return redirect_to(url_for(".show", movement_id=movement.id, _anchor=f"target-{target.id}"))
    status = 422 if form.errors or form.form_errors or upload_error else 200
    return render("movements/progress_form.html", block="progress_form", status=status, form=form,
                  movement=movement, target=target, upload_error=upload_error)


# --- reviews ----------------------------------------------------------------------------------------

def _parse_results(movement) -> tuple[dict, dict, dict]:
    """Results by target from the review form: values, assessments, and errors by target id."""
    results, typed, errors = {}, {}, {}
    for target in movement.targets:
        raw = (request.form.get(f"result_{target.id}") or "").strip()
        assessment = request.form.get(f"assessment_{target.id}") or ""
        typed[target.id] = (raw, assessment)
        value = None
        if raw:
            text = raw.replace(" ", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            try:
                value = Decimal(text)
            except InvalidOperation:
                errors[target.id] = "Giá trị phải là một số, ví dụ 12 hoặc 12,5."
                continue
            if not value.is_finite() or abs(value) > services.MAX_VALUE:
                errors[target.id] = "Giá trị không hợp lệ: nhập một số không quá 12 chữ số."
                continue
            if value < 0:
                errors[target.id] = "Giá trị không được âm."
                continue
        results[target.id] = (value, assessment)
    return results, typed, errors


@bp.route("/<int:movement_id>/reviews/new", methods=["GET", "POST"])
@requires("movement.manage")
def new_review(movement_id):
    movement = _movement_or_404(movement_id)
    form = ReviewForm()
    typed, result_errors = {}, {}
    if request.method == "GET":
        form.held_on.data = today()
        typed = {t.id: ("" if t.current_value is None else format_value(t.current_value), "") for t in movement.targets}
    if request.method == "POST":
        results, typed, result_errors = _parse_results(movement)
        if form.validate_on_submit() and not result_errors:
            try:
                review = services.add_review(movement, _actor(), {"kind": form.kind.data, "held_on": form.held_on.data,
                                                                  "summary": form.summary.data}, results)
            except MovementRefused as error:
                movement = _movement_or_404(movement_id)
                form.add_error(error.field, str(error))
            else:
                flash(f"Đã ghi nhận {review.kind_label.lower()}. Hãy nêu các tập thể, cá nhân tiêu biểu.", "success")
                return redirect_to(url_for(".review", movement_id=movement.id, review_id=review.id))
    status = 422 if form.errors or form.form_errors or result_errors else 200
    return render("movements/review_form.html", block="review_form", status=status, form=form, movement=movement,
                  typed=typed, result_errors=result_errors)


def format_value(value) -> str:
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return text.replace(".", ",")


def _review_or_404(movement, review_id):
    return or_404(services.get_review(movement, review_id))


@bp.route("/<int:movement_id>/reviews/<int:review_id>", methods=["GET", "POST"])
@requires("movement.view")
def review(movement_id, review_id):
    movement = _movement_or_404(movement_id)
    review_ = _review_or_404(movement, review_id)
    form = AchievementForm()
    if request.method == "POST":
        if "movement.manage" not in g.access.permissions:
            abort(403)
        if form.validate_on_submit():
            try:
                services.add_achievement(review_, {"subject_kind": form.subject_kind.data,
                                                   "subject_name": form.subject_name.data,
                                                   "description": form.description.data})
            except MovementRefused as error:
                form.add_error(error.field, str(error))
            else:
                flash("Đã thêm thành tích tiêu biểu.", "success")
                return redirect_to(url_for(".review", movement_id=movement.id, review_id=review_.id))
    return render("movements/review.html", block="achievement_form", status=_status(form), movement=movement,
                  review=review_, form=form)


# --- registrations and compacts -----------------------------------------------------------------------

def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else today().year


@bp.get("/registrations")
@requires("movement.view")
def registrations():
    year, kind, q = _year(), request.args.get("kind", ""), request.args.get("q", "").strip()
    rows = services.registrations_of(g.unit, year, kind=kind, q=q)
    if _wants_xlsx():
        bodies = {b.id: b.name for b in services.bodies_for_choice(g.unit)}
        columns = ["Đối tượng", "Tên", "Thuộc", "Danh hiệu đăng ký", "Ngày đăng ký", "Ghi chú"]
        data = ([r.subject_kind_label, r.subject_name, bodies.get(r.body_id, ""), r.title, r.registered_on,
                 r.note or ""] for r in rows)
        subtitle = ", ".join(x for x in (SUBJECT_KINDS.get(kind, ""), f"Tìm: {q}" if q else "") if x)
        return xlsx_response(f"dang-ky-thi-dua-{g.unit.slug}-{year}", columns, data,
                             title=f"Đăng ký thi đua năm {year}", subtitle=subtitle)
    return render("movements/registrations.html", block="registration_table", year=year, kind=kind, q=q,
                  registrations=rows, compacts=services.compacts_of(g.unit, year), subject_kinds=SUBJECT_KINDS,
                  bodies={b.id: b for b in services.bodies_for_choice(g.unit)})


@bp.route("/registrations/new", methods=["GET", "POST"])
@requires("movement.manage")
def new_registration():
    form = _registration_form(RegistrationForm())
    if request.method == "GET":
        form.year.data = _year()
        form.registered_on.data = today()
    return _save_registration(form, None)


@bp.route("/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@requires("movement.manage")
def edit_registration(registration_id):
    registration = or_404(services.get_registration(registration_id))
    form = _registration_form(RegistrationForm(obj=registration))
    if request.method == "GET":
        form.body_id.data = registration.body_id or 0
    return _save_registration(form, registration)


def _registration_form(form: RegistrationForm) -> RegistrationForm:
    form.body_id.choices = [(0, "— Không —")] + [(b.id, b.name) for b in services.bodies_for_choice(g.unit)]
    return form


def _save_registration(form: RegistrationForm, registration):
    """Add (`registration` None) or correct a registration from a valid form, else draw the form again."""
    if form.validate_on_submit():
        data = {"year": form.year.data, "subject_kind": form.subject_kind.data, "subject_name": form.subject_name.data,
                "body_id": form.body_id.data or None, "title": form.title.data,
                "registered_on": form.registered_on.data, "note": form.note.data}
        try:
            if registration is None:
                registration = services.add_registration(g.unit, data)
            else:
                services.update_registration(g.unit, registration, data)
        except MovementRefused as error:  # refused before any column is set: nothing to undo
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã lưu đăng ký của {registration.subject_name}.", "success")
            return redirect_to(url_for(".registrations", year=registration.year))
    titles = sorted({t for group in REGISTRATION_TITLES.values() for t in group})
    return render("movements/registration_form.html", block="registration_form", status=_status(form), form=form,
                  titles=titles, registration=registration)


@bp.post("/registrations/<int:registration_id>/delete")
@requires("movement.manage")
def delete_registration(registration_id):
    registration = or_404(services.get_registration(registration_id))
    year = registration.year
    services.delete_registration(registration)
    flash("Đã xóa đăng ký.", "success")
    return redirect_to(url_for(".registrations", year=year))


@bp.post("/compacts/<int:compact_id>/delete")
@requires("movement.manage")
def delete_compact(compact_id):
    compact = or_404(services.get_compact(compact_id))
    year = compact.year
    services.delete_compact(compact)
    flash("Đã xóa giao ước.", "success")
    return redirect_to(url_for(".registrations", year=year, _anchor="compacts"))


@bp.route("/compacts/new", methods=["GET", "POST"])
@requires("movement.manage")
def new_compact():
    form = CompactForm()
    if request.method == "GET":
        form.year.data = _year()
        form.signed_on.data = today()
    if form.validate_on_submit():
        try:
            compact = services.add_compact(g.unit, {"year": form.year.data, "name": form.name.data,
                                                    "signed_on": form.signed_on.data, "parties": form.parties.data,
                                                    "content": form.content.data})
        except MovementRefused as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã ghi giao ước “{compact.name}”.", "success")
            return redirect_to(url_for(".registrations", year=compact.year, _anchor="compacts"))
    return render("movements/compact_form.html", block="compact_form", status=_status(form), form=form,
                  bodies=services.bodies_for_choice(g.unit))


@bp.get("/registrations/by-commune")
@requires("movement.compare")
def registration_counts():
    if g.unit.is_commune_level:
        abort(404)
    year = _year()
    rows = services.registration_counts([u for u in child_units(g.unit) if u.is_commune_level], year)
    rows.sort(key=lambda r: (-r["total"] - r["compacts"], r["unit"].name))
    totals = {k: sum(r[k] for r in rows) for k in ("person", "collective", "household", "compacts", "total")}
    if _wants_xlsx():
        columns = ["Xã, phường", "Cá nhân", "Tập thể", "Hộ gia đình", "Tổng đăng ký", "Giao ước"]
        data = [[r["unit"].name, r["person"], r["collective"], r["household"], r["total"], r["compacts"]] for r in rows]
        return xlsx_response(f"dang-ky-thi-dua-{year}", columns, data, title=f"Đăng ký thi đua năm {year}")
    return render("movements/registration_counts.html", block="count_table", rows=rows, year=year, totals=totals)


@bp.get("/achievements")
@requires("movement.view")
def achievements():
    year = request.args.get("year", type=int)
    rows = services.achievements_of(g.unit, year)
    if _wants_xlsx():
        columns = ["Đối tượng", "Tên", "Thành tích", "Phong trào", "Sơ kết, tổng kết", "Ngày"]
        data = ([a.subject_kind_label, a.subject_name, a.description, m.name, r.kind_label, r.held_on]
                for a, r, m in rows)
        return xlsx_response(f"thanh-tich-{g.unit.slug}", columns, data, title=f"Thành tích được nêu của {g.unit.name}",
                             subtitle=f"Năm {year}" if year else "")
    return render("movements/achievements.html", rows=rows, year=year)


def _wants_xlsx() -> bool:
    return request.args.get("format") == "xlsx"


@bp.app_template_filter("vnvalue")
def vnvalue(value) -> str:
    """A target or progress value: "95", "12,5"; "—" when there is none."""
    from thiduaweb.core.vntext import format_number

    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return format_number(value, 0)
    return format_number(value, 2).rstrip("0").rstrip(",")
