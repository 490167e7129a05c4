"""Forms of emulation clusters and the scoring table (Vietnamese labels and messages)."""
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from thiduaweb.inspections.forms import FiniteDecimalField
from thiduaweb.core.forms import (
    BaseForm, MultiCheckboxField, VNDateField, VNIntegerField, at_least, max_length, optional, required,
    required_choice,
)


class ClusterForm(BaseForm):
    name = StringField("Tên cụm thi đua", validators=[required("Vui lòng nhập tên cụm."), max_length(160)])
    member_ids = MultiCheckboxField("Các xã, phường trong cụm", coerce=int, choices=[])
    leader_unit_id = SelectField("Cụm trưởng", coerce=int, validators=[required_choice("Vui lòng chọn cụm trưởng.")])
    note = TextAreaField("Ghi chú", validators=[optional(), max_length(2000)])

    def validate_member_ids(self, field):
        if not field.data:
            raise ValidationError("Chọn ít nhất một xã, phường cho cụm.")


class TableForm(BaseForm):
    year = VNIntegerField("Năm", validators=[required("Vui lòng nhập năm."), at_least(2000)])
    title = StringField("Tên bảng điểm", validators=[required("Vui lòng nhập tên bảng điểm."), max_length(200)])
    deadline = VNDateField("Hạn tự chấm", validators=[optional()])

    def validate_year(self, field):
        if field.data is not None and field.data > 2100:
            raise ValidationError("Năm không hợp lệ, ví dụ 2021.")


class GroupForm(BaseForm):
    title = StringField("Tên nhóm tiêu chí", validators=[required("Vui lòng nhập tên nhóm."), max_length(300)])


class CriterionForm(BaseForm):
    group_id = SelectField("Nhóm tiêu chí", coerce=int, validators=[required_choice("Vui lòng chọn nhóm.")])
    text = TextAreaField("Tiêu chí", validators=[required("Vui lòng nhập nội dung tiêu chí."), max_length(2000)])
    max_points = FiniteDecimalField("Điểm tối đa", validators=[required("Vui lòng nhập điểm tối đa."), at_least(0.5)])
    bonus_points = FiniteDecimalField("Điểm thưởng tối đa", validators=[optional(), at_least(0)])
    evidence_expected = StringField("Minh chứng cần có", validators=[optional(), max_length(300)])

    def validate_max_points(self, field):
        if field.data is not None and field.data > 1000:
            raise ValidationError("Điểm tối đa không quá 1000.")

    def validate_bonus_points(self, field):
        if field.data is not None and field.data > 1000:
            raise ValidationError("Điểm thưởng không quá 1000.")


class ReasonForm(BaseForm):
    reason = TextAreaField("Ý kiến, lý do", validators=[optional(), max_length(2000)])
