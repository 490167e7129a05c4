"""Form building blocks with Vietnamese messages, shared by every feature."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation, ValidationError,
)

__all__ = ["BaseForm", "choices", "VNDateField", "parse_vn_date", "VNDecimalField", "VNIntegerField", "MultiCheckboxField", "required",
           "max_length", "optional", "at_least", "date_not_before", "ValidationError"]


def choices(options, *, blank: str | None = None) -> list[SelectChoice]:
    """Choices for a select from a {value: label} dict or (value, label) pairs; `blank` adds an empty first one."""
    pairs = list(options.items()) if isinstance(options, dict) else list(options)
    result = [SelectChoice("", blank)] if blank is not None else []
    return result + [SelectChoice(str(value), label) for value, label in pairs]


#: WTForms ships no Vietnamese catalogue: its own messages (a tampered select, a bad number
#: in a field without our validators) are translated here.
WTFORMS_VI = {
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Choices cannot be None.": "Lựa chọn không hợp lệ.",
    "'%(value)s' is not a valid choice for this field.": "“%(value)s” không phải là lựa chọn hợp lệ.",
    "'%(value)s' are not valid choices for this field.": "“%(value)s” không phải là các lựa chọn hợp lệ.",
    "This field is required.": "Vui lòng nhập thông tin này.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid email address.": "Địa chỉ thư điện tử không hợp lệ.",
    "Invalid URL.": "Địa chỉ trang web không hợp lệ.",
    "Not a valid integer value.": "Giá trị phải là một số nguyên.",
    "Not a valid decimal value.": "Giá trị phải là một số.",
    "Not a valid float value.": "Giá trị phải là một số.",
    "Not a valid date value.": "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm.",
    "Not a valid datetime value.": "Thời điểm không hợp lệ.",
    "Not a valid time value.": "Giờ không hợp lệ.",
    "Number must be at least %(min)s.": "Giá trị phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Giá trị không được lớn hơn %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Giá trị phải từ %(min)s đến %(max)s.",
    "Field must be equal to %(other_name)s.": "Giá trị phải giống ô %(other_name)s.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Tối đa %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Tối đa %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Cần đúng %(max)d ký tự.",
    "Field must be exactly %(max)d characters long.": "Cần đúng %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": "Cần từ %(min)d đến %(max)d ký tự.",
    "This field cannot be edited.": "Không được sửa ô này.",
    "This field is disabled and cannot have a value.": "Ô này bị khóa, không nhận giá trị.",
}


class _VietnameseMessages:
    def gettext(self, message: str) -> str:
        return WTFORMS_VI.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(value):
    """Typed text keeps its line breaks and tabs but loses NUL and other control characters,
    which no one types on purpose and PostgreSQL refuses to store."""
    return _CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """All forms: CSRF from Flask-WTF, Vietnamese messages (ours, and WTForms' own translated),
    control characters removed from every typed value."""

    class Meta:
        def get_translations(self, form):
            return _VietnameseMessages()

        def bind_field(self, form, unbound_field, options):
            # The field's own filters come after; options override the field's kwargs in bind().
            options["filters"] = (strip_control_characters, *unbound_field.kwargs.get("filters", ()))
            return unbound_field.bind(form=form, **options)

    def add_error(self, field: str, message: str) -> None:
        """Attach a service's refusal to the field it concerns (or to the form)."""
        target = getattr(self, field, None) if field else None
        if target is not None:
            target.errors = [*target.errors, message] if isinstance(target.errors, list) else [message]
        else:
            self.form_errors.append(message)


def required(message: str = "Vui lòng nhập thông tin này."):
    return DataRequired(message=message)


def required_choice(message: str = "Vui lòng chọn một mục."):
    return InputRequired(message=message)


def max_length(n: int):
    return Length(max=n, message=f"Tối đa {n} ký tự.")


def optional():
    return Optional()


def at_least(n: int | float):
    return NumberRange(min=n, message=f"Giá trị phải từ {n} trở lên.")


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
BAD_DATE = "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 10/03/2021."


def parse_vn_date(text: str | None) -> date | None:
    """dd/mm/yyyy or yyyy-mm-dd → date; empty → None; anything else raises ValueError(BAD_DATE)."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(BAD_DATE)


class _ParsedField:
    """A typed value that could not be read keeps only that message (not "required" as well)."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        super().pre_validate(form)


class VNDateField(_ParsedField, DateField):
    """A date typed as dd/mm/yyyy or sent by an <input type=date> as yyyy-mm-dd."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=DATE_FORMATS[0], **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            self.data = parse_vn_date(valuelist[0])

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if isinstance(self.data, date) else ""


class VNDecimalField(_ParsedField, DecimalField):
    """A number typed with a Vietnamese decimal comma ("12,5") or a point."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
        if self.data is None or not self.data.is_finite():  # "NaN" and "Infinity" parse, but are no numbers
            self.data = None
            raise ValueError("Giá trị phải là một số, ví dụ 12 hoặc 12,5.")


class VNIntegerField(_ParsedField, IntegerField):
    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip().replace(".", ""))
        except ValueError:
            self.data = None
            raise ValueError("Giá trị phải là một số nguyên.") from None


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        allowed = {getattr(choice, "value", choice[0] if isinstance(choice, tuple) else choice)
                   for choice in (self.choices or [])}
        for value in self.data or []:
            if allowed and value not in allowed:
                raise ValidationError("Lựa chọn không hợp lệ.")


def date_not_before(other_field: str, message: str = "Ngày kết thúc không được trước ngày bắt đầu."):
    """Validator: this date is on or after the date in `other_field`."""

    def check(form, field):
        other = getattr(form, other_field).data
        if field.data and other and field.data < other:
            raise ValidationError(message)

    return check
