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


def test_the_last_migrations_go_down_and_up_again_with_the_demo_world_in_place(tmp_path):
    """An instance that already holds data upgrades too (SQLite copies tables to alter them)."""
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade

    url, drop = fresh_database(tmp_path, "withdata")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    directory = str(ROOT / "migrations")
    try:
        with app.app_context():
            upgrade(directory=directory)
            assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
            db.session.remove()
            back_to = ScriptDirectory(directory).get_revision("head").down_revision
            back_to = ScriptDirectory(directory).get_revision(back_to).down_revision
            downgrade(directory=directory, revision=back_to)
            upgrade(directory=directory)
            from sqlalchemy import func, select

            from thiduaweb.awards.models import Nominee
            from thiduaweb.core.tenancy import all_units

            assert db.session.scalar(all_units(select(func.count()).select_from(Nominee))) > 0
            assert db.session.scalar(all_units(select(func.count()).select_from(Nominee).where(
                Nominee.sort_key == ""))) == 0
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()


def test_the_upgrade_counts_the_nominations_lists_overview_as_the_services_keep_it(tmp_path):
    """The summary rows of the nominations list's overview (pending nominations, the incoming queue) are
    counted by the migration for an instance that already holds nominations, as the services would."""
    from flask_migrate import downgrade
    from sqlalchemy import select

    from thiduaweb.core.tenancy import all_units
    from thiduaweb.dashboard.models import UnitYearStat

    url, drop = fresh_database(tmp_path, "overview")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    directory = str(ROOT / "migrations")
    metrics = ("nom.pending_person", "nom.pending_direct", "nom.queue")

    def rows():
        found = db.session.execute(all_units(select(UnitYearStat.unit_id, UnitYearStat.year, UnitYearStat.metric,
                                                    UnitYearStat.value).where(UnitYearStat.metric.in_(metrics))))
        return sorted(tuple(r) for r in found)

    try:
        with app.app_context():
            upgrade(directory=directory)
            assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
            kept_by_services = rows()
            assert {r[2] for r in kept_by_services} >= {"nom.pending_person", "nom.queue"}
            db.session.remove()
            downgrade(directory=directory, revision="e7b3d9f1a2c5")
            assert rows() == []
            db.session.remove()
            upgrade(directory=directory)
            assert rows() == kept_by_services
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()
