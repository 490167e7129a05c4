"""Forms for movements, targets, progress, reviews, registrations and compacts."""
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from wtforms.validators import InputRequired, NumberRange

from thiduaweb.core.forms import (BaseForm, MultiCheckboxField, VNDateField, VNDecimalField, VNIntegerField,
                                  at_least, date_not_before, max_length, optional, required)
from thiduaweb.movements.models import KINDS, LEVELS, REVIEW_KINDS, SUBJECT_KINDS


def _int_or_zero(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class MovementForm(BaseForm):
    name = StringField("Tên phong trào", validators=[required("Vui lòng nhập tên phong trào."), max_length(255)])
    kind = SelectField("Loại phong trào", choices=list(KINDS.items()))
    level = SelectField("Cấp phát động", choices=list(LEVELS.items()))
    starts_on = VNDateField("Ngày bắt đầu", validators=[InputRequired("Vui lòng nhập ngày bắt đầu.")])
    ends_on = VNDateField("Ngày kết thúc", validators=[optional(), date_not_before("starts_on")])
    description = TextAreaField("Mô tả, nội dung chính", validators=[optional(), max_length(4000)])
    plan_item_id = SelectField("Thực hiện mục kế hoạch", coerce=_int_or_zero, choices=[(0, "— Không gắn —")])
    body_ids = MultiCheckboxField("Cơ quan, đoàn thể, thôn xóm tham gia", coerce=int, choices=[])
    for_communes = BooleanField("Phát động cho tất cả xã, phường trực thuộc")


class TargetForm(BaseForm):
    indicator = StringField("Chỉ tiêu", validators=[required("Vui lòng nhập tên chỉ tiêu."), max_length(255)])
    measure = StringField("Đơn vị tính", validators=[optional(), max_length(40)])
    target_value = VNDecimalField("Giá trị chỉ tiêu", validators=[InputRequired("Vui lòng nhập giá trị chỉ tiêu (một số).")])
    due_on = VNDateField("Thời hạn", validators=[optional()])


class ProgressForm(BaseForm):
    reported_on = VNDateField("Ngày báo cáo", validators=[InputRequired("Vui lòng nhập ngày báo cáo.")])
    value = VNDecimalField("Giá trị đạt được", validators=[InputRequired("Vui lòng nhập giá trị đạt được (một số).")])
    note = TextAreaField("Ghi chú", validators=[optional(), max_length(2000)])


class ReviewForm(BaseForm):
    kind = SelectField("Hình thức", choices=list(REVIEW_KINDS.items()))
    held_on = VNDateField("Ngày tổ chức", validators=[InputRequired("Vui lòng nhập ngày tổ chức.")])
    summary = TextAreaField("Đánh giá chung", validators=[required("Vui lòng nhập nội dung đánh giá."), max_length(8000)])


class AchievementForm(BaseForm):
    subject_kind = SelectField("Đối tượng", choices=list(SUBJECT_KINDS.items()), default="collective")
    subject_name = StringField("Tên tập thể, cá nhân, hộ gia đình",
                               validators=[required("Vui lòng nhập tên."), max_length(160)])
    description = TextAreaField("Thành tích", validators=[optional(), max_length(4000)])


class RegistrationForm(BaseForm):
    year = VNIntegerField("Năm", validators=[InputRequired("Vui lòng nhập năm."), at_least(2000), NumberRange(max=2100, message="Năm không hợp lệ.")])
    subject_kind = SelectField("Đối tượng", choices=list(SUBJECT_KINDS.items()))
    subject_name = StringField("Tên người, tập thể hoặc hộ đăng ký",
                               validators=[required("Vui lòng nhập tên."), max_length(160)])
    body_id = SelectField("Thuộc cơ quan, đoàn thể, thôn xóm", coerce=_int_or_zero, choices=[(0, "— Không —")])
    title = StringField("Danh hiệu đăng ký", validators=[required("Vui lòng nhập danh hiệu đăng ký."), max_length(160)])
    registered_on = VNDateField("Ngày đăng ký", validators=[InputRequired("Vui lòng nhập ngày đăng ký.")])
    note = TextAreaField("Ghi chú", validators=[optional(), max_length(2000)])


class CompactForm(BaseForm):
    year = VNIntegerField("Năm", validators=[InputRequired("Vui lòng nhập năm."), at_least(2000), NumberRange(max=2100, message="Năm không hợp lệ.")])
    name = StringField("Tên giao ước", validators=[required("Vui lòng nhập tên giao ước."), max_length(255)])
    signed_on = VNDateField("Ngày ký", validators=[InputRequired("Vui lòng nhập ngày ký.")])
    parties = TextAreaField("Các bên ký (mỗi dòng một bên)", validators=[required("Vui lòng nhập các bên ký."), max_length(4000)])
    content = TextAreaField("Nội dung giao ước", validators=[optional(), max_length(8000)])
