"""Factories as plain functions with sensible defaults; each commits what it makes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import count

from tests.helpers import PASSWORD
from thiduaweb.accounts.models import Membership, User
from thiduaweb.accounts.passwords import hash_password
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db
from thiduaweb.units.models import Body, Unit

_seq = count(1)
_password_hash: dict[str, str] = {}


def make_unit(name: str, *, kind: str = "commune", parent: Unit | None = None, code: str | None = None,
              slug: str | None = None, valid_from: date = date(2020, 1, 1), valid_to: date | None = None) -> Unit:
    from thiduaweb.core.vntext import slugify

    unit = Unit(code=code or f"{90000 + next(_seq)}", name=name, kind=kind, parent=parent,
                slug=slug or slugify(name), valid_from=valid_from, valid_to=valid_to, path="/",
                place_name=name.split(" ", 1)[-1])
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.session.commit()
    return unit


def make_user(username: str, unit: Unit | None = None, roles: tuple[str, ...] = ("officer",), *,
              full_name: str | None = None, active: bool = True) -> User:
    if PASSWORD not in _password_hash:
        _password_hash[PASSWORD] = hash_password(PASSWORD)
    user = User(username=username, full_name=full_name or f"Người dùng {username}",
                password_hash=_password_hash[PASSWORD], active=active)
    db.session.add(user)
    if unit is not None:
        for role in roles:
            user.memberships.append(Membership(unit_id=unit.id, role=role))
    db.session.commit()
    return user


def make_body(unit: Unit, name: str = "Xóm Cây Thị", kind: str = "village", **kwargs) -> Body:
    with cross_unit_writes():
        body = Body(unit_id=unit.id, name=name, kind=kind, **kwargs)
        db.session.add(body)
        db.session.commit()
    return body


@dataclass
class World:
    city: Unit
    a: Unit
    b: Unit
    users: dict[str, User] = field(default_factory=dict)


def make_world() -> World:
    """A city with two communes and a user for every role."""
    province = make_unit("Tỉnh Thái Nguyên", kind="province", code="19", slug="tinh-thai-nguyen-truoc-2025")
    city = make_unit("Thành phố Thái Nguyên", kind="city", parent=province, code="164", slug="tp-thai-nguyen")
    a = make_unit("Xã Đồng Liên", parent=city, code="05914", slug="xa-dong-lien")
    b = make_unit("Xã Tân Cương", parent=city, code="05503", slug="xa-tan-cuong")
    world = World(city=city, a=a, b=b)
    for key, unit, roles in [
        ("admin", city, ("admin",)),
        ("supervisor", city, ("supervisor",)),
        ("officer_a", a, ("officer",)),
        ("chairman_a", a, ("chairman",)),
        ("council_a", a, ("council",)),
        ("officer_b", b, ("officer",)),
        ("chairman_b", b, ("chairman",)),
    ]:
        world.users[key] = make_user(key.replace("_", "."), unit, roles, full_name=f"Cán bộ {key}")
    return world
