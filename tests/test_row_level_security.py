"""PostgreSQL row-level security backs the application's unit scope (the last wall).

A raw SQL query run under one commune's setting returns none of another commune's rows, and a
connection with no unit set sees no rows at all. The policies bind any role subject to RLS; the
test takes such a role for the duration of its transaction.
"""
import os

import pytest
from sqlalchemy import text

from tests import factories
from thiduaweb.core.tenancy import UnitOwned
from thiduaweb.extensions import db

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                                reason="Row-level security là của PostgreSQL: kiểm thử trong lượt PostgreSQL.")

PROBE_ROLE = "thiduaweb_rls_probe"


@pytest.fixture
def probe(db):
    """A connection acting as a role without superuser rights, as the app's production role does."""
    conn = db.engine.connect()
    if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": PROBE_ROLE}).scalar():
        conn.execute(text(f"CREATE ROLE {PROBE_ROLE} NOLOGIN"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {PROBE_ROLE}"))
    conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {PROBE_ROLE}"))
    conn.commit()
    yield conn
    conn.rollback()
    conn.close()


def _as_probe(conn, unit_ids: str | None):
    conn.execute(text(f"SET LOCAL ROLE {PROBE_ROLE}"))
    if unit_ids is not None:
        conn.execute(text("SELECT set_config('app.unit_ids', :ids, true)"), {"ids": unit_ids})


def test_every_unit_owned_table_has_row_level_security(app, probe):
    from tests.helpers import fresh_database  # noqa: F401 - schema here comes from create_all

    rows = probe.execute(text("SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                              "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")).all()
    secured = {name for name, enabled, forced in rows if enabled and forced}
    owned = {m.class_.__table__.name for m in db.Model.registry.mappers if issubclass(m.class_, UnitOwned)}
    assert owned <= secured, sorted(owned - secured)


def test_a_raw_query_under_one_communes_setting_returns_none_of_anothers_rows(world, probe):
    factories.make_body(world.a, "Xóm của Đồng Liên")
    factories.make_body(world.b, "Xóm của Tân Cương")
    _as_probe(probe, str(world.b.id))
    names = probe.execute(text("SELECT name FROM body")).scalars().all()
    assert names == ["Xóm của Tân Cương"]
    audit_units = set(probe.execute(text("SELECT unit_id FROM audit_entry")).scalars())
    assert audit_units == {world.b.id}


def test_a_connection_with_no_unit_set_sees_no_rows(world, probe):
    factories.make_body(world.a)
    _as_probe(probe, None)
    assert probe.execute(text("SELECT count(*) FROM body")).scalar() == 0


# --- The scope sent along with the next statement (tenancy.send_scope_along) --------------------

@pytest.fixture
def app_under_row_level_security(world, db):
    """Every connection the app takes from its pool acts as a role that row-level security binds (as the
    production role does), so that a statement sent before the unit scope would read no owned rows."""
    from sqlalchemy import event

    engine = db.engine
    with engine.begin() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": PROBE_ROLE}).scalar():
            conn.execute(text(f"CREATE ROLE {PROBE_ROLE} NOLOGIN"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {PROBE_ROLE}"))
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {PROBE_ROLE}"))
        conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {PROBE_ROLE}"))

    def take_role(dbapi_connection, record, proxy):
        dbapi_connection.execute(f"SET ROLE {PROBE_ROLE}")
        dbapi_connection.commit()

    def give_back_role(dbapi_connection, record):
        dbapi_connection.rollback()
        dbapi_connection.execute("RESET ROLE")
        dbapi_connection.commit()

    engine.dispose()
    event.listen(engine.pool, "checkout", take_role)
    event.listen(engine.pool, "checkin", give_back_role)
    yield engine
    db.session.remove()
    event.remove(engine.pool, "checkout", take_role)
    event.remove(engine.pool, "checkin", give_back_role)
    engine.dispose()


def test_an_officers_pages_read_and_write_their_commune_under_row_level_security(app_under_row_level_security,
                                                                                 world, login):
    factories.make_body(world.a, "Xóm Cây Thị")
    factories.make_body(world.b, "Xóm của Tân Cương")
    officer = login("officer_a")
    page = officer.get("/u/xa-dong-lien/bodies")
    assert page.status_code == 200
    assert "Xóm Cây Thị" in page.get_data(as_text=True)  # the scope reached the database before the read
    assert "Xóm của Tân Cương" not in page.get_data(as_text=True)
    saved = officer.post("/u/xa-dong-lien/bodies/new", {"name": "Xóm Mới", "kind": "village"})
    assert saved.status_code in (200, 303)
    assert "Xóm Mới" in officer.get("/u/xa-dong-lien/bodies").get_data(as_text=True)  # the write passed its check


def _pending(conn, readable: str, writable: str = "") -> None:
    from thiduaweb.core.tenancy import PENDING_SCOPE

    conn.info[PENDING_SCOPE] = {"r": readable, "w": writable, "a": "off"}


def test_a_pending_scope_goes_before_a_read_a_write_and_a_streamed_read(app_under_row_level_security, world):
    factories.make_body(world.a, "Xóm Cây Thị")
    factories.make_body(world.b, "Xóm của Tân Cương")
    with app_under_row_level_security.connect() as conn:
        conn.begin()  # a scope waits within a transaction (a new one drops it)
        _pending(conn, str(world.a.id))
        assert conn.execute(text("SELECT name FROM body")).scalars().all() == ["Xóm Cây Thị"]
        _pending(conn, str(world.a.id), str(world.a.id))
        conn.execute(text("INSERT INTO body (unit_id, name, kind, active) VALUES (:u, 'Xóm Mới', 'village', true)"),
                     {"u": world.a.id})
        _pending(conn, str(world.b.id))
        streamed = conn.execution_options(stream_results=True).execute(text("SELECT name FROM body"))
        assert streamed.scalars().all() == ["Xóm của Tân Cương"]
        conn.rollback()


def test_a_scope_left_pending_ends_with_its_transaction(app_under_row_level_security, world):
    factories.make_body(world.a, "Xóm Cây Thị")
    with app_under_row_level_security.connect() as conn:
        conn.begin()
        _pending(conn, str(world.a.id))
        conn.commit()  # nothing read after it: the settings were never sent
        assert conn.execute(text("SELECT count(*) FROM body")).scalar() == 0
        conn.rollback()
    with app_under_row_level_security.connect() as conn:  # the pool's connection again, in a new transaction
        assert conn.execute(text("SELECT count(*) FROM body")).scalar() == 0


def test_an_engine_made_without_the_app_gets_the_scope_sent_at_once(world, db):
    """A script's or a test's own engine has none of the listeners that send a held-back scope along."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from thiduaweb.core.tenancy import bind_scope

    engine = create_engine(db.engine.url.render_as_string(hide_password=False))
    try:
        with Session(engine) as session:
            session.execute(text("SELECT 1"))
            bind_scope(session, {world.a.id}, set())
            setting = session.execute(text("SELECT current_setting('app.unit_ids', true)")).scalar()
            assert setting == str(world.a.id)
    finally:
        engine.dispose()
