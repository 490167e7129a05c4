"""Forms of the self-inspection feature (Vietnamese labels and messages)."""
from wtforms import SelectField, StringField, TextAreaField

from thiduaweb.core.forms import (
    BaseForm, VNDateField, VNDecimalField, at_least, date_not_before, max_length, optional, required,
)
from thiduaweb.core.forms import required_choice
from thiduaweb.inspections.models import ACTION_STATUS


class FiniteDecimalField(VNDecimalField):
    """A VNDecimalField that refuses "NaN" and "Infinity" (they are not numbers anyone types on purpose)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError("Giá trị phải là một số, ví dụ 12 hoặc 12,5.")


class TemplateForm(BaseForm):
    name = StringField("Tên bộ tiêu chí", validators=[required("Vui lòng nhập tên bộ tiêu chí."), max_length(200)])
    description = TextAreaField("Mô tả, hướng dẫn", validators=[optional(), max_length(4000)])


class SectionForm(BaseForm):
    title = StringField("Tên phần", validators=[required("Vui lòng nhập tên phần."), max_length(300)])


class ItemForm(BaseForm):
    section_id = SelectField("Thuộc phần", coerce=int, validators=[required_choice("Vui lòng chọn phần.")])
    text = TextAreaField("Nội dung kiểm tra", validators=[required("Vui lòng nhập nội dung kiểm tra."),
                                                          max_length(2000)])
    weight = FiniteDecimalField("Trọng số (điểm)", places=2, validators=[required("Vui lòng nhập trọng số."),
                                                                      at_least(0.01)])
    basis = StringField("Căn cứ (văn bản pháp luật hoặc mục của kế hoạch)", validators=[optional(), max_length(300)])
    evidence_expected = StringField("Minh chứng cần có", validators=[optional(), max_length(300)])

    def validate_weight(self, field):
        if field.data is not None and field.data > 1000:
            from wtforms.validators import ValidationError

            raise ValidationError("Trọng số tối đa là 1000.")


class RoundForm(BaseForm):
    title = StringField("Tên đợt tự kiểm tra", validators=[required("Vui lòng nhập tên đợt."), max_length(200)])
    period_start = VNDateField("Kỳ kiểm tra từ ngày", validators=[required("Vui lòng nhập ngày bắt đầu kỳ.")])
    period_end = VNDateField("Đến ngày", validators=[required("Vui lòng nhập ngày kết thúc kỳ."),
                                                     date_not_before("period_start")])
    deadline = VNDateField("Hạn nộp kết quả", validators=[
        required("Vui lòng nhập hạn nộp."),
        date_not_before("period_start", "Hạn nộp không được trước ngày bắt đầu kỳ kiểm tra.")])
    note = TextAreaField("Ghi chú, yêu cầu", validators=[optional(), max_length(4000)])


class FindingForm(BaseForm):
    text = TextAreaField("Phát hiện, tồn tại", validators=[required("Vui lòng nhập nội dung phát hiện."),
                                                           max_length(2000)])


class ActionForm(BaseForm):
    what = TextAreaField("Biện pháp khắc phục", validators=[required("Vui lòng nhập việc cần khắc phục."),
                                                            max_length(2000)])
    who = StringField("Người, bộ phận thực hiện", validators=[required("Vui lòng nhập người thực hiện."),
                                                              max_length(160)])
    due_date = VNDateField("Hạn hoàn thành", validators=[required("Vui lòng nhập hạn hoàn thành.")])


class ActionUpdateForm(BaseForm):
    status = SelectField("Tình trạng", choices=list(ACTION_STATUS.items()))
    progress_note = TextAreaField("Kết quả thực hiện", validators=[optional(), max_length(2000)])
    closed_on = VNDateField("Ngày hoàn thành", validators=[optional()])


class SupervisoryForm(BaseForm):
    target_unit_id = SelectField("Xã, phường được kiểm tra", coerce=int,
                                 validators=[required_choice("Vui lòng chọn xã, phường.")])
    inspected_on = VNDateField("Ngày kiểm tra", validators=[required("Vui lòng nhập ngày kiểm tra.")])
    inspectors = StringField("Đoàn kiểm tra", validators=[optional(), max_length(300)])


class ReasonForm(BaseForm):
    reason = TextAreaField("Ý kiến của cấp trên", validators=[optional(), max_length(2000)])
