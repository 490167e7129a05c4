"""Synthetic data at realistic rates, for benchmarks (`flask seed-scale --communes N --years Y`).

A synthetic province ("Tỉnh Mẫu Quy Mô") with N communes, each with its villages, schools and
mass organisations and an officer. Features add their own rows through `SCALE_STEPS`: modules
with `seed_scale(context)` where `context` has the province, the communes, the years and a
random generator. Rows are written in bulk and, being synthetic, are not audited.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from sqlalchemy import func, insert, select, text

from thiduaweb.accounts.models import Membership, User
from thiduaweb.accounts.passwords import hash_password
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db
from thiduaweb.units.models import Body, Unit

SCALE_STEPS: list[str] = ["thiduaweb.dashboard.scale"]
PROVINCE_CODE = "S99"


@dataclass
class ScaleContext:
    province: Unit
    communes: list[Unit]
    years: list[int]
    rng: random.Random
    summary: dict = field(default_factory=dict)


def seed_scale(*, communes: int, years: int, seed: int = 2021) -> dict:
    rng = random.Random(seed)
    with cross_unit_writes():
        province = _province()
        units = _communes(province, communes)
        _bodies_and_officers(units, rng)
        db.session.commit()
        this_year = date.today().year
        context = ScaleContext(province, units, list(range(this_year - years + 1, this_year + 1)), rng)
        context.summary.update({"đơn vị": len(units) + 1})
        for step in SCALE_STEPS:
            import_module(step).seed_scale(context)
            db.session.commit()
    refresh_planner_statistics()
    return context.summary


def refresh_planner_statistics() -> None:
    """What autovacuum would do after a while, at once. After a bulk load, PostgreSQL's planner still
    believes the tables are small and picks nested loops that take seconds (the city dashboard: 1.3 s →
    18 ms); and no page of the new rows is marked all-visible yet, so every index-only scan reads the
    table as well (the count of a commune's 1,500 nominations: 1,500 reads of the table instead of none)."""
    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def _province() -> Unit:
    province = db.session.scalar(select(Unit).where(Unit.code == PROVINCE_CODE))
    if province is None:
        province = Unit(code=PROVINCE_CODE, name="Tỉnh Mẫu Quy Mô", kind="province", slug="tinh-mau-quy-mo",
                        valid_from=date(2025, 7, 1), path="/")
        db.session.add(province)
        db.session.flush()
        province.path = f"/{province.id}/"
        supervisor = User(username="tinh-mau-quy-mo.noivu", full_name="Cán bộ Sở Nội vụ (mẫu)",
                          password_hash=hash_password("ThiDua@2021"))
        supervisor.memberships.append(Membership(unit_id=province.id, role="supervisor"))
        db.session.add(supervisor)
    return province


def _communes(province: Unit, wanted: int) -> list[Unit]:
    existing = list(db.session.scalars(select(Unit).where(Unit.parent_id == province.id).order_by(Unit.id)))
    for n in range(len(existing) + 1, wanted + 1):
        unit = Unit(code=f"S{n:05d}", name=f"Xã Mẫu {n}", kind="commune" if n % 4 else "ward",
                    slug=f"xa-mau-{n}", parent_id=province.id, valid_from=date(2025, 7, 1), path="/")
        db.session.add(unit)
        db.session.flush()
        unit.path = f"{province.path}{unit.id}/"
        existing.append(unit)
    return existing[:wanted]


def _bodies_and_officers(units: list[Unit], rng: random.Random) -> None:
    have_bodies = set(db.session.scalars(select(Body.unit_id).distinct().execution_options(all_units=True)))
    password = hash_password("ThiDua@2021")
    rows = []
    for unit in units:
        if unit.id in have_bodies:
            continue
        rows += [{"unit_id": unit.id, "name": f"Xóm {i}", "kind": "village", "member_count": rng.randint(80, 400),
                  "active": True} for i in range(1, rng.randint(8, 16))]
        rows += [{"unit_id": unit.id, "name": name, "kind": kind, "member_count": rng.randint(10, 60), "active": True}
                 for kind, name in [("school", "Trường Tiểu học"), ("school", "Trường THCS"),
                                    ("mass_org", "Hội Nông dân"), ("mass_org", "Hội Phụ nữ"),
                                    ("office", "Văn phòng UBND")]]
        user = User(username=f"{unit.slug}.canbo", full_name=f"Cán bộ {unit.name}", password_hash=password)
        user.memberships.append(Membership(unit_id=unit.id, role="officer"))
        db.session.add(user)
    if rows:
        db.session.execute(insert(Body), rows)


def count_rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model).execution_options(all_units=True))
