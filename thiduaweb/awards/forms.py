"""Awards forms: Vietnamese labels and messages."""
from __future__ import annotations

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from thiduaweb.awards.models import BASES, GENDERS, NOMINEE_KINDS, OCCUPATION_GROUPS
from thiduaweb.core.forms import (BaseForm, VNDateField, VNIntegerField, at_least, max_length, optional, required,
                                  required_choice)


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class NomineeForm(BaseForm):
    kind = SelectField("Loại đối tượng", choices=list(NOMINEE_KINDS.items()), validators=[required_choice()])
    name = StringField("Họ và tên (tên tập thể, tên chủ hộ)", validators=[required(), max_length(160)])
    gender = SelectField("Giới tính", choices=[("", "—"), *GENDERS.items()], validators=[optional()])
    birth_year = VNIntegerField("Năm sinh", validators=[optional()])
    position = StringField("Chức vụ, nghề nghiệp", validators=[optional(), max_length(160)])
    body_id = SelectField("Thôn, xóm, cơ quan", coerce=_int_or_none, validators=[optional()])
    occupation_group = SelectField("Nhóm đối tượng", choices=[("", "—"), *OCCUPATION_GROUPS.items()],
                                   validators=[optional()])
    identity_number = StringField("Số định danh cá nhân (không công khai)", validators=[optional(), max_length(20)])
    member_count = VNIntegerField("Số thành viên (tập thể, hộ)", validators=[optional(), at_least(0)])
    note = TextAreaField("Ghi chú", validators=[optional(), max_length(2000)])

    def validate_birth_year(self, field):
        if field.data is not None and not 1900 <= field.data <= 2025:
            raise ValidationError("Năm sinh không hợp lệ.")

    def validate_identity_number(self, field):
        if field.data and not field.data.strip().isdigit():
            raise ValidationError("Số định danh chỉ gồm chữ số.")

    def validate_occupation_group(self, field):
        if self.kind.data == "person" and not field.data:
            raise ValidationError("Chọn nhóm đối tượng (để tính tỷ lệ khen thưởng người lao động trực tiếp).")


class NominationForm(BaseForm):
    nominee_id = SelectField("Người, tập thể, hộ gia đình được đề nghị", coerce=_int_or_none,
                             validators=[required("Chọn đối tượng được đề nghị.")])
    award_code = SelectField("Danh hiệu, hình thức đề nghị", validators=[required("Chọn danh hiệu, hình thức.")])
    year = VNIntegerField("Năm", validators=[required("Nhập năm xét khen thưởng.")])
    basis = SelectField("Loại hình khen thưởng", choices=list(BASES.items()), validators=[required_choice()])
    movement_name = StringField("Phong trào thi đua (nếu khen theo phong trào, chuyên đề)",
                                validators=[optional(), max_length(255)])
    proposing_body_id = SelectField("Đơn vị đề nghị", coerce=_int_or_none, validators=[optional()])
    achievements = TextAreaField("Tóm tắt thành tích", validators=[required("Nhập tóm tắt thành tích."),
                                                                   max_length(5000)])
    initiative = TextAreaField("Sáng kiến được công nhận (tên, quyết định công nhận)",
                               validators=[optional(), max_length(1000)])
    members_total = VNIntegerField("Tổng số thành viên", validators=[optional(), at_least(0)])
    members_completed = VNIntegerField("Số hoàn thành nhiệm vụ", validators=[optional(), at_least(0)])
    members_ldtt = VNIntegerField("Số đạt Lao động tiên tiến", validators=[optional(), at_least(0)])
    members_cstdcs = VNIntegerField("Số đạt Chiến sĩ thi đua cơ sở", validators=[optional(), at_least(0)])
    members_disciplined = VNIntegerField("Số bị kỷ luật từ cảnh cáo trở lên", validators=[optional(), at_least(0)])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        total = self.members_total.data
        for f in (self.members_completed, self.members_ldtt, self.members_cstdcs, self.members_disciplined):
            if total is not None and f.data is not None and f.data > total:
                f.errors = [*f.errors, f"Không thể lớn hơn tổng số thành viên ({total})."]
                ok = False
        return ok


class VoteForm(BaseForm):
    review_on = VNDateField("Ngày họp bình xét", validators=[required("Nhập ngày họp bình xét.")])
    voters = VNIntegerField("Số người biểu quyết", validators=[required("Nhập số người biểu quyết."), at_least(1)])
    votes_for = VNIntegerField("Số phiếu đồng ý", validators=[required_choice("Nhập số phiếu đồng ý."), at_least(0)])
    votes_against = VNIntegerField("Số phiếu không đồng ý", validators=[optional(), at_least(0)])

    def validate_votes_for(self, field):
        voters, against = self.voters.data, self.votes_against.data or 0
        if voters is not None and field.data is not None and field.data + against > voters:
            raise ValidationError(f"Tổng số phiếu đồng ý và không đồng ý ({field.data + against}) lớn hơn số người "
                                  f"biểu quyết ({voters}).")


class PostForm(BaseForm):
    posted_from = VNDateField("Ngày bắt đầu công khai", validators=[required("Nhập ngày bắt đầu công khai.")])
    posting_place = StringField("Nơi niêm yết", validators=[optional(), max_length(255)])


class AppraiseForm(BaseForm):
    appraised_on = VNDateField("Ngày thẩm định", validators=[required("Nhập ngày thẩm định.")])
    council_result = RadioField("Kết quả thẩm định của Hội đồng", choices=[
        ("approved", "Đồng ý đề nghị khen thưởng"), ("rejected", "Không đồng ý")],
        validators=[required_choice("Chọn kết quả thẩm định.")])
    council_note = TextAreaField("Ý kiến của Hội đồng", validators=[optional(), max_length(2000)])


class DecideForm(BaseForm):
    decided_on = VNDateField("Ngày ký quyết định", validators=[required("Nhập ngày ký.")])
    number = VNIntegerField("Số quyết định (để trống: lấy số tiếp theo)", validators=[optional(), at_least(1)])


class ProposeForm(BaseForm):
    proposed_on = VNDateField("Ngày ký tờ trình", validators=[required("Nhập ngày ký.")])
    number = VNIntegerField("Số tờ trình (để trống: lấy số tiếp theo)", validators=[optional(), at_least(1)])


class ReasonForm(BaseForm):
    reason = TextAreaField("Lý do", validators=[required("Vui lòng nêu lý do."), max_length(2000)])


class EmptyForm(BaseForm):
    pass


STEP_FORMS = {"record_vote": VoteForm, "post": PostForm, "appraise": AppraiseForm, "decide": DecideForm,
              "propose": ProposeForm, "refuse": ReasonForm, "return": ReasonForm}


class ObjectionForm(BaseForm):
    content = TextAreaField("Nội dung ý kiến", validators=[required("Vui lòng nhập nội dung ý kiến."),
                                                          max_length(5000)])
    sender_name = StringField("Họ và tên người gửi (không bắt buộc, không công khai)",
                              validators=[optional(), max_length(120)])
    sender_contact = StringField("Điện thoại hoặc địa chỉ liên hệ (không công khai)",
                                 validators=[optional(), max_length(160)])


class ResolveObjectionForm(BaseForm):
    outcome = RadioField("Kết quả xem xét", choices=[
        ("dismissed", "Không có cơ sở, tiếp tục xét"),
        ("forwarded", "Chuyển thành đơn thư để xác minh (tạm dừng xét khen)")],
        validators=[required_choice("Chọn kết quả xem xét.")])
    note = TextAreaField("Nội dung xem xét", validators=[required("Ghi nội dung xem xét."), max_length(2000)])


class FreezeForm(BaseForm):
    reason = TextAreaField("Lý do (ví dụ: đang xem xét kỷ luật theo ...)",
                           validators=[required("Vui lòng nêu lý do."), max_length(2000)])


class AttachmentForm(BaseForm):
    pass


# --- Issue 5: council, season, paperwork ----------------------------------------------------------

from thiduaweb.awards.models import COUNCIL_ROLES, FUND_KINDS, VOTE_METHODS  # noqa: E402
from thiduaweb.core.forms import choices as _choices  # noqa: E402


class CouncilForm(BaseForm):
    name = StringField("Tên Hội đồng", validators=[optional(), max_length(255)])
    established_by = StringField("Quyết định thành lập (số, ngày)", validators=[optional(), max_length(120)])
    term_from = VNDateField("Nhiệm kỳ từ ngày", validators=[required("Nhập ngày bắt đầu nhiệm kỳ.")])
    term_to = VNDateField("Đến ngày", validators=[optional()])


class MemberForm(BaseForm):
    full_name = StringField("Họ và tên", validators=[required("Nhập họ và tên thành viên."), max_length(120)])
    role = SelectField("Vai trò trong Hội đồng", choices=_choices(COUNCIL_ROLES),
                       validators=[required_choice("Chọn vai trò.")])
    job_title = StringField("Chức vụ", validators=[optional(), max_length(160)])
    term_from = VNDateField("Từ ngày (để trống: theo nhiệm kỳ Hội đồng)", validators=[optional()])
    term_to = VNDateField("Đến ngày", validators=[optional()])
    nominee_id = SelectField("Là đối tượng khen thưởng (để không biểu quyết cho chính mình)", coerce=_int_or_none,
                             validators=[optional()])
    household_nominee_id = SelectField("Hộ gia đình của thành viên", coerce=_int_or_none, validators=[optional()])


class SessionForm(BaseForm):
    held_on = VNDateField("Ngày họp", validators=[required("Nhập ngày họp.")])
    place = StringField("Địa điểm", validators=[required("Nhập địa điểm họp."), max_length(255)])
    content = TextAreaField("Nội dung", validators=[optional(), max_length(2000)])


class CouncilVoteForm(BaseForm):
    method = SelectField("Hình thức biểu quyết", choices=_choices(VOTE_METHODS),
                         validators=[required_choice("Chọn hình thức biểu quyết.")])
    votes_for = VNIntegerField("Số phiếu đồng ý", validators=[optional(), at_least(0)])
    votes_against = VNIntegerField("Số phiếu không đồng ý", validators=[optional(), at_least(0)])
    votes_blank = VNIntegerField("Số phiếu trắng, không hợp lệ", validators=[optional(), at_least(0)])
    note = TextAreaField("Ý kiến thảo luận", validators=[optional(), max_length(2000)])


class CloseSessionForm(BaseForm):
    number = VNIntegerField("Số biên bản (để trống: lấy số tiếp theo)", validators=[optional(), at_least(1)])


BULK_LABELS = {"submit": "Gửi đề nghị", "post": "Niêm yết công khai", "start_appraisal": "Chuyển thẩm định",
               "decide": "Ký một quyết định khen thưởng cho tất cả", "propose": "Lập một tờ trình cho tất cả",
               "return": "Trả lại để bổ sung", "refuse": "Không khen thưởng"}


class BulkForm(BaseForm):
    step = SelectField("Bước thực hiện", choices=_choices(BULK_LABELS, blank="— Chọn bước —"),
                       validators=[required("Chọn bước thực hiện.")])
    on = VNDateField("Ngày (ký, công khai)", validators=[optional()])
    number = VNIntegerField("Số văn bản (để trống: lấy số tiếp theo)", validators=[optional(), at_least(1)])
    title = StringField("Trích yếu quyết định (để trống: tự đặt)", validators=[optional(), max_length(255)])
    reason = TextAreaField("Lý do (trả lại, không khen thưởng)", validators=[optional(), max_length(2000)])


class RevokeForm(BaseForm):
    decided_on = VNDateField("Ngày ký quyết định thu hồi", validators=[required("Nhập ngày ký.")])
    number = VNIntegerField("Số quyết định (để trống: lấy số tiếp theo)", validators=[optional(), at_least(1)])
    reason = TextAreaField("Lý do thu hồi", validators=[required("Vui lòng nêu lý do thu hồi."), max_length(2000)])


class AmendForm(BaseForm):
    decided_on = VNDateField("Ngày ký quyết định sửa đổi", validators=[required("Nhập ngày ký.")])
    number = VNIntegerField("Số quyết định (để trống: lấy số tiếp theo)", validators=[optional(), at_least(1)])
    title = StringField("Trích yếu", validators=[optional(), max_length(255)])
    reason = TextAreaField("Lý do sửa đổi, đính chính", validators=[required("Vui lòng nêu lý do."), max_length(2000)])


class FundEntryForm(BaseForm):
    entry_on = VNDateField("Ngày", validators=[required("Nhập ngày.")])
    kind = SelectField("Loại", choices=_choices(FUND_KINDS), validators=[required_choice("Chọn loại.")])
    amount = VNIntegerField("Số tiền (đồng)", validators=[required("Nhập số tiền."), at_least(1)])
    description = StringField("Nội dung", validators=[required("Nhập nội dung."), max_length(255)])


class BaseSalaryForm(BaseForm):
    valid_from = VNDateField("Áp dụng từ ngày", validators=[required("Nhập ngày áp dụng.")])
    amount = VNIntegerField("Mức lương cơ sở (đồng/tháng)", validators=[required("Nhập mức lương."), at_least(1)])
    legal_basis = StringField("Căn cứ (nghị định)", validators=[required("Nhập căn cứ."), max_length(255)])


def certificate_layout_form_class():
    from wtforms import BooleanField

    from thiduaweb.awards.paperwork import CERTIFICATE_FIELDS

    attrs = {
        "page_width_mm": VNIntegerField("Chiều rộng tờ giấy (mm)", validators=[required("Nhập chiều rộng."),
                                                                              at_least(50)]),
        "page_height_mm": VNIntegerField("Chiều cao tờ giấy (mm)", validators=[required("Nhập chiều cao."),
                                                                              at_least(50)]),
        "print_labels": BooleanField("In kèm tên trường (để in thử trên giấy trắng)"),
    }
    for key, (label, *_rest) in CERTIFICATE_FIELDS.items():
        attrs[f"{key}_x"] = VNIntegerField(f"{label}: cách lề trái (mm, 0 = giữa)",
                                           validators=[required_choice("Nhập vị trí."), at_least(0)])
        attrs[f"{key}_y"] = VNIntegerField(f"{label}: cách mép trên (mm)",
                                           validators=[required_choice("Nhập vị trí."), at_least(0)])
        attrs[f"{key}_size"] = VNIntegerField(f"{label}: cỡ chữ",
                                              validators=[required_choice("Nhập cỡ chữ."), at_least(6)])
    return type("CertificateLayoutForm", (BaseForm,), attrs)
