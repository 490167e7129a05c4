"""Roles and permissions: the whole policy in one readable table.

A membership gives a user a role in a unit. On that unit the user holds every permission of
the role. On the unit's descendants (a city's communes) the user holds only the role's
permissions listed in INHERITED: a city supervisor reads every commune but writes to none.
Views declare what they need with `@requires(...)`; the unit guard enforces it.
"""
from collections.abc import Callable, Iterable

ADMIN = "admin"
SUPERVISOR = "supervisor"
OFFICER = "officer"
COUNCIL = "council"
CHAIRMAN = "chairman"
VIEWER = "viewer"

ROLE_LABELS = {
    ADMIN: "Quản trị hệ thống",
    SUPERVISOR: "Cán bộ Phòng Nội vụ",
    OFFICER: "Công chức phụ trách TĐKT",
    COUNCIL: "Thành viên Hội đồng TĐKT",
    CHAIRMAN: "Chủ tịch UBND",
    VIEWER: "Người xem",
}

_READ = {
    "unit.view", "body.view", "user.view", "audit.view",
}

#: role → permissions on the unit where the membership is held.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    ADMIN: _READ | {"body.manage", "user.manage"},
    SUPERVISOR: _READ | {"body.manage", "user.manage"},
    OFFICER: _READ | {"body.manage"},
    COUNCIL: {"unit.view", "body.view"},
    CHAIRMAN: _READ,
    VIEWER: {"unit.view", "body.view"},
}

#: role → permissions that also hold on every descendant unit.
INHERITED: dict[str, set[str]] = {
    ADMIN: _READ | {"user.manage"},
    SUPERVISOR: _READ | {"user.manage"},
}

#: Roles whose holders read the rows of every descendant unit from their own unit's pages.
READS_DESCENDANTS = {ADMIN, SUPERVISOR}


def grant(permissions: Iterable[str], *, roles: Iterable[str], inherited_by: Iterable[str] = ()) -> None:
    """Add a feature's permissions to the table (called once, at import of the feature)."""
    permissions = set(permissions)
    for role in roles:
        ROLE_PERMISSIONS[role] |= permissions
    for role in inherited_by:
        INHERITED.setdefault(role, set()).update(permissions)


def read_only(permissions: Iterable[str]) -> frozenset[str]:
    """Of `permissions`, those that only read: what a supervisor holds on the units below it, but
    managing their accounts (a locked unit, see `units.services.access_for`)."""
    reading = INHERITED[SUPERVISOR] - {"user.manage"}
    return frozenset(p for p in permissions if p in reading)


def permissions_for(direct_roles: Iterable[str], ancestor_roles: Iterable[str]) -> frozenset[str]:
    """Permissions from roles held on the unit itself and on its ancestors."""
    granted: set[str] = set()
    for role in direct_roles:
        granted |= ROLE_PERMISSIONS.get(role, set())
    for role in ancestor_roles:
        granted |= INHERITED.get(role, set())
    return frozenset(granted)


def requires(permission: str) -> Callable:
    """Declare the permission a unit view needs. The unit guard enforces it."""

    def mark(view: Callable) -> Callable:
        view.required_permission = permission
        return view

    return mark
