"""Demo units: Thái Nguyên city with its 32 communes and wards of 2021, today's tỉnh Thái Nguyên
with its 92 units, the successor links between them, and the bodies of Đồng Liên and Tân Cương."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select

from thiduaweb.extensions import db
from thiduaweb.units.models import Body, Unit, UnitSuccession
from thiduaweb.units.official import REFORM_DATE, import_official, upsert_unit

DATA = Path(__file__).resolve().parent / "data" / "thai-nguyen-city-units-before-2025.csv"
#: The demo records the 2021 units from this date; their earlier history is not loaded.
OLD_VALID_FROM = date(2020, 1, 1)
OLD_VALID_TO = date(2025, 6, 30)
KIND_2021 = {"xã": "commune", "phường": "ward", "thị trấn": "township"}

BODIES = {
    "xa-dong-lien": [
        ("village", "Xóm Cây Thị"), ("village", "Xóm Đồng Liên"), ("village", "Xóm Mỹ Khánh"),
        ("village", "Xóm Thanh Xuyên"), ("village", "Xóm Trung Thành"), ("village", "Xóm Tân Thành"),
        ("school", "Trường Mầm non Đồng Liên"), ("school", "Trường Tiểu học Đồng Liên"),
        ("school", "Trường THCS Đồng Liên"),
        ("mass_org", "Ủy ban Mặt trận Tổ quốc xã"), ("mass_org", "Hội Nông dân xã"),
        ("mass_org", "Hội Liên hiệp Phụ nữ xã"), ("mass_org", "Đoàn Thanh niên xã"),
        ("mass_org", "Hội Cựu chiến binh xã"),
        ("office", "Văn phòng HĐND - UBND xã"), ("office", "Trạm Y tế xã"), ("office", "Công an xã"),
        ("enterprise", "Hợp tác xã Chè Đồng Liên"),
    ],
    "xa-tan-cuong": [
        ("village", "Xóm Hồng Thái 1"), ("village", "Xóm Hồng Thái 2"), ("village", "Xóm Nam Tiến"),
        ("village", "Xóm Guộc"), ("school", "Trường Tiểu học Tân Cương"), ("school", "Trường THCS Tân Cương"),
        ("mass_org", "Hội Nông dân xã"), ("mass_org", "Hội Liên hiệp Phụ nữ xã"),
        ("office", "Văn phòng HĐND - UBND xã"), ("enterprise", "Hợp tác xã Chè Tân Cương"),
    ],
}


def seed(world) -> None:
    old_province = upsert_unit(code="19", name="Tỉnh Thái Nguyên", kind="province", parent=None,
                               valid_from=date(1997, 1, 1), valid_to=OLD_VALID_TO,
                               slug="tinh-thai-nguyen-truoc-2025")
    city = upsert_unit(code="164", name="Thành phố Thái Nguyên", kind="city", parent=old_province,
                       valid_from=date(1962, 10, 19), valid_to=OLD_VALID_TO, place_name="Thái Nguyên",
                       slug="tp-thai-nguyen")
    rows = _rows()
    old_units = {}
    for row in rows:
        if row["code_2021"] not in old_units:
            old_units[row["code_2021"]] = upsert_unit(
                code=row["code_2021"], name=row["name_2021"], kind=KIND_2021[row["kind_2021"]], parent=city,
                valid_from=OLD_VALID_FROM, valid_to=OLD_VALID_TO)
    new_province, _ = import_official(19)
    new_units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.parent_id == new_province.id))}
    _link(old_province, new_province, "whole")
    _link(city, new_province, "whole")
    for row in rows:
        _link(old_units[row["code_2021"]], new_units[row["successor_code_2025"]], row["merged"])
    db.session.flush()
    for unit in [old_province, city, *old_units.values(), new_province, *new_units.values()]:
        world.units[unit.slug] = unit
    _seed_bodies(world)


def _rows() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _link(predecessor: Unit, successor: Unit, extent: str) -> None:
    exists = db.session.scalar(select(UnitSuccession).where(
        UnitSuccession.predecessor_id == predecessor.id, UnitSuccession.successor_id == successor.id))
    if exists is None:
        db.session.add(UnitSuccession(predecessor=predecessor, successor=successor,
                                      extent="partly" if extent == "partly" else "whole",
                                      effective_on=REFORM_DATE))


def _seed_bodies(world) -> None:
    for slug, bodies in BODIES.items():
        unit = world.units[slug]
        existing = set(db.session.scalars(
            select(Body.name).where(Body.unit_id == unit.id).execution_options(all_units=True)))
        for index, (kind, name) in enumerate(bodies):
            if name not in existing:
                db.session.add(Body(unit_id=unit.id, kind=kind, name=name,
                                    member_count=120 + 37 * index if kind == "village" else 15 + 3 * index))
