"""Pages of issue 5 on the awards blueprint: the council and its sessions, award season (bulk steps,
Excel import, duplicates), decisions with their paperwork, amendments and revocations, the reward fund,
the base salary, and the certificate layout setting."""
from __future__ import annotations

from flask import abort, flash, g, request, url_for
from flask_login import current_user

from thiduaweb.awards import council as council_service
from thiduaweb.awards import exports, paperwork, season, services, workflow
from thiduaweb.awards.forms import (BULK_LABELS, AmendForm, BaseSalaryForm, BulkForm, CloseSessionForm, CouncilForm,
                                    CouncilVoteForm, EmptyForm, FundEntryForm, MemberForm, RevokeForm, SessionForm,
                                    certificate_layout_form_class)
from thiduaweb.awards.models import (VOTE_CHOICES, AgendaItem, Council, CouncilMember, CouncilSession, Decision,
                                     DecisionChange)
from thiduaweb.awards.views import _has_errors, _int_arg, _nomination_or_404, _wants_excel, unit_bp
from thiduaweb.core.clock import today
from thiduaweb.core.excel import docx_response, download_response, xlsx_response
from thiduaweb.core.permissions import grant, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.extensions import db

_EVERYONE = ["admin", "supervisor", "officer", "council", "chairman", "viewer"]
grant({"council.view", "decision.view", "fund.view"}, roles=_EVERYONE, inherited_by=["admin", "supervisor"])
grant({"council.manage", "council.vote", "season.manage", "fund.manage", "certificate.layout"},
      roles=["officer", "supervisor"])
grant({"council.vote"}, roles=["council"])
grant({"decision.amend"}, roles=["chairman"])
grant({"base_salary.manage"}, roles=["admin"])

nav_item("awards.council_home", "Hội đồng Thi đua – Khen thưởng", "council.view", order=302)
nav_item("awards.season_home", "Đợt khen thưởng", "nomination.view", order=304)
nav_item("awards.decisions", "Quyết định khen thưởng", "decision.view", order=322)
nav_item("awards.fund", "Quỹ thi đua, khen thưởng", "fund.view", order=324)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _or_404(model, object_id):
    return or_404(db.session.get(model, object_id))


_REFUSED_BESIDE_FIELD = ""


def _attempt(form, call) -> str | None:
    """Run a season service call. A refusal goes beside its field (returns ""), or is returned to
    be shown above the form; None when the call succeeded."""
    try:
        call()
    except season.SeasonError as exc:
        db.session.rollback()
        if exc.field in form:
            form.add_error(exc.field, str(exc))
            return _REFUSED_BESIDE_FIELD
        return str(exc)
    return None


def _ids(name: str) -> list[int]:
    return [int(v) for v in request.form.getlist(name) if v.isdigit()]


# --- The council --------------------------------------------------------------------------------

@unit_bp.get("/hoi-dong")
@requires("council.view")
def council_home():
    return render("awards/council.html", councils=council_service.councils(g.unit.id),
                  sessions=council_service.sessions(g.unit.id), form=CouncilForm(formdata=None),
                  session_form=SessionForm(formdata=None, data={"held_on": today(), "place": "Hội trường UBND"}))


@unit_bp.post("/hoi-dong/moi")
@requires("council.manage")
def new_council():
    form = CouncilForm()
    if form.validate_on_submit():
        try:
            council = council_service.save_council(g.unit, form.data)
        except council_service.CouncilError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã lập Hội đồng.", "success")
            return redirect_to(url_for(".council_detail", council_id=council.id))
    return render("awards/council.html", block="council_form", status=422, councils=council_service.councils(g.unit.id),
                  sessions=council_service.sessions(g.unit.id), form=form,
                  session_form=SessionForm(formdata=None))


def _member_form(form: MemberForm) -> MemberForm:
    nominees = services.search_nominees(g.unit.id)
    form.nominee_id.choices = [(None, "—")] + [(n.id, n.display_name) for n in nominees if n.kind == "person"]
    form.household_nominee_id.choices = [(None, "—")] + [(n.id, n.display_name) for n in nominees
                                                         if n.kind == "household"]
    return form


@unit_bp.route("/hoi-dong/<int:council_id>", methods=["GET", "POST"])
@requires("council.view")
def council_detail(council_id):
    council = _or_404(Council, council_id)
    form = _member_form(MemberForm() if request.method == "POST" else MemberForm(formdata=None))
    if request.method == "POST":
        if "council.manage" not in g.access.permissions:
            abort(403)
        if form.validate_on_submit():
            try:
                member = council_service.save_member(g.unit, council, form.data)
            except council_service.CouncilError as error:
                db.session.rollback()
                council = _or_404(Council, council_id)
                form.add_error(error.field, str(error))
            else:
                flash(f"Đã thêm {member.full_name}.", "success")
                return redirect_to(url_for(".council_detail", council_id=council.id))
    status = 422 if request.method == "POST" else 200
    return render("awards/council_detail.html", block="member_form" if status == 422 else None, status=status,
                  council=council, form=form)


@unit_bp.route("/hoi-dong/thanh-vien/<int:member_id>/sua", methods=["GET", "POST"])
@requires("council.manage")
def edit_member(member_id):
    member = _or_404(CouncilMember, member_id)
    council = _or_404(Council, member.council_id)
    form = _member_form(MemberForm(obj=member))
    if form.validate_on_submit():
        try:
            council_service.save_member(g.unit, council, form.data, member)
        except council_service.CouncilError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã lưu.", "success")
            return redirect_to(url_for(".council_detail", council_id=council.id))
    return render("awards/member_form.html", block="member_form", status=422 if _has_errors(form) else 200,
                  form=form, member=member, council=council)


@unit_bp.post("/hoi-dong/phien/moi")
@requires("council.manage")
def new_session():
    form = SessionForm()
    if form.validate_on_submit():
        try:
            session = council_service.create_session(g.unit, current_user, form.data)
        except council_service.CouncilError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã tạo phiên họp.", "success")
            return redirect_to(url_for(".council_session", session_id=session.id))
    return render("awards/council.html", block="session_form", status=422, councils=council_service.councils(g.unit.id),
                  sessions=council_service.sessions(g.unit.id), form=CouncilForm(formdata=None), session_form=form)


def _session_context(session, **extra):
    unit = g.unit
    items = []
    for item in session.items:
        ctx = council_service.item_context(session, item)
        items.append((item, ctx))
    members = council_service.members_of(session)
    threshold = council_service.threshold_for(session.items[0].nomination.award_type, unit) if session.items else None
    return {"session": session, "members": members, "items": items,
            "candidates": council_service.agenda_candidates(unit.id, session) if session.state == "open" else [],
            "attendance": {a.member_id: a for a in session.attendance}, "threshold": threshold,
            "close_form": extra.pop("close_form", None) or CloseSessionForm(formdata=None),
            "error": extra.pop("error", None), "badges": workflow.STATE_BADGES, **extra}


@unit_bp.get("/hoi-dong/phien/<int:session_id>")
@requires("council.view")
def council_session(session_id):
    session = _or_404(CouncilSession, session_id)
    return render("awards/session.html", **_session_context(session))


def _session_refusal(session_id, error, block="session_body", status=422, **extra):
    db.session.rollback()
    session = _or_404(CouncilSession, session_id)
    return render("awards/session.html", block=block, status=status, **_session_context(session, error=error, **extra))


@unit_bp.post("/hoi-dong/phien/<int:session_id>/co-mat")
@requires("council.manage")
def session_attendance(session_id):
    session = _or_404(CouncilSession, session_id)
    if not EmptyForm().validate_on_submit():
        return _session_refusal(session_id, "Phiên làm việc đã hết hạn, vui lòng tải lại trang.")
    present = set(_ids("present"))
    reasons = {m.id: request.form.get(f"absence_{m.id}", "") for m in council_service.members_of(session)}
    try:
        council_service.set_attendance(g.unit, session, present, reasons)
    except council_service.CouncilError as error:
        return _session_refusal(session_id, str(error))
    flash("Đã ghi danh sách có mặt.", "success")
    return redirect_to(url_for(".council_session", session_id=session_id))


@unit_bp.post("/hoi-dong/phien/<int:session_id>/chuong-trinh")
@requires("council.manage")
def session_agenda(session_id):
    session = _or_404(CouncilSession, session_id)
    if not EmptyForm().validate_on_submit():
        return _session_refusal(session_id, "Phiên làm việc đã hết hạn, vui lòng tải lại trang.")
    try:
        council_service.add_to_agenda(g.unit, session, _ids("nomination_ids"))
    except council_service.CouncilError as error:
        return _session_refusal(session_id, str(error))
    flash("Đã đưa đề nghị vào chương trình họp.", "success")
    return redirect_to(url_for(".council_session", session_id=session_id))


@unit_bp.post("/hoi-dong/phien/<int:session_id>/muc/<int:item_id>/xoa")
@requires("council.manage")
def session_remove_item(session_id, item_id):
    session = _or_404(CouncilSession, session_id)
    item = _or_404(AgendaItem, item_id)
    if item.session_id != session.id or not EmptyForm().validate_on_submit():
        abort(404)
    try:
        council_service.remove_from_agenda(session, item)
    except council_service.CouncilError as error:
        return _session_refusal(session_id, str(error))
    flash("Đã bỏ đề nghị khỏi chương trình.", "success")
    return redirect_to(url_for(".council_session", session_id=session_id))


@unit_bp.route("/hoi-dong/phien/<int:session_id>/muc/<int:item_id>/bieu-quyet", methods=["GET", "POST"])
@requires("council.vote")
def session_vote(session_id, item_id):
    session = _or_404(CouncilSession, session_id)
    item = _or_404(AgendaItem, item_id)
    if item.session_id != session.id:
        abort(404)
    ctx = council_service.item_context(session, item)
    form = CouncilVoteForm() if request.method == "POST" else CouncilVoteForm(
        formdata=None, data={"method": item.method or ctx["threshold"].method, "votes_for": item.votes_for,
                             "votes_against": item.votes_against, "votes_blank": item.votes_blank, "note": item.note})
    chosen = {m.id: request.form.get(f"vote_{m.id}", "") for m in ctx["members"]} if request.method == "POST" else {
        v.member_id: v.vote for v in item.votes}
    manual = ({m.id: request.form.get(f"recuse_{m.id}", "") for m in ctx["members"]} if request.method == "POST"
              else {r["member_id"]: r["reason"] for r in (item.recused or []) if r.get("manual")})
    vote_error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            council_service.record_vote(g.unit, current_user, session, item, method=form.method.data, votes=chosen,
                                        votes_for=form.votes_for.data, votes_against=form.votes_against.data,
                                        votes_blank=form.votes_blank.data, manual_recusals=manual,
                                        note=form.note.data)
        except council_service.CouncilError as error:
            db.session.rollback()
            if error.field in ("votes", "recused"):
                vote_error = str(error)
            else:
                form.add_error(error.field, str(error))
        else:
            flash(f"Đã ghi kết quả biểu quyết: {item.nomination.nominee.display_name}.", "success")
            return redirect_to(url_for(".council_session", session_id=session_id))
        session = _or_404(CouncilSession, session_id)
        item = _or_404(AgendaItem, item_id)
        ctx = council_service.item_context(session, item)
    status = 422 if request.method == "POST" else 200
    return render("awards/vote.html", block="vote_form", status=status, session=session, item=item, form=form,
                  chosen=chosen, manual=manual, vote_error=vote_error, choices=VOTE_CHOICES, **ctx)


@unit_bp.post("/hoi-dong/phien/<int:session_id>/ket-thuc")
@requires("council.manage")
def session_close(session_id):
    session = _or_404(CouncilSession, session_id)
    form = CloseSessionForm()
    if form.validate_on_submit():
        try:
            council_service.close_session(g.unit, current_user, session, permissions=g.access.permissions,
                                          number=form.number.data)
        except council_service.CouncilError as error:
            db.session.rollback()
            if error.field == "number":
                form.add_error("number", str(error))
                return _session_refusal(session_id, None, close_form=form)
            return _session_refusal(session_id, str(error), close_form=form)
        flash("Đã kết thúc phiên họp; kết quả đã chuyển vào bước thẩm định của từng đề nghị.", "success")
        return redirect_to(url_for(".council_session", session_id=session_id))
    return _session_refusal(session_id, None, close_form=form)


@unit_bp.get("/hoi-dong/phien/<int:session_id>/bien-ban.docx")
@requires("council.view")
def session_minutes(session_id):
    session = _or_404(CouncilSession, session_id)
    if not session.minutes_symbol:
        flash("Biên bản có số sau khi kết thúc phiên họp.", "warning")
        return redirect_to(url_for(".council_session", session_id=session_id))
    return docx_response(paperwork.minutes_document(session))


# --- Award season -------------------------------------------------------------------------------

def _season_context(**extra):
    year = _int_arg("year") or today().year
    state = request.args.get("state", "")
    nominations = services.list_nominations(g.unit.id, year=year, state=state)
    return {"year": year, "state": state, "nominations": nominations, "states": workflow.STATES,
            "badges": workflow.STATE_BADGES, "flagged": season.flagged(g.unit.id, year),
            "form": extra.pop("form", None) or BulkForm(formdata=None), "report": extra.pop("report", None),
            "import_error": extra.pop("import_error", None), "selected": extra.pop("selected", set()),
            "columns": season.COLUMNS, **extra}


@unit_bp.get("/dot-khen")
@requires("nomination.view")
def season_home():
    return render("awards/season.html", **_season_context())


@unit_bp.post("/dot-khen/buoc")
@requires("nomination.view")
def season_bulk():
    form = BulkForm()
    selected = set(_ids("nomination_ids"))
    if form.validate_on_submit():
        name = form.step.data
        transition = workflow.TRANSITIONS.get(name)
        if transition is None or name not in season.BULK_STEPS:
            form.add_error("step", "Bước này không làm hàng loạt được.")
        elif transition.permission not in g.access.permissions:
            form.add_error("step", "Tài khoản của bạn không có quyền thực hiện bước này.")
        else:
            on = form.on.data or today()
            data = {"decide": {"decided_on": on, "number": form.number.data, "title": form.title.data},
                    "propose": {"proposed_on": on, "number": form.number.data},
                    "post": {"posted_from": on}}.get(name, {})
            try:
                season.bulk_apply(g.unit, current_user, list(selected), name, permissions=g.access.permissions,
                                  data=data, reason=form.reason.data)
            except (season.SeasonError, workflow.WorkflowError) as error:
                db.session.rollback()
                field = {"decided_on": "on", "posted_from": "on", "nomination_ids": None}.get(error.field, error.field)
                form.add_error(field, str(error))
            else:
                flash(f"{BULK_LABELS[name]}: xong {len(selected)} đề nghị.", "success")
                if name == "decide":
                    decision = db.session.get(Decision, services.get_nomination(next(iter(selected))).decision_id)
                    return redirect_to(url_for(".decision", decision_id=decision.id))
                return redirect_to(url_for(".season_home", year=request.args.get("year", "")))
    return render("awards/season.html", block="bulk_form", status=422, **_season_context(form=form, selected=selected))


@unit_bp.post("/dot-khen/nhap-excel")
@requires("nomination.edit")
def season_import():
    file = request.files.get("file")
    report, error = None, None
    if not EmptyForm().validate_on_submit():
        error = "Phiên làm việc đã hết hạn, vui lòng tải lại trang."
    elif file is None or not file.filename:
        error = "Chọn tệp Excel (.xlsx) để nhập."
    else:
        data = file.read(10 * 1024 * 1024 + 1)
        if len(data) > 10 * 1024 * 1024:
            error = "Tệp lớn quá 10 MB."
        else:
            report = season.import_nominations(g.unit, current_user, data)
            if report.ok and report.imported:
                flash(f"Đã nhập {report.imported} đề nghị.", "success")
                return render("awards/season.html", **_season_context(report=report))
    return render("awards/season.html", block="import_block", status=422,
                  **_season_context(report=report, import_error=error or (report.problem if report else None)))


@unit_bp.get("/dot-khen/mau-nhap.xlsx")
@requires("nomination.view")
def season_template():
    return xlsx_response("mau-nhap-de-nghi-khen-thuong", list(season.COLUMNS.values()), season.template_rows(),
                         title="Danh sách đề nghị khen thưởng")


# --- Decisions ------------------------------------------------------------------------------------

@unit_bp.get("/quyet-dinh")
@requires("decision.view")
def decisions():
    year = _int_arg("year")
    if _wants_excel():
        return exports.decisions(g.unit, year)
    found = season.decisions(g.unit.id, year)
    totals = season.decision_totals(found)
    return render("awards/decisions.html", rows=[(d, totals[d.id]) for d in found], year=year)


def _decision_context(decision, **extra):
    awards = sorted(decision.awards, key=lambda a: (a.award_type.position, a.nominee_name))
    return {"decision": decision, "awards": [(a, season.amount_of(a, decision.decided_on)) for a in awards],
            "total": season.decision_total(decision), "salary": season.base_salary_on(decision.decided_on),
            "changes": season.changes_of(decision),
            "revoke_form": extra.pop("revoke_form", None) or RevokeForm(formdata=None, data={"decided_on": today()}),
            "amend_form": extra.pop("amend_form", None) or AmendForm(formdata=None, data={
                "decided_on": today(), "title": decision.title}),
            "revoke_error": extra.pop("revoke_error", None), "amend_error": extra.pop("amend_error", None), **extra}


@unit_bp.get("/quyet-dinh/<int:decision_id>")
@requires("decision.view")
def decision(decision_id):
    return render("awards/decision.html", **_decision_context(_or_404(Decision, decision_id)))


@unit_bp.get("/quyet-dinh/<int:decision_id>/quyet-dinh.docx")
@requires("decision.view")
def decision_docx(decision_id):
    decision = _or_404(Decision, decision_id)
    if not decision.awards:
        abort(404)
    return docx_response(paperwork.decision_document(decision))


@unit_bp.get("/quyet-dinh/<int:decision_id>/sua-doi/<int:change_id>.docx")
@requires("decision.view")
def change_docx(decision_id, change_id):
    decision = _or_404(Decision, decision_id)
    change = _or_404(DecisionChange, change_id)
    if change.decision_id != decision.id:
        abort(404)
    return docx_response(paperwork.change_document(decision, change))


@unit_bp.get("/quyet-dinh/<int:decision_id>/giay-khen.docx")
@requires("decision.view")
def certificates(decision_id):
    decision = _or_404(Decision, decision_id)
    award_id = _int_arg("award")
    awards = [a for a in decision.awards if not a.revoked_on and (award_id is None or a.id == award_id)]
    if not awards:
        flash("Không có giấy khen nào để in (đã thu hồi hoặc không có trong quyết định).", "warning")
        return redirect_to(url_for(".decision", decision_id=decision.id))
    data = paperwork.certificates_docx(awards, paperwork.layout_for(g.unit.id))
    stem = decision.number_symbol.replace("/", "-").replace("Đ", "D")
    suffix = f"-{awards[0].id}" if award_id else ""
    from thiduaweb.core.vntext import slugify

    return download_response(data, f"giay-khen-{slugify(stem)}{suffix}.docx", DOCX)


@unit_bp.post("/quyet-dinh/<int:decision_id>/thu-hoi")
@requires("decision.amend")
def revoke(decision_id):
    decision = _or_404(Decision, decision_id)
    form = RevokeForm()
    error = None
    if form.validate_on_submit():
        error = _attempt(form, lambda: season.revoke(
            g.unit, current_user, decision, award_ids=_ids("award_ids"), reason=form.reason.data,
            decided_on=form.decided_on.data, number=form.number.data))
        if error is None:
            flash("Đã thu hồi khen thưởng.", "warning")
            return redirect_to(url_for(".decision", decision_id=decision_id))
    decision = _or_404(Decision, decision_id)
    return render("awards/decision.html", block="revoke_block", status=422,
                  **_decision_context(decision, revoke_form=form, revoke_error=error))


@unit_bp.post("/quyet-dinh/<int:decision_id>/sua-doi")
@requires("decision.amend")
def amend(decision_id):
    decision = _or_404(Decision, decision_id)
    form = AmendForm()
    error = None
    if form.validate_on_submit():
        corrections = {a.id: {"nominee_name": request.form.get(f"name_{a.id}", a.nominee_name),
                              "body_name": request.form.get(f"body_{a.id}", a.body_name or "")}
                       for a in decision.awards}
        error = _attempt(form, lambda: season.amend(
            g.unit, current_user, decision, reason=form.reason.data, title=form.title.data,
            corrections=corrections, decided_on=form.decided_on.data, number=form.number.data))
        if error is None:
            flash("Đã sửa đổi quyết định.", "success")
            return redirect_to(url_for(".decision", decision_id=decision_id))
    decision = _or_404(Decision, decision_id)
    return render("awards/decision.html", block="amend_block", status=422,
                  **_decision_context(decision, amend_form=form, amend_error=error))


@unit_bp.get("/de-nghi/<int:nomination_id>/to-trinh.docx")
@requires("nomination.view")
def proposal_docx(nomination_id):
    nomination = _nomination_or_404(nomination_id)
    if not nomination.proposal_symbol:
        abort(404)
    nominations = season.proposal_nominations(g.unit.id, nomination.proposal_symbol)
    return docx_response(paperwork.proposal_document(g.unit, nomination.proposal_symbol, nominations))


@unit_bp.get("/de-nghi/<int:nomination_id>/trung")
@requires("nomination.view")
def nomination_duplicates(nomination_id):
    nomination = _nomination_or_404(nomination_id)
    if _wants_excel():
        return exports.duplicates(g.unit, nomination)
    return render("awards/duplicates.html", nomination=nomination, duplicates=season.duplicates_of(nomination),
                  badges=workflow.STATE_BADGES)


# --- The fund, the base salary, the certificate layout -----------------------------------------------

def _fund_year() -> int:
    year = _int_arg("year")
    return year if year and 1900 <= year <= 9999 else today().year


def _fund_context(form=None):
    year = _fund_year()
    return {"year": year, "summary": season.fund_year(g.unit.id, year),
            "form": form or FundEntryForm(formdata=None, data={"entry_on": today()})}


@unit_bp.route("/quy", methods=["GET", "POST"])
@requires("fund.view")
def fund():
    if request.method == "GET":
        if _wants_excel():
            return exports.fund(g.unit, _fund_year())
        return render("awards/fund.html", **_fund_context())
    if "fund.manage" not in g.access.permissions:
        abort(403)
    form = FundEntryForm()
    if form.validate_on_submit():
        try:
            season.add_fund_entry(g.unit, current_user, entry_on=form.entry_on.data, kind=form.kind.data,
                                  amount=form.amount.data, description=form.description.data)
        except season.SeasonError as error:
            db.session.rollback()
            form.add_error(error.field, str(error))
        else:
            flash("Đã ghi sổ quỹ.", "success")
            return redirect_to(url_for(".fund", year=form.entry_on.data.year))
    return render("awards/fund.html", block="fund_form", status=422, **_fund_context(form))


@unit_bp.route("/luong-co-so", methods=["GET", "POST"])
@requires("fund.view")
def base_salary():
    form = BaseSalaryForm() if request.method == "POST" else BaseSalaryForm(formdata=None)
    if request.method == "POST":
        if "base_salary.manage" not in g.access.permissions:
            abort(403)
        if form.validate_on_submit():
            try:
                season.add_base_salary(form.valid_from.data, form.amount.data, form.legal_basis.data)
            except season.SeasonError as error:
                db.session.rollback()
                form.add_error(error.field, str(error))
            else:
                flash("Đã thêm mức lương cơ sở.", "success")
                return redirect_to(url_for(".base_salary"))
    return render("awards/salaries.html", block="salary_form" if request.method == "POST" else None,
                  status=422 if request.method == "POST" else 200, salaries=season.base_salaries(), form=form)


@unit_bp.route("/mau-giay-khen", methods=["GET", "POST"])
@requires("decision.view")
def certificate_layout():
    layout = paperwork.layout_for(g.unit.id)
    form_class = certificate_layout_form_class()
    if request.method == "POST":
        if "certificate.layout" not in g.access.permissions:
            abort(403)
        form = form_class()
        if form.validate_on_submit():
            try:
                paperwork.save_layout(g.unit, form.data)
            except season.SeasonError as error:
                db.session.rollback()
                form.add_error(error.field, str(error))
            else:
                flash("Đã lưu vị trí in giấy khen.", "success")
                return redirect_to(url_for(".certificate_layout"))
    else:
        data = {"page_width_mm": layout.page_width_mm, "page_height_mm": layout.page_height_mm,
                "print_labels": layout.print_labels}
        for key, spec in layout.fields.items():
            data.update({f"{key}_x": spec["x"], f"{key}_y": spec["y"], f"{key}_size": spec["size"]})
        form = form_class(formdata=None, data=data)
    return render("awards/certificate_layout.html", block="layout_form" if request.method == "POST" else None,
                  status=422 if request.method == "POST" else 200, form=form, fields=paperwork.CERTIFICATE_FIELDS)
