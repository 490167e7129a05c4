"""Forms for login, password change and user management."""
from wtforms import BooleanField, EmailField, PasswordField, StringField
from flask_babel import lazy_gettext as _l
from wtforms.validators import Email, Regexp

from thiduaweb.core.forms import BaseForm, MultiCheckboxField, max_length, optional, required


class LoginForm(BaseForm):
    username = StringField(_l("Tên đăng nhập"), validators=[required(_l("Vui lòng nhập tên đăng nhập.")), max_length(80)])
    password = PasswordField(_l("Mật khẩu"), validators=[required(_l("Vui lòng nhập mật khẩu."))])


class PasswordForm(BaseForm):
    current_password = PasswordField("Mật khẩu hiện tại", validators=[required()])
    new_password = PasswordField("Mật khẩu mới", validators=[required()])
    confirm_password = PasswordField("Nhập lại mật khẩu mới", validators=[required()])

    def validate_confirm_password(self, field):
        if field.data != self.new_password.data:
            from wtforms import ValidationError

            raise ValidationError("Hai lần nhập mật khẩu mới không khớp.")


class UserForm(BaseForm):
    full_name = StringField("Họ và tên", validators=[required("Vui lòng nhập họ và tên."), max_length(120)])
    position = StringField("Chức vụ", validators=[optional(), max_length(120)])
    email = EmailField("Thư điện tử", validators=[optional(), Email(message="Địa chỉ thư điện tử không hợp lệ."),
                                                   max_length(160)])
    phone = StringField("Điện thoại", validators=[optional(), Regexp(r"^[0-9 +().-]{6,20}$",
                                                  message="Số điện thoại không hợp lệ."), max_length(20)])
    roles = MultiCheckboxField("Vai trò", choices=[])
    active = BooleanField("Đang hoạt động", default=True)


class NewUserForm(UserForm):
    username = StringField("Tên đăng nhập", validators=[
        required("Vui lòng nhập tên đăng nhập."), max_length(80),
        Regexp(r"^[A-Za-z0-9._-]+$", message="Chỉ dùng chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới."),
    ])
    password = PasswordField("Mật khẩu ban đầu", validators=[required("Vui lòng nhập mật khẩu ban đầu.")])
