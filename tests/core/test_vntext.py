"""Vietnamese text: search folding, name order, slugs, dates and numbers as users write them."""

from datetime import date, datetime
from decimal import Decimal

from thiduaweb.core.vntext import (
    fold,
    format_date,
    format_number,
    name_sort_key,
    slugify,
    strip_diacritics,
)


def test_fold_finds_a_commune_typed_without_accents():
    assert fold("Đồng Liên") == "dong lien"
    assert fold("  XÃ   ĐỒNG\tLIÊN ") == "xa dong lien"


def test_fold_strips_every_vowel_mark_and_tone():
    assert fold("Ắ ẵ Ợ ự ỹ Ê ơ ư") == "a a o u y e o u"


def test_fold_of_nothing_is_empty():
    assert fold(None) == ""
    assert fold("") == ""


def test_strip_diacritics_keeps_the_case():
    assert strip_diacritics("Đồng Liên") == "Dong Lien"


def test_people_are_listed_by_given_name_then_family_name():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An"]
    assert sorted(names, key=name_sort_key) == ["Lê Văn An", "Trần Thị An", "Nguyễn Văn Bình"]


def test_middle_names_decide_when_given_and_family_names_match():
    names = ["Lê Văn An", "Lê Thị An", "Lê An"]
    assert sorted(names, key=name_sort_key) == ["Lê An", "Lê Thị An", "Lê Văn An"]


def test_an_comes_before_an_with_circumflex_and_before_anh():
    names = ["Phạm Anh", "Phạm Ân", "Phạm An"]
    assert sorted(names, key=name_sort_key) == ["Phạm An", "Phạm Ân", "Phạm Anh"]


def test_vietnamese_letter_order_breaks_ties_after_folding():
    assert sorted(["Lê Văn Đức", "Lê Văn Dức"], key=name_sort_key) == ["Lê Văn Dức", "Lê Văn Đức"]
    assert sorted(["Hà Ân", "Hà Ăn", "Hà An"], key=name_sort_key) == ["Hà An", "Hà Ăn", "Hà Ân"]


def test_tones_follow_dictionary_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    names = ["Lê Mạ", "Lê Má", "Lê Mã", "Lê Mả", "Lê Mà", "Lê Ma"]
    assert sorted(names, key=name_sort_key) == ["Lê Ma", "Lê Mà", "Lê Mả", "Lê Mã", "Lê Má", "Lê Mạ"]


def test_family_name_decides_before_middle_names():
    names = ["Trần Anh An", "Lê Văn An"]
    assert sorted(names, key=name_sort_key) == ["Lê Văn An", "Trần Anh An"]


def test_single_word_names_and_extra_spaces_sort_without_error():
    names = ["  Nguyễn   Thị  Hoa ", "Hoa", "Bình"]
    assert sorted(names, key=name_sort_key) == ["Bình", "Hoa", "  Nguyễn   Thị  Hoa "]


def test_slug_of_a_commune_name():
    assert slugify("Xã Đồng Liên") == "xa-dong-lien"
    assert slugify("  Kế hoạch số 26/KH-UBND!  ") == "ke-hoach-so-26-kh-ubnd"


def test_dates_read_day_month_year():
    assert format_date(date(2021, 3, 5)) == "05/03/2021"
    assert format_date(datetime(2021, 12, 31, 8, 30)) == "31/12/2021"
    assert format_date(None) == ""


def test_numbers_use_dots_for_thousands_and_comma_for_decimals():
    assert format_number(1234567) == "1.234.567"
    assert format_number(1234.5, 1) == "1.234,5"
    assert format_number(Decimal("447000.00")) == "447.000"
    assert format_number(-2500) == "-2.500"
    assert format_number(999) == "999"
    assert format_number(None) == ""
