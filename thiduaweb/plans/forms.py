"""Forms for plans, their items and their issue."""
from wtforms import SelectField, StringField, TextAreaField

from wtforms.validators import InputRequired, NumberRange

from thiduaweb.core.forms import (BaseForm, VNDateField, VNIntegerField, at_least, max_length, optional,
                                  required)
from thiduaweb.plans.models import SECTIONS


class PlanForm(BaseForm):
    year = VNIntegerField("Năm kế hoạch", validators=[InputRequired("Vui lòng nhập năm."), at_least(2000), NumberRange(max=2100, message="Năm không hợp lệ.")])
    title = TextAreaField("Tên kế hoạch (mỗi dòng in thành một dòng)",
                          validators=[required("Vui lòng nhập tên kế hoạch."), max_length(500)])
    place = StringField("Địa danh", validators=[optional(), max_length(80)])
    bases = TextAreaField("Căn cứ (đoạn mở đầu)", validators=[optional(), max_length(4000)])
    closing = TextAreaField("Đoạn kết", validators=[optional(), max_length(2000)])
    recipients = TextAreaField("Nơi nhận (mỗi dòng một nơi)", validators=[optional(), max_length(2000)])
    signer_authority = StringField("Thẩm quyền ký", default="TM. ỦY BAN NHÂN DÂN",
                                   validators=[optional(), max_length(80)])
    signer_position = StringField("Chức vụ người ký", default="CHỦ TỊCH", validators=[optional(), max_length(80)])
    signer_name = StringField("Họ tên người ký", validators=[optional(), max_length(120)])
    description = TextAreaField("Ghi chú nội bộ (không in)", validators=[optional(), max_length(2000)])
    adoption_deadline = VNDateField("Hạn để xã, phường tiếp nhận", validators=[optional()])

    def validate_adoption_deadline(self, field):
        if field.data and self.year.data and field.data.year < self.year.data - 1:
            from wtforms import ValidationError

            raise ValidationError("Hạn tiếp nhận không được trước năm của kế hoạch.")


class ItemForm(BaseForm):
    section = SelectField("Phần", choices=[(k, f"{k}. {v.capitalize()}") for k, v in SECTIONS.items()])
    text = TextAreaField("Nội dung", validators=[required("Nội dung mục không được để trống."), max_length(8000)])
    responsible = StringField("Cơ quan, bộ phận thực hiện", validators=[optional(), max_length(255)])
    due_on = VNDateField("Thời hạn", validators=[optional()])


class IssueForm(BaseForm):
    issued_on = VNDateField("Ngày ban hành", validators=[InputRequired("Vui lòng nhập ngày ban hành.")])
    number = VNIntegerField("Số văn bản (để trống: lấy số tiếp theo)", validators=[optional(), at_least(1), NumberRange(max=99999, message="Số văn bản không hợp lệ.")])
    signer_name = StringField("Họ tên người ký", validators=[optional(), max_length(120)])
