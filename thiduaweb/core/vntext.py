"""Vietnamese text helpers: folding, name sorting, slugs, dates and numbers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

_WHITESPACE = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")

# Combining marks that change a Vietnamese letter (ă, â, ê, ô, ơ, ư), ranked a < ă < â, o < ô < ơ.
_LETTER_MARK_RANK = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
# Tone marks in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics but keep the case: "Đồng Liên" -> "Dong Lien"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def collapse_whitespace(text: str) -> str:
    """Trim and turn every run of whitespace into one space."""
    return _WHITESPACE.sub(" ", text).strip()


def fold(text: str | None) -> str:
    """Search form: lowercase, no diacritics, single spaces ("Đồng Liên" -> "dong lien")."""
    if not text:
        return ""
    return collapse_whitespace(strip_diacritics(text).lower())


def _letter_and_tone_ranks(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Rank the letter marks (ă, â, đ...) and the tones of a text, for ties after folding."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch == "đ":
            letters.append(1)
            tones.append(0)
        elif ch in _LETTER_MARK_RANK and letters:
            letters[-1] = _LETTER_MARK_RANK[ch]
        elif ch in _TONE_RANK and tones:
            tones[-1] = _TONE_RANK[ch]
        elif not unicodedata.combining(ch):
            letters.append(0)
            tones.append(0)
    return tuple(letters), tuple(tones)


def _part_key(part: str) -> tuple:
    letters, tones = _letter_and_tone_ranks(part)
    return (fold(part), letters, tones, part)


def name_sort_key(full_name: str | None) -> tuple:
    """Sort key for a Vietnamese person's name: given name, then family name, then middle names.

    This is the order of Vietnamese class and staff lists: "Lê Văn An" < "Trần Thị An"
    < "Nguyễn Văn Bình". Each part compares without diacritics first, then by Vietnamese
    letter order (a < ă < â, d < đ, o < ô < ơ, u < ư) and tones: "An" < "Ân" < "Anh".
    """
    words = collapse_whitespace(full_name or "").split(" ")
    given = words[-1]
    middle = " ".join(words[1:-1])
    family = words[0] if len(words) > 1 else ""
    return (_part_key(given), _part_key(family), _part_key(middle))


def slugify(text: str | None) -> str:
    """URL-safe ASCII slug: "Xã Đồng Liên" -> "xa-dong-lien"."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")


def format_date(d: date | None) -> str:
    """Vietnamese date "dd/mm/yyyy"; empty for no date."""
    if d is None:
        return ""
    return d.strftime("%d/%m/%Y")


def format_number(n: int | float | Decimal | None, decimals: int = 0) -> str:
    """Vietnamese number: "." between thousands, "," before decimals ("1.234.567", "1.234,5")."""
    if n is None:
        return ""
    english = f"{n:,.{decimals}f}"
    return english.replace(",", "\0").replace(".", ",").replace("\0", ".")
