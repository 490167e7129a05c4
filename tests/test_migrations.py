"""Migrations: one head, and upgrading an empty database gives exactly the models' schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from tests.helpers import fresh_database
from thiduaweb import ROOT, create_app
from thiduaweb.extensions import db


def test_there_is_exactly_one_head():
    script = ScriptDirectory(str(ROOT / "migrations"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_upgrading_an_empty_database_matches_the_models(tmp_path):
    url, drop = fresh_database(tmp_path)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    try:
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
                unsecured = _owned_tables_without_row_level_security(conn)
            db.session.remove()
            db.engine.dispose()
        assert differences == []
        assert unsecured == set()
    finally:
        drop()


def _owned_tables_without_row_level_security(conn) -> set[str]:
    """On PostgreSQL, the unit-owned tables the migrations left without forced row-level security."""
    if conn.dialect.name != "postgresql":
        return set()
    from sqlalchemy import text

    from thiduaweb.core.tenancy import UnitOwned

    secured = set(conn.execute(text("SELECT relname FROM pg_class WHERE relkind = 'r' AND relrowsecurity "
                                    "AND relforcerowsecurity")).scalars())
    owned = {m.class_.__table__.name for m in db.Model.registry.mappers if issubclass(m.class_, UnitOwned)}
    return owned - secured
