"""Forms of the exemplar register (Vietnamese labels and messages)."""
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from thiduaweb.core.forms import BaseForm, VNDateField, max_length, optional, required
from thiduaweb.exemplars.models import CATEGORIES, CHANNELS, KINDS, STAGES


class ExemplarForm(BaseForm):
    category = SelectField("Loại điển hình", choices=list(CATEGORIES.items()))
    kind = SelectField("Cá nhân hay tập thể", choices=list(KINDS.items()))
    name = StringField("Họ và tên / tên tập thể", validators=[required("Vui lòng nhập tên."), max_length(160)])
    description = StringField("Chức vụ, nơi công tác hoặc địa chỉ", validators=[optional(), max_length(255)])
    movement_id = SelectField("Phong trào thi đua", coerce=int, choices=[(0, "— Không chọn —")], default=0)
    movement_name = StringField("Hoặc ghi tên phong trào", validators=[optional(), max_length(255)])
    story = TextAreaField("Thành tích, câu chuyện", validators=[required("Vui lòng kể lại thành tích, việc làm tốt."),
                                                                max_length(10000)])
    stage = SelectField("Giai đoạn", choices=list(STAGES.items()))
    discovered_on = VNDateField("Ngày phát hiện", validators=[optional()])
    follow_up_name = StringField("Người theo dõi, bồi dưỡng", validators=[optional(), max_length(120)])
    published = BooleanField("Công khai trên trang của đơn vị")


class PublicityForm(BaseForm):
    published_on = VNDateField("Ngày đăng, phát", validators=[required("Vui lòng nhập ngày đăng, phát.")])
    channel = SelectField("Kênh", choices=list(CHANNELS.items()))
    title = StringField("Tiêu đề bài viết, phóng sự", validators=[required("Vui lòng nhập tiêu đề."), max_length(255)])
    link = StringField("Đường dẫn (nếu có)", validators=[optional(), max_length(500)])

    def validate_link(self, field):
        value = (field.data or "").strip()
        if value and not value.lower().startswith(("http://", "https://")):
            raise ValidationError("Đường dẫn phải bắt đầu bằng http:// hoặc https://.")


class NominateForm(BaseForm):
    award_code = SelectField("Danh hiệu, hình thức đề nghị", choices=[])
    year = StringField("Năm", validators=[required("Vui lòng nhập năm.")])

    def validate_year(self, field):
        text = (field.data or "").strip()
        if not text.isdigit() or not 2000 <= int(text) <= 2100:
            raise ValidationError("Năm không hợp lệ, ví dụ 2021.")
