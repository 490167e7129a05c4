"""Legal deadlines: calendar days, working days, Vietnamese holidays and Tết."""

from datetime import date

from thiduaweb.core.calendar import (
    add_days,
    days_left,
    is_public_holiday,
    is_working_day,
    working_days_between,
)


def test_day_one_is_the_day_after_receipt():
    received = date(2021, 3, 5)
    assert add_days(received, 1, working_days=False) == date(2021, 3, 6)
    assert add_days(received, 0, working_days=True) == received


def test_complaint_acceptance_within_10_calendar_days_of_receipt():
    assert add_days(date(2021, 3, 5), 10, working_days=False) == date(2021, 3, 15)


def test_calendar_day_deadline_is_not_moved_off_a_weekend():
    # 30 days from Thursday 10/06/2021 ends on Saturday 10/07/2021.
    assert add_days(date(2021, 6, 10), 30, working_days=False) == date(2021, 7, 10)


def test_a_working_day_deadline_skips_tet_2021():
    # Tết Tân Sửu: 10/02 to 16/02/2021 are holidays.
    assert add_days(date(2021, 2, 9), 1, working_days=True) == date(2021, 2, 17)
    assert add_days(date(2021, 2, 5), 7, working_days=True) == date(2021, 2, 23)


def test_tet_2025_is_not_a_working_day():
    for day in range(27, 32):
        assert not is_working_day(date(2025, 1, day))
    assert is_working_day(date(2025, 2, 3))


def test_denunciation_received_on_friday_30_april_2021_ends_after_the_holidays():
    # 7 working days: 30/4, 1/5 and the observed 3/5 are off; day 1 is Tuesday 04/05.
    assert add_days(date(2021, 4, 30), 7, working_days=True) == date(2021, 5, 12)


def test_a_day_off_declared_by_the_unit_pushes_the_deadline():
    extra = [date(2021, 5, 10)]
    assert add_days(date(2021, 4, 30), 7, working_days=True, extra_days_off=extra) == date(
        2021, 5, 13
    )


def test_extra_days_off_may_be_a_generator():
    extra = (d for d in [date(2021, 5, 10)])
    assert not is_working_day(date(2021, 5, 10), extra)


def test_weekends_and_public_holidays_are_not_working_days():
    assert not is_working_day(date(2021, 3, 6))  # Saturday
    assert not is_working_day(date(2021, 3, 7))  # Sunday
    assert not is_working_day(date(2021, 4, 21))  # Giỗ Tổ Hùng Vương 10/3 lunar
    assert not is_working_day(date(2021, 9, 2))  # Quốc khánh
    assert not is_working_day(date(2021, 9, 3))
    assert not is_working_day(date(2021, 1, 1))
    assert is_working_day(date(2021, 3, 10))  # an ordinary Wednesday


def test_public_holidays_are_known_in_any_year():
    assert is_public_holiday(date(2024, 2, 10))
    assert is_public_holiday(date(2030, 4, 30))
    assert not is_public_holiday(date(2030, 4, 29))


def test_working_days_between_undoes_add_days():
    start = date(2021, 2, 1)
    for n in (1, 5, 7, 10, 30):
        end = add_days(start, n, working_days=True)
        assert working_days_between(start, end) == n


def test_working_days_between_counts_after_the_first_day():
    assert working_days_between(date(2021, 3, 8), date(2021, 3, 8)) == 0
    assert working_days_between(date(2021, 3, 8), date(2021, 3, 12)) == 4
    assert working_days_between(date(2021, 3, 12), date(2021, 3, 8)) == -4


def test_negative_working_days_count_backwards():
    assert add_days(date(2021, 5, 4), -1, working_days=True) == date(2021, 4, 29)


def test_days_left_is_zero_on_the_last_day_and_negative_when_overdue():
    deadline = date(2021, 5, 12)
    assert days_left(deadline, date(2021, 5, 9)) == 3
    assert days_left(deadline, deadline) == 0
    assert days_left(deadline, date(2021, 5, 13)) == -1
