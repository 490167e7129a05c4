"""A request that only read ends its transaction with COMMIT, one that wrote and did not commit with
ROLLBACK (core/transactions.py): psycopg keeps the statements it prepared across the first only."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select, update

from tests import factories
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.core.transactions import commit_if_only_read
from thiduaweb.extensions import db
from thiduaweb.units.models import Body, Unit


@pytest.fixture
def ends(app):
    """The ends of the engine's transactions, in order ("commit" or "rollback")."""
    seen: list[str] = []
    engine = db.engine

    def on_commit(conn):
        seen.append("commit")

    def on_rollback(conn):
        seen.append("rollback")

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    yield seen
    event.remove(engine, "commit", on_commit)
    event.remove(engine, "rollback", on_rollback)


def test_a_page_that_only_reads_ends_its_transaction_with_commit(world, login, ends):
    client = login("officer_a")
    ends.clear()
    response = client.get(f"/u/{world.a.slug}/bodies")  # its own app context, torn down at its end
    assert response.status_code == 200
    assert ends == ["commit"]


def test_a_transaction_that_only_selected_is_committed(world, ends):
    db.session.commit()
    ends.clear()
    assert db.session.scalar(select(Unit.name).where(Unit.id == world.a.id)) == world.a.name
    assert commit_if_only_read(db.session()) is True
    assert ends == ["commit"]


def _name_of(body_id: int) -> str:
    return db.session.scalar(all_units(select(Body.name).where(Body.id == body_id)))


def test_a_write_sent_past_the_session_and_not_committed_is_rolled_back(world):
    body = factories.make_body(world.a)
    # As the summary rows and the counters are written: through the connection, not a flush.
    db.session.connection().execute(update(Body.__table__).where(Body.id == body.id).values(name="Không được lưu"))
    assert commit_if_only_read(db.session()) is False
    db.session.rollback()
    assert _name_of(body.id) == "Xóm Cây Thị"


def test_changes_the_session_holds_unflushed_are_not_committed(world):
    body = factories.make_body(world.a)
    with unit_scope({world.a.id}), db.session.no_autoflush:
        db.session.get(Body, body.id).name = "Chưa lưu"
        assert commit_if_only_read(db.session()) is False
    db.session.rollback()
    assert _name_of(body.id) == "Xóm Cây Thị"
