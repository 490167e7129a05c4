"""Forms of the complaints desk, with Vietnamese labels and messages."""
from __future__ import annotations

import re

from wtforms import BooleanField, HiddenField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from thiduaweb.complaints.models import KINDS
from thiduaweb.core.forms import BaseForm, VNDateField, VNIntegerField, max_length, optional, required

KIND_HELP = {
    "complaint": "Đề nghị xem xét lại một quyết định, hành vi hành chính về thi đua, khen thưởng mà bạn cho là "
                 "trái pháp luật, xâm phạm quyền lợi của mình.",
    "denunciation": "Báo cho cơ quan có thẩm quyền biết hành vi vi phạm pháp luật (ví dụ: khai man thành tích).",
    "petition": "Góp ý, đề xuất về chính sách, cách làm công tác thi đua, khen thưởng.",
    "report": "Cho biết thông tin, phản ánh một việc làm chưa đúng.",
}


def _phone(form, field):
    if field.data and not re.fullmatch(r"(\+84|0)\d{8,10}", re.sub(r"[\s.\-]", "", field.data)):
        raise ValidationError("Số điện thoại không hợp lệ: 10 chữ số bắt đầu bằng 0, ví dụ 0912345678.")


class PublicPetitionForm(BaseForm):
    kind = RadioField("Loại đơn", choices=list(KINDS.items()),
                      validators=[required("Vui lòng chọn loại đơn.")])
    subject = StringField("Tiêu đề ngắn", validators=[required("Vui lòng nhập tiêu đề ngắn của đơn."),
                                                       max_length(200)])
    content = TextAreaField("Nội dung đơn", validators=[
        required("Vui lòng trình bày nội dung đơn."),
        Length(min=20, message="Vui lòng trình bày nội dung đơn (ít nhất 20 ký tự)."), max_length(10000)])
    anonymous = BooleanField("Gửi đơn không ghi tên (chỉ với đơn tố cáo, kiến nghị, phản ánh)")
    filer_name = StringField("Họ và tên", validators=[optional(), max_length(120)])
    filer_address = StringField("Địa chỉ", validators=[optional(), max_length(255)])
    filer_phone = StringField("Số điện thoại", validators=[optional(), _phone])
    filer_email = StringField("Thư điện tử", validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Địa chỉ thư điện tử không hợp lệ, ví dụ: ten@gmail.com."),
        max_length(160)])
    reference = SelectField("Liên quan đến đề nghị khen thưởng, quyết định khen thưởng", choices=[("", "Không")],
                            validators=[optional()], validate_choice=False)
    files = MultipleFileField("Tài liệu kèm theo")
    #: Honeypot: hidden from people, filled by robots.
    website = StringField("Trang web của bạn (để trống)")


class OfficerPetitionForm(PublicPetitionForm):
    """A paper đơn recorded by an officer."""

    channel = SelectField("Hình thức nhận", choices=[("direct", "Nộp trực tiếp"), ("post", "Qua bưu điện"),
                                                      ("online", "Gửi trực tuyến")])
    received_on = VNDateField("Ngày nhận đơn", validators=[required("Vui lòng nhập ngày nhận đơn.")])
    several_places = BooleanField("Cần xác minh ở nhiều nơi (tố cáo)")


class ClassifyForm(BaseForm):
    outcome = RadioField("Kết quả phân loại", choices=[], validators=[required("Vui lòng chọn kết quả phân loại.")])
    reason = TextAreaField("Lý do / căn cứ", validators=[optional(), max_length(4000)])
    guidance = TextAreaField("Nội dung hướng dẫn người gửi đơn", validators=[optional(), max_length(4000)])
    target_unit = SelectField("Chuyển đến", choices=[], validators=[optional()])
    is_complex = BooleanField("Vụ việc phức tạp")
    several_places = BooleanField("Cần xác minh ở nhiều nơi")
    number = VNIntegerField("Số thông báo (để trống: lấy số tiếp theo)", validators=[optional()])
    on = VNDateField("Ngày", validators=[optional()])


class AssignForm(BaseForm):
    handler_id = SelectField("Người xử lý", choices=[], validators=[required("Vui lòng chọn người xử lý.")])


class NoteForm(BaseForm):
    note = TextAreaField("Ghi chú nội bộ (người gửi đơn không thấy)", validators=[optional(), max_length(4000)])
    files = MultipleFileField("Tài liệu, chứng cứ")


class ExtendForm(BaseForm):
    reason = TextAreaField("Lý do gia hạn", validators=[required("Gia hạn phải nêu rõ lý do."), max_length(2000)])


class AnswerForm(BaseForm):
    answer_text = TextAreaField("Nội dung trả lời / quyết định gửi người có đơn", validators=[
        required("Vui lòng nhập nội dung trả lời."), max_length(10000)])
    number = VNIntegerField("Số văn bản (để trống: lấy số tiếp theo)", validators=[optional()])
    on = VNDateField("Ngày ban hành", validators=[optional()])


class CloseForm(BaseForm):
    note = TextAreaField("Ghi chú khi kết thúc", validators=[optional(), max_length(2000)])


class WithdrawForm(BaseForm):
    reason = TextAreaField("Nội dung rút đơn", validators=[optional(), max_length(2000)])
    on = VNDateField("Ngày rút đơn", validators=[optional()])


class PublicWithdrawForm(BaseForm):
    reason = TextAreaField("Lý do rút đơn (không bắt buộc)", validators=[optional(), max_length(2000)])
    confirm = BooleanField("Tôi xác nhận rút đơn này", validators=[required("Vui lòng đánh dấu xác nhận.")])


class EscalateForm(BaseForm):
    reason = TextAreaField("Lý do không đồng ý với quyết định giải quyết lần đầu", validators=[
        required("Vui lòng nêu lý do."), Length(min=10, message="Vui lòng nêu lý do (ít nhất 10 ký tự)."),
        max_length(4000)])


class SecondInstanceForm(EscalateForm):
    """The supervising unit enters a khiếu nại lần hai received on paper."""

    code = StringField("Mã tra cứu của đơn đã giải quyết lần đầu", validators=[
        required("Vui lòng nhập mã tra cứu của đơn lần đầu."), max_length(40)])


class LookupForm(BaseForm):
    code = StringField("Mã tra cứu", validators=[required("Vui lòng nhập mã tra cứu."), max_length(40)])


class DayOffForm(BaseForm):
    day = VNDateField("Ngày nghỉ", validators=[required("Vui lòng nhập ngày nghỉ theo dạng ngày/tháng/năm.")])
    reason = StringField("Căn cứ", validators=[required("Vui lòng ghi căn cứ."), max_length(200)])


class CountingForm(BaseForm):
    count_working_days = BooleanField("Tính các thời hạn luật ghi “ngày” theo ngày làm việc")
    mode = HiddenField(default="counting")
