"""Accounts: authentication, passwords, and managing the users of a unit."""
from __future__ import annotations

import functools
import secrets
from datetime import datetime, timezone

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import joinedload

from thiduaweb.accounts.models import Membership, User
from thiduaweb.accounts.passwords import check_password, dummy_check, hash_password
from thiduaweb.core import audit, revisions, vntext
from thiduaweb.core.permissions import ROLE_LABELS
from thiduaweb.extensions import db

MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A request the rules refuse; `field` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None — never saying which part was wrong."""
    user = db.session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        dummy_check(password or "")
        return None
    if not check_password(user.password_hash, password or "") or not user.active:
        return None
    user.last_login_at = datetime.now(timezone.utc)
    db.session.commit()
    return user


def load_user(session_id: str) -> User | None:
    """Flask-Login loader: "<id>:<session_version>", so a password change ends old sessions.

    A unit page reads the user's revision with the unit's counters (core/revisions.py), before the user
    is needed: while it stands, the copy this process kept of the user (with memberships and their units)
    is merged into the request's session without SQL. The revision is raised with any change of the
    user, of their memberships or of a unit they hold one in; a copy is kept under the revision read
    before it was loaded, so a change made between the two reads is seen by the next request."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    read = revisions.user_revision(user_id)  # None on a page outside any unit: loaded, not kept
    known = revisions.peek(("user", user_id)) if read is not None else None
    if known is not None and known[1] == read:
        user = db.session.merge(known[0], load=False)
    else:
        user = db.session.execute(_user_with_units(), {"user_id": user_id}).unique().scalar_one_or_none()
        if user is not None and read is not None:
            revisions.put(("user", user_id), (_detached_copy(user), read))
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def _detached_copy(user: User) -> User:
    """A copy of the user with their memberships and the columns of their units, in no session. Not the
    units' relationships (a parent, successions): merged into a request, they would write over the ones
    the page read afresh with the unit's counters, which the user's revision does not follow."""
    copy = revisions.detached_copy(user)
    for membership in copy.memberships:
        state = inspect(membership.unit)
        for relationship in state.mapper.relationships:
            state.dict.pop(relationship.key, None)
    return copy


@functools.cache
def _user_with_units():
    """The user with their memberships and units, in one statement: every page asks for them. Built
    once: composing the eager loads cost more than running the statement."""
    return select(User).where(User.id == bindparam("user_id")).options(
        joinedload(User.memberships).joinedload(Membership.unit))


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự."
    if password.isdigit() or password.isalpha():
        return "Mật khẩu cần có cả chữ và số."
    return None


def change_password(user: User, current: str, new: str) -> None:
    """Change the user's own password. Commits; other sessions of the user end."""
    if not check_password(user.password_hash, current):
        raise AccountError("Mật khẩu hiện tại không đúng.", "current_password")
    problem = password_problem(new)
    if problem:
        raise AccountError(problem, "new_password")
    _set_password(user, new)
    db.session.commit()


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.session_version += 1


def units_users(unit_ids: list[int], *, search: str = "", role: str = "", status: str = "") -> list[User]:
    """Users holding a membership in any of `unit_ids`, sorted by given name."""
    stmt = select(User).join(Membership).where(Membership.unit_id.in_(unit_ids)).distinct()
    if role:
        stmt = stmt.where(Membership.role == role)
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    users = list(db.session.scalars(stmt))
    if search:
        needle = vntext.fold(search)
        users = [u for u in users if needle in vntext.fold(f"{u.full_name} {u.username} {u.email or ''}")]
    return sorted(users, key=lambda u: vntext.name_sort_key(u.full_name))


def user_in_units(user_id: int, unit_ids: list[int]) -> User | None:
    """The user, if they belong to one of `unit_ids` (others are not found)."""
    return db.session.scalar(
        select(User).join(Membership).where(User.id == user_id, Membership.unit_id.in_(unit_ids)).distinct()
    )


def create_user(unit, *, username: str, full_name: str, password: str, roles: list[str],
                email: str | None = None, phone: str | None = None, position: str | None = None) -> User:
    """Create a user with roles in `unit`. Commits."""
    username = username.strip().lower()
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise AccountError("Tên đăng nhập này đã có người dùng.", "username")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, "password")
    if not roles:
        raise AccountError("Chọn ít nhất một vai trò.", "roles")
    user = User(username=username, full_name=full_name.strip(), email=email or None, phone=phone or None,
                position=position or None, password_hash=hash_password(password))
    db.session.add(user)
    for role in roles:
        user.memberships.append(Membership(unit_id=unit.id, role=role))
    db.session.flush()
    audit.record(db.session(), unit_id=unit.id, action="user.create", object_type="User",
                 object_id=user.id, label=user.full_name,
                 changes={"username": [None, username], "roles": [None, sorted(roles)]})
    db.session.commit()
    return user


def update_user(unit, user: User, *, full_name: str, email: str | None, phone: str | None,
                position: str | None, roles: list[str], active: bool) -> User:
    """Update a user's details and their roles in `unit`. Commits."""
    if not roles:
        raise AccountError("Chọn ít nhất một vai trò.", "roles")
    before = {"full_name": user.full_name, "active": user.active, "roles": sorted(roles_in(user, unit))}
    user.full_name, user.email, user.phone, user.position = full_name.strip(), email or None, phone or None, position or None
    user.active = active
    if not active:
        user.session_version += 1
    current = {m.role: m for m in user.memberships if m.unit_id == unit.id}
    for role, membership in current.items():
        if role not in roles:
            user.memberships.remove(membership)
    for role in roles:
        if role not in current:
            user.memberships.append(Membership(unit_id=unit.id, role=role))
    after = {"full_name": user.full_name, "active": user.active, "roles": sorted(roles)}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    db.session.flush()
    if changes:
        audit.record(db.session(), unit_id=unit.id, action="user.update", object_type="User",
                     object_id=user.id, label=user.full_name, changes=changes)
    db.session.commit()
    return user


def reset_password(unit, user: User) -> str:
    """Give the user a new temporary password, ending their sessions. Commits; returns it."""
    temporary = "TD-" + secrets.token_urlsafe(8)
    _set_password(user, temporary)
    db.session.flush()
    audit.record(db.session(), unit_id=unit.id, action="user.reset_password", object_type="User",
                 object_id=user.id, label=user.full_name)
    db.session.commit()
    return temporary


def roles_in(user: User, unit) -> list[str]:
    return [m.role for m in user.memberships if m.unit_id == unit.id and m.active]


def assignable_roles(actor_roles) -> dict[str, str]:
    """Roles the actor may hand out: an admin any, a supervisor any but admin."""
    if "admin" in actor_roles:
        return dict(ROLE_LABELS)
    return {k: v for k, v in ROLE_LABELS.items() if k != "admin"}


def home_unit_for(user: User):
    """The unit a user lands on after login: their first membership's unit."""
    from thiduaweb.units.services import active_memberships

    memberships = active_memberships(user)
    return memberships[0].unit if memberships else None
