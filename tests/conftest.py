"""Fixtures: the app on SQLite (or on PostgreSQL when TEST_DATABASE_URL is set), a clean database
for every test, clients that log in and carry the CSRF token, and a small world of two communes."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import select, text

from tests import factories
from tests.helpers import UserClient
from thiduaweb import create_app
from thiduaweb.extensions import db as _db
from thiduaweb.extensions import limiter

collect_ignore_glob = []


def _database_url(worker: str) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "sqlite://"
    return _worker_database(url, worker)


def _worker_database(url: str, worker: str) -> str:
    """One PostgreSQL database per xdist worker, created on first use."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url.replace("postgresql+psycopg://", "postgresql://").replace("postgres://", "postgresql://"))
    name = f"{base.database}_{worker}"
    admin = base.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name, drivername="postgresql+psycopg").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(worker_id="master"):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=_database_url(worker))
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            _db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            _db.session.commit()
        _db.create_all()
    yield app


@pytest.fixture(autouse=True)
def db(app):
    """A clean database for each test: the schema stays, every row goes."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        unnamed = _unnamed_step_keys()
        _clear_tables()
        # What each process keeps between requests belonged to the rows just removed.
        for cache in ("thiduaweb_reference", "thiduaweb_page_cache", "thiduaweb_unit_nav"):
            app.extensions.pop(cache, None)
    limiter.reset()
    assert not unnamed, (f"workflow steps recorded keys that the audit trail cannot name in Vietnamese "
                         f"(add them to thiduaweb.audit.models.CHANGE_LABELS): {sorted(unnamed)}")


def _unnamed_step_keys() -> set[tuple[str, str]]:
    """(action, key) of the keys that this test's workflow steps passed to `core.audit.record` without
    a Vietnamese name (the columns of create/update/delete entries: tests/test_audit_changes.py)."""
    from thiduaweb.audit.changes import unlabeled_keys
    from thiduaweb.audit.models import AuditEntry

    table = AuditEntry.__table__
    with _db.engine.connect() as conn:
        rows = conn.execute(select(table.c.object_type, table.c.action, table.c.changes)
                            .where(table.c.action.not_in(("create", "update", "delete")))).all()
    return {(action, key) for object_type, action, changes in rows for key in unlabeled_keys(object_type, changes)}


def _clear_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return UserClient(app)


@pytest.fixture
def world(db):
    """Thành phố with Đồng Liên (A) and Tân Cương (B), and one user per demo role."""
    return factories.make_world()


@pytest.fixture
def login(app, world):
    """login("officer_a") → a client logged in as that user of the world."""

    def _login(who: str) -> UserClient:
        client = UserClient(app)
        client.login(world.users[who].username)
        return client

    return _login


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL")
