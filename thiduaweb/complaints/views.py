"""The complaints desk: the citizens' pages (`bp`, /p/<unit>/don-thu, no login) and the officers'
inbox and file (`unit_bp`, /u/<unit>/don-thu)."""
from __future__ import annotations

from flask import abort, current_app, flash, g, render_template, request, url_for
from flask_login import current_user

from thiduaweb.complaints import documents as petition_documents
from thiduaweb.complaints import services
from thiduaweb.complaints.forms import (
    KIND_HELP, AnswerForm, AssignForm, ClassifyForm, CloseForm, CountingForm, DayOffForm, EscalateForm, ExtendForm,
    LookupForm, NoteForm, OfficerPetitionForm, PublicPetitionForm, PublicWithdrawForm, SecondInstanceForm,
    WithdrawForm,
)
from thiduaweb.complaints.models import KINDS, STATUSES, Petition
from thiduaweb.core import clock, revisions
from thiduaweb.core.audit import record
from thiduaweb.core.jobs import ExportSpec, count_of, export_or_enqueue, export_source
from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import or_404, redirect_to, render, wants_fragment
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import public_blueprint, public_page, unit_blueprint
from thiduaweb.extensions import db, limiter
from thiduaweb.files.services import register_download_check
from thiduaweb.units.services import is_locked, successors_of

#: Citizens' pages (outside any login) and the officers' pages of a unit.
bp = public_blueprint("complaints_public", __name__, "/don-thu")
unit_bp = unit_blueprint("complaints", __name__, "/don-thu")

grant({"petition.view"}, roles=["admin", "supervisor", "officer", "chairman"], inherited_by=["admin", "supervisor"])
grant({"petition.handle", "petition.settings"}, roles=["supervisor", "officer", "chairman"])


def _petition_file_allowed(attachment, user, access) -> bool:
    """A denouncer's attachments can reveal who wrote: only those who may see the identity get them."""
    petition = db.session.get(Petition, attachment.owner_id)
    return petition is not None and services.can_see_identity(petition, user, access.roles)


register_download_check("Petition", _petition_file_allowed)
nav_item("complaints.index", "Đơn thư", "petition.view", order=500)


def _filing_limit() -> str:
    return current_app.config.get("PETITION_RATE_LIMIT", "5 per hour")


def _lookup_limit() -> str:
    return current_app.config.get("PETITION_LOOKUP_RATE_LIMIT", "30 per minute")


RATE_MESSAGE = "Bạn đã gửi quá nhiều đơn trong thời gian ngắn. Vui lòng thử lại sau ít phút."


# --- Citizens ------------------------------------------------------------------------------

def _references(unit) -> list[tuple[str, str]]:
    """Publicly posted nominations and decisions a đơn may be about (when the awards module offers them)."""
    try:
        from thiduaweb.awards import services as awards_services
    except ImportError:
        return []
    listing = getattr(awards_services, "public_references", None)
    if listing is None:
        return []
    return [(str(key), label) for key, label in listing(unit)]


def _reference_ids(value: str) -> dict:
    kind, _, number = (value or "").partition(":")
    if not number.isdigit():
        return {}
    if kind == "nomination":
        return {"nomination_id": int(number)}
    if kind == "decision":
        return {"decision_id": int(number)}
    return {}


def _reference_ok(form) -> bool:
    if form.reference.data and form.reference.data not in {key for key, _ in form.reference.choices}:
        form.reference.errors = ["Lựa chọn không hợp lệ: hãy chọn trong danh sách."]
        return False
    return True


def _filing_data(form) -> dict:
    data = {name: getattr(form, name).data for name in (
        "kind", "subject", "content", "anonymous", "filer_name", "filer_address", "filer_phone", "filer_email")}
    data.update(_reference_ids(form.reference.data))
    if hasattr(form, "several_places"):
        data["several_places"] = form.several_places.data
    return data


def _files():
    return [f for f in request.files.getlist("files") if f and f.filename]


@bp.route("/", methods=["GET", "POST"])
@public_page
@limiter.limit(_filing_limit, methods=["POST"], error_message=RATE_MESSAGE)
def file():
    unit = g.public_unit
    if is_locked(unit):  # LOCK_MERGED_UNITS: its petitions go to the unit that took its territory over
        return render("complaints/public_closed.html", status=422 if request.method == "POST" else 200,
                      public_unit=unit, successors=successors_of(unit), submitted=request.method == "POST")
    form = PublicPetitionForm()
    form.reference.choices = [("", "Không")] + _references(unit)
    if request.method == "GET" and request.args.get("loai") in KINDS:
        form.kind.data = request.args["loai"]
    if form.validate_on_submit() and _reference_ok(form):
        if form.website.data:
            form.form_errors.append("Biểu mẫu có dữ liệu bất thường. Vui lòng tải lại trang rồi gửi lại.")
        else:
            try:
                petition = services.file_petition(unit, _filing_data(form), files=_files())
            except services.PetitionError as error:
                form.add_error(error.field, str(error))
            else:
                return redirect_to(url_for(".status", code=petition.tracking_code, moi=1))
    status = 422 if form.errors or form.form_errors else 200
    return render("complaints/public_file.html", block="petition_form", status=status, form=form,
                  public_unit=unit, kind_help=KIND_HELP)


@bp.route("/tra-cuu", methods=["GET", "POST"])
@public_page
@limiter.limit(_lookup_limit, methods=["POST"], error_message=RATE_MESSAGE)
def lookup():
    form = LookupForm()
    if form.validate_on_submit():
        code = services.normalize_code(form.code.data)
        petition = services.find_by_code(g.public_unit.id, code) if code else None
        if petition is not None:
            return redirect_to(url_for(".status", code=petition.tracking_code))
        form.code.errors = ["Không tìm thấy đơn với mã này tại đơn vị. Kiểm tra lại mã (12 ký tự) và đơn vị đã gửi."]
    status = 422 if form.errors else 200
    return render("complaints/public_lookup.html", block="lookup_form", status=status, form=form,
                  public_unit=g.public_unit)


def _public_petition(code: str):
    return or_404(services.find_by_code(g.public_unit.id, code))


@bp.get("/ma/<code>")
@public_page
@limiter.limit(_lookup_limit)
def status(code):
    petition = _public_petition(code)
    return _status_page(petition)


def _status_page(petition, *, withdraw_form=None, escalate_form=None, status=200):
    return render("complaints/public_status.html", status=status, petition=petition, public_unit=g.public_unit,
                  events=services.history(petition, public_only=True), just_filed=request.args.get("moi") == "1",
                  withdraw_form=withdraw_form or PublicWithdrawForm(), escalate_form=escalate_form or EscalateForm(),
                  can_escalate=services.can_escalate(petition), appeal_deadline=services.appeal_deadline(petition),
                  today=clock.today())


@bp.post("/ma/<code>/rut-don")
@public_page
@limiter.limit(_lookup_limit)
def public_withdraw(code):
    petition = _public_petition(code)
    form = PublicWithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw(petition, None, form.reason.data)
        except services.PetitionError as error:
            form.add_error("reason", str(error))
        else:
            flash("Đơn đã được rút; việc giải quyết dừng lại.", "success")
            return redirect_to(url_for(".status", code=petition.tracking_code))
    return _status_page(petition, withdraw_form=form, status=422)


@bp.post("/ma/<code>/lan-hai")
@public_page
@limiter.limit(_filing_limit, error_message=RATE_MESSAGE)
def public_escalate(code):
    petition = _public_petition(code)
    form = EscalateForm()
    if form.validate_on_submit():
        try:
            copy = services.escalate(petition, form.reason.data)
        except services.PetitionError as error:
            form.add_error("reason", str(error))
        else:
            flash(f"Đã gửi khiếu nại lần hai đến {copy.unit.name}.", "success")
            return redirect_to(url_for(".status", code=petition.tracking_code))
    return _status_page(petition, escalate_form=form, status=422)


# --- Officers: inbox ------------------------------------------------------------------------

def _scope_ids() -> list[int]:
    return sorted(g.access.readable_unit_ids)


@unit_bp.get("/")
@requires("petition.view")
def index():
    filters = {k: request.args.get(k, "").strip() for k in ("tab", "kind", "q", "unit")}
    tab = filters["tab"] if filters["tab"] in services.TABS else ("all" if filters["q"] else "open")
    unit_filter = int(filters["unit"]) if filters["unit"].isdigit() and len(filters["unit"]) < 10 else None
    today = clock.today()
    # The tabs' counts and the table are kept per revision of the petitions and their handlers' names
    # (core/revisions.py), the table also per request arguments and per kind of request (an htmx redraw
    # adds the tabs out of band).
    key = revisions.part_key(g.unit, ("complaints", revisions.ACCOUNTS_AREA))
    counts = revisions.kept(("inbox-counts", *key), lambda: services.counts(_scope_ids(), today))
    fragment = wants_fragment()
    context = {"filters": filters, "tab": tab, "tabs": services.TABS, "counts": counts, "today": today,
               "due_soon_days": services.DUE_SOON_DAYS}
    table_html = revisions.rendered(
        ("inbox-table", *key, tuple(sorted(request.args.items(multi=True))), fragment),
        lambda: render_template("complaints/_inbox_table.html", fragment=fragment, **context, petitions=services.inbox(
            _scope_ids(), tab=tab, kind=filters["kind"], q=filters["q"], today=today, unit_id=unit_filter)))
    return render("complaints/inbox.html", block="petition_table", table_html=table_html, kinds=KINDS, **context)


@unit_bp.get("/export.xlsx")
@requires("petition.view")
def export():
    """The inbox as it is filtered, as Excel: at once, or in the background when it is large."""
    back = {k: v for k, v in request.args.items() if k in ("tab", "kind", "q", "unit") and v}
    return export_or_enqueue("complaints.inbox", back_url=url_for(".index", **back))


INBOX_COLUMNS = ["Mã", "Đơn vị", "Loại đơn", "Lần", "Tiêu đề", "Người gửi", "Ngày nhận", "Tình trạng", "Người xử lý",
                 "Hạn", "Còn lại (ngày)"]


@export_source("complaints.inbox", "petition.view")
def inbox_export(unit, args) -> ExportSpec:
    """Every petition of the inbox's tab and filters (a denouncer's name never leaves the desk)."""
    filters = {k: str(args.get(k, "")).strip() for k in ("tab", "kind", "q", "unit")}
    tab = filters["tab"] if filters["tab"] in services.TABS else ("all" if filters["q"] else "open")
    unit_filter = int(filters["unit"]) if filters["unit"].isdigit() and len(filters["unit"]) < 10 else None
    today = clock.today()
    stmt = services.inbox_query(_scope_ids(), tab=tab, kind=filters["kind"], q=filters["q"][:200], today=today,
                                unit_id=unit_filter)

    def rows():
        for p in db.session.scalars(stmt.execution_options(yield_per=500)):
            filer = ("Bảo mật" if p.identity_protected else ("Không ghi tên" if p.anonymous else p.filer_name))
            left = (p.due_on - today).days if p.is_open and p.due_on else None
            yield [p.display_code, p.unit.name, p.kind_label, p.instance_label, p.subject, filer, p.received_on,
                   p.status_label, p.handler.full_name if p.handler else "", p.due_on if p.is_open else None, left]

    return ExportSpec(filename=f"don-thu-{unit.slug}", columns=INBOX_COLUMNS, rows=rows, count=lambda: count_of(stmt),
                      title="Đơn thư",
                      subtitle=f"{unit.name} — {services.TABS.get(tab, 'Đang xử lý')}, ngày {today.strftime('%d/%m/%Y')}")


@unit_bp.route("/new", methods=["GET", "POST"])
@requires("petition.handle")
def new():
    form = OfficerPetitionForm()
    form.reference.choices = [("", "Không")] + _references(g.unit)
    if request.method == "GET":
        form.received_on.data = clock.today()
    if form.validate_on_submit() and _reference_ok(form):
        try:
            petition = services.file_petition(g.unit, _filing_data(form), files=_files(), actor=current_user,
                                              channel=form.channel.data, received_on=form.received_on.data)
        except services.PetitionError as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã vào sổ đơn, mã tra cứu {petition.display_code}.", "success")
            return redirect_to(url_for(".detail", petition_id=petition.id))
    return render("complaints/new.html", block="petition_form", status=422 if form.errors else 200, form=form,
                  kind_help=KIND_HELP)


@unit_bp.route("/lan-hai", methods=["GET", "POST"])
@requires("petition.handle")
def second_instance():
    """The supervising unit enters a khiếu nại lần hai the citizen brought on paper."""
    if g.unit.is_commune_level:
        abort(404)  # a commune has no communes whose decisions it reviews
    form = SecondInstanceForm()
    if form.validate_on_submit():
        original = services.find_first_instance(g.unit, form.code.data)
        if original is None:
            form.add_error("code", "Không tìm thấy đơn giải quyết lần đầu nào với mã này ở các xã, phường trực thuộc.")
        else:
            try:
                copy = services.escalate(original, form.reason.data, current_user._get_current_object())
            except services.PetitionError as error:
                form.add_error(error.field, str(error))
            else:
                flash(f"Đã nhận khiếu nại lần hai, mã tra cứu {copy.display_code}.", "success")
                return redirect_to(url_for(".detail", petition_id=copy.id))
    return render("complaints/second_instance.html", block="second_instance_form",
                  status=422 if form.errors else 200, form=form)


def _petition_or_404(petition_id: int):
    return or_404(services.get_petition(petition_id))


def _writable(petition) -> bool:
    return petition.unit_id in g.access.writable_unit_ids and "petition.handle" in g.access.permissions


def _detail(petition, status: int = 200, **forms):
    classify_form = forms.get("classify") or ClassifyForm()
    classify_form.outcome.choices = list(services.outcomes_for(petition).items())
    classify_form.target_unit.choices = [("", "— Chọn đơn vị —")] + [
        (str(u.id), u.name) for u in services.forward_targets(petition.unit)]
    assign_form = forms.get("assign") or AssignForm()
    assign_form.handler_id.choices = [("", "— Chọn cán bộ —")] + [
        (str(u.id), u.full_name) for u in services.handler_choices(petition.unit)]
    if petition.handler_id and not assign_form.handler_id.data:
        assign_form.handler_id.data = str(petition.handler_id)
    from thiduaweb.files.services import attachments_for

    today = clock.today()
    return render(
        "complaints/detail.html", status=status, petition=petition, today=today,
        events=services.history(petition), attachments=attachments_for("Petition", petition.id),
        writable=_writable(petition), identity_visible=services.can_see_identity(
            petition, current_user, g.access.roles),
        classify_form=classify_form, assign_form=assign_form, note_form=forms.get("note") or NoteForm(),
        extend_form=forms.get("extend") or ExtendForm(), answer_form=forms.get("answer") or AnswerForm(),
        close_form=forms.get("close") or CloseForm(), withdraw_form=forms.get("withdraw") or WithdrawForm(),
        extension_problem=services.extension_allowed(petition), origin=services.origin_of(petition),
        docs=petition_documents.available(petition), doc_labels=petition_documents.DOCS,
        appeal_deadline=services.appeal_deadline(petition), statuses=STATUSES,
    )


@unit_bp.get("/<int:petition_id>")
@requires("petition.view")
def detail(petition_id):
    return _detail(_petition_or_404(petition_id))


def _act(petition_id: int, form_class, key: str, action):
    """Parse the step's form → one service call → back to the file, or the file with errors (422)."""
    petition = _petition_or_404(petition_id)
    if not _writable(petition):
        abort(403)
    form = form_class()
    if key == "classify":
        form.outcome.choices = list(services.outcomes_for(petition).items())
        form.target_unit.choices = [("", "")] + [(str(u.id), u.name) for u in services.forward_targets(petition.unit)]
    if key == "assign":
        form.handler_id.choices = [("", "")] + [(str(u.id), u.full_name) for u in services.handler_choices(petition.unit)]
    if form.validate_on_submit():
        try:
            message = action(petition, form)
        except services.PetitionError as error:
            form.add_error(error.field, str(error))
        else:
            flash(message, "success")
            return redirect_to(url_for(".detail", petition_id=petition.id))
    return _detail(petition, status=422, **{key: form})


@unit_bp.post("/<int:petition_id>/classify")
@requires("petition.handle")
def classify(petition_id):
    def run(petition, form):
        target = None
        if form.target_unit.data and form.target_unit.data.isdigit():
            from thiduaweb.units.models import Unit

            target = db.session.get(Unit, int(form.target_unit.data))
        services.classify(petition, form.outcome.data, current_user, reason=form.reason.data,
                          guidance=form.guidance.data, target_unit=target, is_complex=form.is_complex.data,
                          several_places=form.several_places.data, number=form.number.data, on=form.on.data)
        return f"Đã phân loại: {petition.status_label.lower()}."

    return _act(petition_id, ClassifyForm, "classify", run)


@unit_bp.post("/<int:petition_id>/assign")
@requires("petition.handle")
def assign(petition_id):
    def run(petition, form):
        handler_id = int(form.handler_id.data) if (form.handler_id.data or "").isdigit() else None
        services.assign(petition, handler_id, current_user)
        return f"Đã giao cho {petition.handler.full_name}."

    return _act(petition_id, AssignForm, "assign", run)


@unit_bp.post("/<int:petition_id>/note")
@requires("petition.handle")
def note(petition_id):
    def run(petition, form):
        services.add_note(petition, current_user, form.note.data, files=_files())
        return "Đã thêm ghi chú nội bộ."

    return _act(petition_id, NoteForm, "note", run)


@unit_bp.post("/<int:petition_id>/extend")
@requires("petition.handle")
def extend(petition_id):
    def run(petition, form):
        services.extend(petition, current_user, form.reason.data)
        return f"Đã gia hạn đến {petition.due_on.strftime('%d/%m/%Y')}."

    return _act(petition_id, ExtendForm, "extend", run)


@unit_bp.post("/<int:petition_id>/answer")
@requires("petition.handle")
def answer(petition_id):
    def run(petition, form):
        services.answer(petition, current_user, form.answer_text.data, number=form.number.data, on=form.on.data)
        return f"Đã ban hành văn bản số {petition.answer_symbol}."

    return _act(petition_id, AnswerForm, "answer", run)


@unit_bp.post("/<int:petition_id>/close")
@requires("petition.handle")
def close(petition_id):
    def run(petition, form):
        services.close(petition, current_user, form.note.data)
        return "Đã kết thúc đơn."

    return _act(petition_id, CloseForm, "close", run)


@unit_bp.post("/<int:petition_id>/withdraw")
@requires("petition.handle")
def withdraw(petition_id):
    def run(petition, form):
        services.withdraw(petition, current_user, form.reason.data, on=form.on.data)
        return "Đã ghi nhận việc rút đơn; thời hạn dừng lại."

    return _act(petition_id, WithdrawForm, "withdraw", run)


@unit_bp.post("/<int:petition_id>/identity")
@requires("petition.view")
def identity(petition_id):
    petition = _petition_or_404(petition_id)
    try:
        person = services.reveal_identity(petition, current_user, g.access.roles)
    except PermissionError:
        abort(403)
    return render("complaints/_identity.html", block="identity", petition=petition, person=person)


@unit_bp.get("/<int:petition_id>/docx/<which>")
@requires("petition.view")
def docx(petition_id, which):
    from thiduaweb.core.excel import docx_response

    petition = _petition_or_404(petition_id)
    if which not in petition_documents.available(petition):
        abort(404)
    if not services.can_see_identity(petition, current_user, g.access.roles):
        abort(403)
    if petition.identity_protected:
        record(db.session, unit_id=petition.unit_id, action="petition.identity_view", object_type="Petition",
               object_id=petition.id, label=petition.audit_label, changes={"document": [None, which]})
        db.session.commit()
    return docx_response(petition_documents.build(petition, which))


# --- Settings: counting and days off -------------------------------------------------------

@unit_bp.route("/settings", methods=["GET", "POST"])
@requires("petition.view")
def settings():
    year = request.args.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else clock.today().year
    day_form, counting_form = DayOffForm(), CountingForm()
    status = 200
    if request.method == "POST":
        if "petition.handle" not in g.access.permissions or g.unit.id not in g.access.writable_unit_ids:
            abort(403)
        if request.form.get("mode") == "counting":
            if counting_form.validate_on_submit():
                services.set_counting(g.unit, counting_form.count_working_days.data)
                flash("Đã lưu cách tính thời hạn.", "success")
                return redirect_to(url_for(".settings", year=year))
        elif day_form.validate_on_submit():
            try:
                day_off = services.add_day_off(g.unit, day_form.day.data, day_form.reason.data)
            except services.PetitionError as error:
                day_form.add_error(error.field, str(error))
            else:
                flash(f"Đã thêm ngày nghỉ {day_off.day.strftime('%d/%m/%Y')}.", "success")
                return redirect_to(url_for(".settings", year=day_off.day.year))
        status = 422
    else:
        setting = services.setting_for(g.unit.id)
        counting_form.count_working_days.data = bool(setting and setting.count_working_days)
    from thiduaweb.complaints.deadlines import RULES

    return render("complaints/settings.html", block="day_off_form", status=status, year=year,
                  days_off=services.days_off_of(g.unit.id, year), day_form=day_form, counting_form=counting_form,
                  rules=RULES, kinds=KINDS)


@unit_bp.post("/settings/days-off/<int:day_off_id>/delete")
@requires("petition.settings")
def delete_day_off(day_off_id):
    if not services.delete_day_off(g.unit, day_off_id):
        abort(404)
    flash("Đã xóa ngày nghỉ.", "success")
    return redirect_to(url_for(".settings", year=request.args.get("year", "")))


# --- The unit home panel ------------------------------------------------------------------

def home_panel_read(unit):
    access = getattr(g, "access", None)
    if access is None or "petition.view" not in access.permissions:
        return None
    return services.counts_read(sorted(access.readable_unit_ids))


def home_panel(unit, rows):
    return {"template": "complaints/_home_panel.html", "petition_counts": services.counts_of(rows),
            "due_soon_days": services.DUE_SOON_DAYS}


def _register_panel():
    from thiduaweb.units.views import add_home_panel

    add_home_panel("complaints", home_panel_read, home_panel, areas=("complaints",))


_register_panel()
