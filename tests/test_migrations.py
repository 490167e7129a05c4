"""Migrations: one head, and upgrading an empty database gives exactly the models' schema."""
import os
import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from thiduaweb import ROOT, create_app
from thiduaweb.extensions import db


def _empty_database_url(tmp_path) -> tuple[str, callable]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}", lambda: None
    from sqlalchemy.engine import make_url

    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url)
    name = f"{base.database}_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        db.engine.dispose() if False else None
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def test_there_is_exactly_one_head():
    script = ScriptDirectory(str(ROOT / "migrations"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_upgrading_an_empty_database_matches_the_models(tmp_path):
    url, drop = _empty_database_url(tmp_path)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    try:
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
            db.session.remove()
            db.engine.dispose()
        assert differences == []
    finally:
        drop()
