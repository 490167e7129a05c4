"""Forms for the bodies a unit manages."""
from wtforms import BooleanField, SelectField, StringField

from thiduaweb.core.forms import BaseForm, choices, VNIntegerField, at_least, max_length, optional, required
from thiduaweb.units.models import BODY_KINDS


class BodyForm(BaseForm):
    name = StringField("Tên", validators=[required("Vui lòng nhập tên."), max_length(160)])
    kind = SelectField("Loại", choices=choices(BODY_KINDS))
    head_name = StringField("Người đứng đầu", validators=[optional(), max_length(120)])
    member_count = VNIntegerField("Số thành viên", validators=[optional(), at_least(0)])
    active = BooleanField("Đang hoạt động", default=True)
