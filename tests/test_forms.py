"""Form fields speak Vietnamese and refuse what is not a number or a date."""
import pytest
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from thiduaweb.core.forms import BaseForm, VNDateField, VNDecimalField, choices
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db


class _Form(BaseForm):
    class Meta:
        csrf = False

    amount = VNDecimalField("Số tiền")
    day = VNDateField("Ngày")
    kind = SelectField("Loại", choices=choices({"village": "Thôn, xóm"}))


@pytest.mark.parametrize(("typed", "value"), [("12,5", "12.5"), ("1.234,5", "1234.5"), ("12.5", "12.5")])
def test_numbers_take_the_vietnamese_decimal_comma(app, typed, value):
    with app.test_request_context():
        form = _Form(MultiDict({"amount": typed, "day": "10/03/2021", "kind": "village"}))
        assert form.validate(), form.errors
        assert str(form.amount.data) == value and form.day.data.isoformat() == "2021-03-10"


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "-inf", "mười hai"])
def test_what_is_not_a_number_is_refused_in_vietnamese(app, typed):
    with app.test_request_context():
        form = _Form(MultiDict({"amount": typed, "kind": "village"}))
        assert not form.validate()
        assert form.amount.errors == ["Giá trị phải là một số, ví dụ 12 hoặc 12,5."]


def test_a_tampered_choice_is_refused_in_vietnamese(app):
    with app.test_request_context():
        form = _Form(MultiDict({"kind": "khong-co"}))
        assert not form.validate()
        assert form.kind.errors == ["Lựa chọn không hợp lệ."]


def test_nested_cross_unit_writes_keep_the_outer_permission(app):
    with cross_unit_writes():
        with cross_unit_writes():
            pass
        assert db.session.info.get("all_units_writes") is True
    assert "all_units_writes" not in db.session.info


def test_control_characters_are_removed_from_typed_text_but_line_breaks_stay(app):
    from wtforms import TextAreaField

    class Note(BaseForm):
        class Meta:
            csrf = False

        text = TextAreaField("Ghi chú")

    with app.test_request_context():
        form = Note(MultiDict({"text": "dòng\x00một\x1b\nhai\tba"}))
        assert form.text.data == "dòngmột\nhai\tba"


def test_a_fields_own_filters_still_run_on_every_form_built(app):
    from wtforms import StringField

    class Named(BaseForm):
        class Meta:
            csrf = False

        name = StringField("Tên", filters=[lambda v: v.strip() if isinstance(v, str) else v])

    with app.test_request_context():
        for _ in range(2):
            assert Named(MultiDict({"name": "  Xóm\x00 Mới  "})).name.data == "Xóm Mới"


def test_an_impossible_date_says_so_once_even_in_a_required_field(app):
    from thiduaweb.core.forms import required

    class Dated(BaseForm):
        class Meta:
            csrf = False

        day = VNDateField("Ngày", validators=[required("Nhập ngày.")])

    with app.test_request_context():
        form = Dated(MultiDict({"day": "31/02/2021"}))
        assert not form.validate()
        assert form.day.errors == ["Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 10/03/2021."]
        assert form.day._value() == "31/02/2021"


def test_a_number_taken_inside_a_rolled_back_unit_of_work_is_free_again(world):
    from thiduaweb.core.numbering import issue_number, peek_next
    from thiduaweb.core.tenancy import unit_scope

    with unit_scope({world.a.id}):
        assert issue_number(world.a.id, "KH", 2021).number == 1
        db.session.rollback()
        assert peek_next(world.a.id, "KH", 2021) == 1
