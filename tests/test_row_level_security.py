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
