"""Loading administrative units: a province's official post-2025 units, and the path cache."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from thiduaweb.core.vntext import slugify
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit

#: The day the two-tier local government took effect (Nghị quyết 202/2025/QH15).
REFORM_DATE = date(2025, 7, 1)

KIND_BY_DIVISION = {
    "tỉnh": "province",
    "thành phố trung ương": "central_city",
    "xã": "commune",
    "phường": "ward",
    "đặc khu": "special_zone",
}


class UnknownProvince(ValueError):
    pass


def official_province(code: int | str):
    """The province and its communes/wards from the `vietnam-provinces` package."""
    from vietnam_provinces import Province, ProvinceCode, Ward

    try:
        province = Province.from_code(ProvinceCode(int(code)))
    except (ValueError, KeyError):
        raise UnknownProvince(f"Không có tỉnh, thành phố mã {code} trong danh mục chính thức.") from None
    wards = sorted(Ward.iter_by_province(province.code), key=lambda w: int(w.code))
    return province, wards


def unique_slug(name: str, year: int) -> str:
    base = slugify(name)
    taken = set(db.session.scalars(select(Unit.slug).where(Unit.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    candidate = f"{base}-{year}"
    n = 2
    while candidate in taken:
        candidate = f"{base}-{year}-{n}"
        n += 1
    return candidate


def upsert_unit(*, code: str, name: str, kind: str, parent: Unit | None, valid_from: date,
                valid_to: date | None = None, place_name: str | None = None, slug: str | None = None) -> Unit:
    """The unit with this code and validity start, created or brought up to date (no commit)."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code, Unit.valid_from == valid_from))
    if unit is None:
        unit = Unit(code=code, valid_from=valid_from, slug=slug or unique_slug(name, valid_from.year), path="/")
        db.session.add(unit)
    unit.name, unit.kind, unit.parent, unit.valid_to = name, kind, parent, valid_to
    unit.place_name = place_name or _place_from_name(name)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def _place_from_name(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu ", "Thị xã ", "Huyện "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def import_official(province_code: int | str) -> tuple[Unit, int]:
    """Load a province and its official communes and wards valid from 01/7/2025. Commits.

    Idempotent: a second run updates names and kinds, adds what is new, and removes nothing.
    """
    province, wards = official_province(province_code)
    root = upsert_unit(code=f"{int(province.code):02d}", name=_province_title(province), kind=KIND_BY_DIVISION.get(
        province.division_type.value, "province"), parent=None, valid_from=REFORM_DATE)
    for ward in wards:
        upsert_unit(code=f"{int(ward.code):05d}", name=ward.name,
                    kind=KIND_BY_DIVISION.get(ward.division_type.value, "commune"), parent=root,
                    valid_from=REFORM_DATE)
    db.session.commit()
    return root, len(wards)


def _province_title(province) -> str:
    prefix = "Thành phố" if province.division_type.value == "thành phố trung ương" else "Tỉnh"
    return f"{prefix} {province.name}"
