"""The demo world: Thái Nguyên city in 2021 and today's tỉnh Thái Nguyên (`flask seed-demo`).

Each feature contributes a module with `seed(world)`; they run in the order below, each one
idempotent (it checks whether its data is already there).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from thiduaweb.core.audit import set_actor
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db

STEPS = [
    "thiduaweb.units.demo",
    "thiduaweb.accounts.demo",
    "thiduaweb.plans.demo",
    "thiduaweb.movements.demo",
    "thiduaweb.awards.demo",
    "thiduaweb.complaints.demo",
    "thiduaweb.inspections.demo",
    "thiduaweb.clusters.demo",
    "thiduaweb.exemplars.demo",
]

DEMO_PASSWORD = "ThiDua@2021"


@dataclass
class World:
    """What earlier steps made, for later steps to build on."""

    units: dict = field(default_factory=dict)  # by slug
    users: dict = field(default_factory=dict)  # by username
    extra: dict = field(default_factory=dict)

    @property
    def city(self):
        return self.units["tp-thai-nguyen"]

    @property
    def dong_lien(self):
        return self.units["xa-dong-lien"]

    @property
    def tan_cuong(self):
        return self.units["xa-tan-cuong"]


def seed_demo() -> World:
    world = World()
    set_actor(db.session(), None, "Dữ liệu mẫu")
    with cross_unit_writes():
        for step in STEPS:
            import_module(step).seed(world)
            db.session.commit()
    return world
