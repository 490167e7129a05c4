"""Login, logout, own password; the users of a unit (list, create, edit, reset password)."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from thiduaweb.accounts import services
from thiduaweb.accounts.forms import LoginForm, NewUserForm, PasswordForm, UserForm
from thiduaweb.core.excel import xlsx_response
from thiduaweb.core.forms import choices
from thiduaweb.core.permissions import ROLE_LABELS, requires
from thiduaweb.core.render import or_404, redirect_to, render
from thiduaweb.core.templating import nav_item
from thiduaweb.core.tenancy import login_required_outside_units, unit_blueprint
from thiduaweb.extensions import limiter, login_manager

bp = Blueprint("accounts", __name__)
unit_bp = unit_blueprint("users", __name__, "/users")

login_manager.login_view = "accounts.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "info"
login_manager.user_loader(services.load_user)

nav_item("users.index", "Người dùng", "user.view", order=900)


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _landing_url() -> str:
    unit = services.home_unit_for(current_user)
    return url_for("units.home", unit_slug=unit.slug) if unit else url_for("accounts.password")


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(_landing_url())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"],
               error_message="Bạn đã đăng nhập sai quá nhiều lần. Vui lòng đợi một phút rồi thử lại.")
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            flash(f"Xin chào {user.full_name}.", "success")
            return redirect_to(_safe_next(request.args.get("next")) or _landing_url())
        form.form_errors.append(gettext("Tên đăng nhập hoặc mật khẩu không đúng."))
    status = 422 if form.errors or form.form_errors else 200
    return render("accounts/login.html", block="login_form", status=status, form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    logout_user()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required_outside_units
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user._get_current_object(), form.current_password.data, form.new_password.data)
        except services.AccountError as error:
            form.add_error(error.field, str(error))
        else:
            login_user(current_user._get_current_object())  # the session id changed with the password
            flash("Đã đổi mật khẩu.", "success")
            return redirect_to(_landing_url())
    status = 422 if form.errors else 200
    return render("accounts/password.html", block="password_form", status=status, form=form)


@bp.post("/lang/<code>")
def set_language(code):
    from flask import session

    if code in ("vi", "en"):
        session["lang"] = code
    return redirect(_safe_next(request.form.get("next")) or url_for("accounts.index"))


# --- Users of a unit -------------------------------------------------------------------------

def _managed_unit_ids() -> list[int]:
    """On a supervising unit's page, its own users and its communes' users."""
    return sorted(g.access.readable_unit_ids)


@unit_bp.get("/", endpoint="index")
@requires("user.view")
def list_users():
    filters = {k: request.args.get(k, "").strip() for k in ("q", "role", "status")}
    users = services.units_users(_managed_unit_ids(), search=filters["q"], role=filters["role"],
                                 status=filters["status"])
    if request.args.get("format") == "xlsx":
        columns = ["Họ và tên", "Chức vụ", "Tên đăng nhập", "Thư điện tử", "Điện thoại", "Đơn vị và vai trò",
                   "Trạng thái"]
        data = ([u.full_name, u.position or "", u.username, u.email or "", u.phone or "",
                 "; ".join(f"{m.unit.name}: {m.role_label}" for m in u.memberships if m.active),
                 "Đang hoạt động" if u.active else "Đã khóa"] for u in users)
        subtitle = ", ".join(x for x in (ROLE_LABELS.get(filters["role"], ""),
                                         {"active": "Đang hoạt động", "inactive": "Đã khóa"}.get(filters["status"], ""),
                                         f"Tìm: {filters['q']}" if filters["q"] else "") if x)
        return xlsx_response(f"nguoi-dung-{g.unit.slug}", columns, data, title=f"Người dùng — {g.unit.name}",
                             subtitle=subtitle)
    return render("accounts/users.html", block="user_table", users=users, filters=filters,
                  roles=ROLE_LABELS)


def _role_choices():
    return choices(services.assignable_roles(g.access.roles))


@unit_bp.route("/new", methods=["GET", "POST"])
@requires("user.manage")
def new():
    form = NewUserForm()
    form.roles.choices = _role_choices()
    if form.validate_on_submit():
        try:
            user = services.create_user(g.unit, username=form.username.data, full_name=form.full_name.data,
                                        password=form.password.data, roles=form.roles.data,
                                        email=form.email.data, phone=form.phone.data,
                                        position=form.position.data)
        except services.AccountError as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã tạo tài khoản {user.username}.", "success")
            return redirect_to(url_for(".index"))
    return render("accounts/user_form.html", block="user_form", status=422 if form.errors else 200,
                  form=form, user=None)


def _user_or_404(user_id: int):
    return or_404(services.user_in_units(user_id, [g.unit.id]))


@unit_bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@requires("user.manage")
def edit(user_id):
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    form.roles.choices = _role_choices()
    if request.method == "GET":
        form.roles.data = services.roles_in(user, g.unit)
    if form.validate_on_submit():
        try:
            services.update_user(g.unit, user, full_name=form.full_name.data, email=form.email.data,
                                 phone=form.phone.data, position=form.position.data, roles=form.roles.data,
                                 active=form.active.data)
        except services.AccountError as error:
            form.add_error(error.field, str(error))
        else:
            flash(f"Đã lưu tài khoản {user.username}.", "success")
            return redirect_to(url_for(".index"))
    return render("accounts/user_form.html", block="user_form", status=422 if form.errors else 200,
                  form=form, user=user)


@unit_bp.post("/<int:user_id>/reset-password")
@requires("user.manage")
def reset_password(user_id):
    user = _user_or_404(user_id)
    temporary = services.reset_password(g.unit, user)
    flash(f"Mật khẩu tạm thời của {user.username}: {temporary} — hãy trao trực tiếp cho người dùng.", "warning")
    return redirect_to(url_for(".edit", user_id=user.id))
