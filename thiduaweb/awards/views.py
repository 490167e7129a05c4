"""Awards pages: nominations and their workflow, nominees, the register, the catalogue, the share of
direct labourers (`unit_bp`, /u/<unit>/khen-thuong), and the citizens' pages (`bp`, /p/<unit>/khen-thuong)."""
from __future__ import annotations

from flask import abort, flash, g, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from thiduaweb.awards import exports, rules, services, workflow
from thiduaweb.awards.forms import (STEP_FORMS, EmptyForm, FreezeForm, NominationForm, NomineeForm, ObjectionForm,
                                    ResolveObjectionForm)
from thiduaweb.awards.models import (BASES, NOMINEE_KINDS, OCCUPATION_GROUPS, AuthorityRule, Decision, Objection,
                                     RegulationVersion, RuleParameter)
from thiduaweb.core import revisions
from thiduaweb.core.clock import today
from thiduaweb.core.jobs import export_or_enqueue
from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import public_blueprint, public_page, unit_blueprint
from thiduaweb.extensions import db, limiter
from thiduaweb.units.services import bodies_of

bp = public_blueprint("awards_public", __name__, "/khen-thuong")
unit_bp = unit_blueprint("awards", __name__, "/khen-thuong")

_EVERYONE = ["admin", "supervisor", "officer", "council", "chairman", "viewer"]
grant({"nomination.view", "nominee.view", "register.view", "award_catalogue.view"}, roles=_EVERYONE,
      inherited_by=["admin", "supervisor"])
grant({"nomination.edit", "nomination.review", "nominee.manage"}, roles=["officer", "supervisor"])
grant({"nomination.appraise"}, roles=["officer", "supervisor", "council"])
grant({"nomination.decide"}, roles=["chairman"])

nav_item("awards.index", "Đề nghị khen thưởng", "nomination.view", order=300)
nav_item("awards.nominees", "Đối tượng khen thưởng", "nominee.view", order=310)
nav_item("awards.register", "Sổ khen thưởng", "register.view", order=320)
nav_item("awards.share", "Tỷ lệ người lao động trực tiếp", "register.view", order=330)
nav_item("awards.catalogue", "Danh hiệu và quy định", "award_catalogue.view", order=340)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def _permissions():
    return g.access.permissions


def _wants_excel() -> bool:
    return request.args.get("format") == "xlsx"


# --- Nominations ----------------------------------------------------------------------------------

@unit_bp.get("/")
@requires("nomination.view")
def index():
    if _wants_excel():
        return export_or_enqueue("awards.nominations")
    filters = exports.nomination_filters(request.args)
    # The overview is read from the summary rows and kept until one of the unit's figures changes; the
    # table is kept until a nomination or nominee is added, removed or changed in a column the list shows,
    # or a body renamed (a row names its proposing body), and per request arguments (its filters, page,
    # and the pager's and export's links); a table read afresh brings the overview along in the same
    # statement. Neither counts from the day (the overview's year is in its key): kept across midnight.
    # See core/revisions.py.
    year = _year()
    overview_key = ("nominations-overview", *revisions.part_key(g.unit, (revisions.SUMMARY_AREA,), daily=False),
                    year)
    key = revisions.part_key(g.unit, (revisions.listed_area("awards"), revisions.BODIES_AREA), daily=False)
    table_html = revisions.rendered(("nominations-table", *key, tuple(sorted(request.args.items(multi=True)))),
                                    lambda: _nomination_table_html(filters, year, overview_key))
    queue, share = revisions.kept(overview_key, lambda: services.nominations_overview(g.unit.id, year))
    return render("awards/nominations.html", block="nomination_table", table_html=table_html, filters=filters,
                  states=workflow.STATES, award_types=rules.award_names_on(today()), queue=queue, share=share)


def _nomination_table_html(filters: dict, year: int, overview_key: tuple) -> str:
    page = services.nominations_page(g.unit.id, _int_arg("page"), q=filters["q"], state=filters["state"],
                                     year=filters["year"], award_code=filters["award"], overview_year=year)
    # Read after the counters of `overview_key`: never older than they say (core/revisions.py).
    revisions.put(overview_key, services.overview_of_page(g.unit.id, year, page))
    return render_template("awards/_nomination_table.html", nominations=page, badges=workflow.STATE_BADGES)


def _year() -> int:
    return _int_arg("year") or today().year


def _nomination_form(form: NominationForm, nomination=None) -> NominationForm:
    nominees = services.search_nominees(g.unit.id)
    form.nominee_id.choices = [(None, "— Chọn —")] + [(n.id, f"{n.display_name} ({n.kind_label.lower()})")
                                                      for n in nominees]
    form.award_code.choices = [("", "— Chọn —")] + [(a.code, f"{a.name} ({a.applies_to_label.lower()})")
                                                    for a in services.award_choices()]
    form.proposing_body_id.choices = [(None, "—")] + [(b.id, b.name) for b in bodies_of(g.unit.id)]
    return form


def _nomination_data(form: NominationForm) -> dict:
    return {k: getattr(form, k).data for k in services.NOMINATION_FIELDS if hasattr(form, k)} | {
        "movement_name": (form.movement_name.data or "").strip() or None,
        "initiative": (form.initiative.data or "").strip() or None}


@unit_bp.route("/de-nghi/moi", methods=["GET", "POST"])
@requires("nomination.edit")
def new_nomination():
    form = _nomination_form(NominationForm())
    if request.method == "GET":
        form.year.data = form.year.data or today().year
        form.nominee_id.data = _int_arg("nominee")
    if form.validate_on_submit():
        try:
            nomination = services.create_nomination(g.unit, current_user, nominee_id=form.nominee_id.data,
                                                    award_code=form.award_code.data, year=form.year.data,
                                                    data=_nomination_data(form))
        except services.AwardsError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã tạo đề nghị khen thưởng.", "success")
            return redirect_to(url_for(".nomination", nomination_id=nomination.id))
    return render("awards/nomination_form.html", block="nomination_form", status=422 if _has_errors(form) else 200,
                  form=form, nomination=None)


def _has_errors(form) -> bool:
    return bool(form.errors or form.form_errors)


def _nomination_or_404(nomination_id: int):
    return or_404(services.get_nomination(nomination_id))


@unit_bp.route("/de-nghi/<int:nomination_id>/sua", methods=["GET", "POST"])
@requires("nomination.edit")
def edit_nomination(nomination_id):
    nomination = _nomination_or_404(nomination_id)
    if nomination.state not in ("draft", "returned"):
        flash("Chỉ sửa được đề nghị đang soạn hoặc bị trả lại.", "warning")
        return redirect_to(url_for(".nomination", nomination_id=nomination.id))
    form = _nomination_form(NominationForm(obj=nomination), nomination)
    if request.method == "GET":
        form.award_code.data = nomination.award_type.code
    form.nominee_id.choices = [(nomination.nominee_id, nomination.nominee.display_name)]
    if form.validate_on_submit():
        try:
            services.update_nomination(g.unit, nomination, award_code=form.award_code.data, year=form.year.data,
                                       data=_nomination_data(form))
        except services.AwardsError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã lưu đề nghị.", "success")
            return redirect_to(url_for(".nomination", nomination_id=nomination.id))
    return render("awards/nomination_form.html", block="nomination_form", status=422 if _has_errors(form) else 200,
                  form=form, nomination=nomination)


def _detail_context(nomination) -> dict:
    return {
        "nomination": nomination,
        "eligibility": rules.evaluate(nomination),
        "buttons": workflow.available(nomination, _permissions()),
        "history": services.history(nomination),
        "attachments": services.attachments(nomination),
        "origin_attachments": services.origin_attachments(nomination),
        "objections": services.objections_of(nomination),
        "related": services.related_nominations(nomination),
        "frozen": rules.nomination_frozen_reason(nomination),
        "deciding_level": rules.deciding_level(nomination.award_type, g.unit, nomination.judged_on),
        "badges": workflow.STATE_BADGES,
        "award_decision": db.session.get(Decision, nomination.decision_id) if nomination.decision_id else None,
    }


@unit_bp.get("/de-nghi/<int:nomination_id>")
@requires("nomination.view")
def nomination(nomination_id):
    nomination = _nomination_or_404(nomination_id)
    return render("awards/nomination.html", **_detail_context(nomination), upload_error=None,
                  resolve_form=ResolveObjectionForm())


@unit_bp.route("/de-nghi/<int:nomination_id>/buoc/<name>", methods=["GET", "POST"])
@requires("nomination.view")
def step(nomination_id, name):
    """One workflow step: its form (when it asks for data) and its submission.

    The permission is the transition's own, checked by `workflow.apply` (and here, for the form).
    """
    nomination = _nomination_or_404(nomination_id)
    transition = or_404(workflow.TRANSITIONS.get(name))
    if transition.permission not in _permissions():
        abort(403)
    form = STEP_FORMS.get(name, EmptyForm)()
    if request.method == "GET":
        _step_defaults(form, nomination)
    if request.method == "POST" and form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "reason")}
        try:
            workflow.apply(nomination, name, current_user, reason=getattr(form, "reason", None) and form.reason.data,
                           permissions=_permissions(), data=data)
        except workflow.WorkflowError as error:
            nomination = _nomination_or_404(nomination_id)
            form.add_error(error.field if error.field in form else None, str(error))
        else:
            flash(f"{transition.done_label}: xong.", "success")
            return redirect_to(url_for(".nomination", nomination_id=nomination_id))
    status = 422 if request.method == "POST" else 200
    return render("awards/step.html", block="step_form", status=status, form=form, nomination=nomination,
                  transition=transition, frozen=rules.nomination_frozen_reason(nomination),
                  guard=transition.guard(nomination) if transition.guard else None)


def _step_defaults(form, nomination) -> None:
    for field_name in ("review_on", "posted_from", "appraised_on", "decided_on", "proposed_on"):
        if field_name in form and form[field_name].data is None:
            form[field_name].data = today()
    if "posting_place" in form and not form.posting_place.data:
        form.posting_place.data = "Trụ sở UBND và trang thông tin điện tử"


@unit_bp.post("/de-nghi/<int:nomination_id>/tep")
@requires("nomination.edit")
def upload(nomination_id):
    nomination = _nomination_or_404(nomination_id)
    form = EmptyForm()
    error = None
    if not form.validate_on_submit():
        error = "Phiên làm việc đã hết hạn, vui lòng tải lại trang."
    else:
        try:
            services.add_attachment(g.unit, nomination, request.files.get("file"))
        except services.AwardsError as exc:
            error = str(exc)
    if error is None:
        flash("Đã đính kèm tệp.", "success")
        return redirect_to(url_for(".nomination", nomination_id=nomination_id))
    nomination = _nomination_or_404(nomination_id)
    return render("awards/nomination.html", block="attachments_block", status=422, upload_error=error,
                  resolve_form=ResolveObjectionForm(), **_detail_context(nomination))


@unit_bp.post("/de-nghi/<int:nomination_id>/y-kien/<int:objection_id>")
@requires("nomination.review")
def resolve_objection(nomination_id, objection_id):
    nomination = _nomination_or_404(nomination_id)
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.nomination_id != nomination.id:
        abort(404)
    form = ResolveObjectionForm()
    if form.validate_on_submit():
        try:
            services.resolve_objection(g.unit, current_user, objection, outcome=form.outcome.data, note=form.note.data)
        except services.AwardsError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã ghi kết quả xem xét ý kiến.", "success")
            return redirect_to(url_for(".nomination", nomination_id=nomination.id))
    nomination = _nomination_or_404(nomination_id)
    return render("awards/nomination.html", block="objections_block", status=422, upload_error=None,
                  resolve_form=form, resolving=objection_id, **_detail_context(nomination))


@unit_bp.get("/hang-cho")
@requires("nomination.view")
def queue():
    if _wants_excel():
        return exports.queue(g.unit)
    return render("awards/queue.html", nominations=services.incoming_queue(g.unit.id), badges=workflow.STATE_BADGES)


# --- Nominees -------------------------------------------------------------------------------------

@unit_bp.get("/doi-tuong")
@requires("nominee.view")
def nominees():
    if _wants_excel():
        return export_or_enqueue("awards.nominees")
    filters = exports.nominee_filters(request.args)
    bodies = bodies_of(g.unit.id)
    page = services.nominees_page(g.unit.id, _int_arg("page"), q=filters["q"], kind=filters["kind"],
                                  body_id=filters["body"])
    return render("awards/nominees.html", block="nominee_table", nominees=page, filters=filters,
                  kinds=NOMINEE_KINDS, bodies=bodies)


def _nominee_form(form: NomineeForm) -> NomineeForm:
    form.body_id.choices = [(None, "—")] + [(b.id, b.name) for b in bodies_of(g.unit.id)]
    return form


def _nominee_data(form: NomineeForm) -> dict:
    data = {k: getattr(form, k).data for k in services.NOMINEE_FIELDS}
    for key in ("gender", "occupation_group", "position", "identity_number", "note"):
        data[key] = (data[key] or "").strip() or None
    return data


@unit_bp.route("/doi-tuong/moi", methods=["GET", "POST"])
@requires("nominee.manage")
def new_nominee():
    form = _nominee_form(NomineeForm())
    if form.validate_on_submit():
        try:
            nominee = services.save_nominee(g.unit, _nominee_data(form))
        except services.AwardsError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã thêm {nominee.display_name}.", "success")
            return redirect_to(url_for(".nominee", nominee_id=nominee.id))
    return render("awards/nominee_form.html", block="nominee_form", status=422 if _has_errors(form) else 200,
                  form=form, nominee=None)


def _nominee_or_404(nominee_id):
    return or_404(services.get_nominee(nominee_id))


@unit_bp.route("/doi-tuong/<int:nominee_id>/sua", methods=["GET", "POST"])
@requires("nominee.manage")
def edit_nominee(nominee_id):
    nominee = _nominee_or_404(nominee_id)
    form = _nominee_form(NomineeForm(obj=nominee))
    if form.validate_on_submit():
        try:
            services.save_nominee(g.unit, _nominee_data(form), nominee)
        except services.AwardsError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã lưu.", "success")
            return redirect_to(url_for(".nominee", nominee_id=nominee.id))
    return render("awards/nominee_form.html", block="nominee_form", status=422 if _has_errors(form) else 200,
                  form=form, nominee=nominee)


@unit_bp.get("/doi-tuong/<int:nominee_id>")
@requires("nominee.view")
def nominee(nominee_id):
    nominee = _nominee_or_404(nominee_id)
    return render("awards/nominee.html", nominee=nominee, history=services.nominee_history(nominee),
                  freezes=services.freezes_of(nominee), freeze_form=FreezeForm(), badges=workflow.STATE_BADGES)


@unit_bp.post("/doi-tuong/<int:nominee_id>/tam-dung")
@requires("nominee.manage")
def freeze(nominee_id):
    nominee = _nominee_or_404(nominee_id)
    form = FreezeForm()
    if form.validate_on_submit():
        try:
            services.freeze_for_review(g.unit, current_user, nominee, form.reason.data)
        except services.AwardsError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã ghi tạm dừng xét khen thưởng.", "warning")
            return redirect_to(url_for(".nominee", nominee_id=nominee.id))
    return render("awards/nominee.html", block="freeze_block", status=422, nominee=nominee,
                  history=services.nominee_history(nominee), freezes=services.freezes_of(nominee), freeze_form=form,
                  badges=workflow.STATE_BADGES)


@unit_bp.post("/doi-tuong/<int:nominee_id>/tam-dung/<int:freeze_id>/cham-dut")
@requires("nominee.manage")
def lift(nominee_id, freeze_id):
    nominee = _nominee_or_404(nominee_id)
    form = FreezeForm()
    try:
        if not form.validate_on_submit():
            raise services.AwardsError("Vui lòng nêu lý do chấm dứt tạm dừng.", "reason")
        services.lift_freeze_by_id(g.unit, current_user, freeze_id, form.reason.data)
    except services.AwardsError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        flash("Đã chấm dứt tạm dừng.", "success")
    return redirect_to(url_for(".nominee", nominee_id=nominee.id))


# --- Register, share, catalogue ---------------------------------------------------------------------

@unit_bp.get("/so-khen-thuong")
@requires("register.view")
def register():
    if _wants_excel():
        return export_or_enqueue("awards.register")
    filters = exports.register_filters(request.args)
    codes = {}
    for version in db.session.scalars(select(RegulationVersion).order_by(RegulationVersion.valid_from)
                                      .options(selectinload(RegulationVersion.award_types))):
        for a in version.award_types:
            codes.setdefault(a.code, a.name)
    awards = services.register_page(g.unit.id, _int_arg("page"), q=filters["q"], year=filters["year"],
                                    award_code=filters["award"], body=filters["body"], kind=filters["kind"])
    return render("awards/register.html", block="register_table", awards=awards, filters=filters, codes=codes,
                  years=services.register_years(g.unit.id), kinds=NOMINEE_KINDS, occupations=OCCUPATION_GROUPS)


@unit_bp.get("/ty-le")
@requires("register.view")
def share():
    year = _year()
    from thiduaweb.units.services import child_units

    children = [] if g.unit.is_commune_level else child_units(g.unit)
    unit_ids = [g.unit.id] + [c.id for c in children]
    shares = services.labour_shares(unit_ids, year)
    if _wants_excel():
        return exports.share(g.unit, year, [g.unit] + list(children), shares)
    return render("awards/share.html", year=year, own=shares[g.unit.id], children=children, shares=shares)


@unit_bp.get("/danh-hieu")
@requires("award_catalogue.view")
def catalogue():
    versions = list(db.session.scalars(select(RegulationVersion).order_by(RegulationVersion.valid_from)))
    chosen = next((v for v in versions if str(v.id) == request.args.get("v")), None)
    if chosen is None:
        try:
            chosen = rules.version_on(today())
        except rules.RulesError:
            chosen = versions[-1] if versions else None
    authority, parameters = [], []
    if chosen:
        authority = list(db.session.scalars(select(AuthorityRule).where(AuthorityRule.version_id == chosen.id)))
        parameters = list(db.session.scalars(select(RuleParameter).where(
            (RuleParameter.version_id == chosen.id) | RuleParameter.version_id.is_(None))))
    names = {a.code: a.name for a in chosen.award_types} if chosen else {}
    mine = rules.authority_codes(g.unit, max(chosen.valid_from, min(today(), chosen.valid_to or today()))) \
        if chosen else set()
    return render("awards/catalogue.html", versions=versions, chosen=chosen, authority=authority,
                  parameters=parameters, names=names, mine=mine, levels=_levels(), bases=BASES,
                  rule_labels={k: v[0] for k, v in rules.RULES.items()})


def _levels():
    from thiduaweb.awards.models import UNIT_LEVELS

    return UNIT_LEVELS


# --- Citizens' pages --------------------------------------------------------------------------------

#: The years a citizen may ask for (others fall back to the most recent year with awards).
PUBLIC_YEARS = (1945, 2100)


@bp.get("/")
@public_page
def public_index():
    """Posted nominations, and one year of the awards a page at a time: the year asked for, or the
    most recent year with awards."""
    unit = g.public_unit
    years = services.public_award_years(unit.id)
    year = _int_arg("year")
    if year is None or not PUBLIC_YEARS[0] <= year <= PUBLIC_YEARS[1]:
        year = years[0] if years else None
    awards = services.public_awards_page(unit.id, year, _int_arg("page")) if year else None
    choices = sorted(set(years) | ({year} if year else set()), reverse=True)
    return render("awards/public.html", block="public_awards", public_unit=unit,
                  posted=services.posted_nominations(unit.id), awards=awards, year=year, years=choices)


def _objection_limit() -> str:
    from flask import current_app

    return current_app.config.get("OBJECTION_RATE_LIMIT", "10 per hour")


@bp.route("/y-kien/<int:nomination_id>", methods=["GET", "POST"])
@public_page
@limiter.limit(_objection_limit, methods=["POST"],
               error_message="Bạn đã gửi quá nhiều ý kiến trong thời gian ngắn. Vui lòng thử lại sau.")
def public_objection(nomination_id):
    unit = g.public_unit
    posted = {n.id: n for n in services.posted_nominations(unit.id)}
    nomination = or_404(posted.get(nomination_id))
    form = ObjectionForm()
    if form.validate_on_submit():
        try:
            services.add_objection(unit.id, nomination.id, content=form.content.data,
                                   sender_name=form.sender_name.data, sender_contact=form.sender_contact.data)
        except services.AwardsError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Cảm ơn bạn. Ý kiến đã được ghi nhận và sẽ được xem xét trước khi thẩm định.", "success")
            return redirect_to(url_for(".public_index"))
    return render("awards/public_objection.html", block="objection_form", status=422 if _has_errors(form) else 200,
                  public_unit=unit, nomination=nomination, form=form)


@unit_bp.cli.command("load-catalogue")
def load_catalogue_command():
    """Load or update the regulation versions, titles, authority table and parameters."""
    import click

    from thiduaweb.awards.catalogue import load_catalogue

    versions = load_catalogue()
    db.session.commit()
    click.echo(f"Đã nạp {len(versions)} văn bản quy định thi đua, khen thưởng.")


from thiduaweb.awards import season_views  # noqa: E402,F401 - issue 5's pages on this blueprint
