"""Tenancy: a commune sees only its own data; the city reads its communes but does not write to them."""
import pytest
from sqlalchemy import func, select, update

from tests import factories
from tests.helpers import UserClient
from thiduaweb.core.tenancy import UnitScopeError, all_units, unit_scope
from thiduaweb.extensions import db
from thiduaweb.units.models import Body


def _unit_urls(app, unit_slug: str, ids: dict) -> list[str]:
    """Every GET URL of the unit blueprints, filled with `ids` for their parameters."""
    urls = []
    for rule in app.url_map.iter_rules():
        blueprint = app.blueprints.get(rule.endpoint.split(".")[0])
        if not getattr(blueprint, "is_unit_blueprint", False) or "GET" not in rule.methods:
            continue
        values = {arg: ids.get(arg, 1) for arg in rule.arguments if arg != "unit_slug"}
        urls.append(rule.build({"unit_slug": unit_slug, **values}, append_unknown=False)[1])
    return urls


def test_a_commune_officer_gets_404_for_every_url_of_another_commune(app, world, login):
    body = factories.make_body(world.a)
    client = login("officer_b")
    urls = _unit_urls(app, world.a.slug, {"body_id": body.id, "user_id": world.users["officer_a"].id})
    assert len(urls) >= 6
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_guessed_id_of_another_communes_body_answers_404(world, login):
    body = factories.make_body(world.a)
    client = login("officer_b")
    assert client.get(f"/u/xa-tan-cuong/bodies/{body.id}/edit").status_code == 404
    assert client.post(f"/u/xa-tan-cuong/bodies/{body.id}/edit", {"name": "Đổi tên", "kind": "village"}).status_code == 404
    db.session.refresh(body)
    assert body.name == "Xóm Cây Thị"


def test_the_city_supervisor_reads_every_commune_but_cannot_write_to_one(world, login):
    body = factories.make_body(world.a)
    client = login("supervisor")
    for commune in (world.a, world.b):
        assert client.get(f"/u/{commune.slug}/").status_code == 200
        assert client.get(f"/u/{commune.slug}/bodies").status_code == 200
    assert "Xóm Cây Thị" in client.get("/u/xa-dong-lien/bodies").get_data(as_text=True)
    assert client.get("/u/xa-dong-lien/bodies/new").status_code == 403
    response = client.post(f"/u/xa-dong-lien/bodies/{body.id}/edit", {"name": "Đổi tên", "kind": "village"})
    assert response.status_code == 403


def test_unauthenticated_requests_to_unit_pages_redirect_to_login(app, world):
    client = UserClient(app)
    for url in _unit_urls(app, world.a.slug, {}):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next=")


def test_an_unknown_unit_answers_404_even_before_login(app, world):
    assert UserClient(app).get("/u/khong-co-don-vi/").status_code == 404


def test_a_post_without_csrf_token_is_refused(world, login):
    client = login("officer_a")
    response = client.post("/u/xa-dong-lien/bodies/new", {"name": "Xóm Mới", "kind": "village"}, csrf=False)
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    with unit_scope({world.a.id}):
        assert db.session.scalar(select(func.count()).select_from(Body)) == 0


def test_an_officer_adds_a_body_and_the_audit_trail_records_it(world, login):
    client = login("officer_a")
    response = client.post("/u/xa-dong-lien/bodies/new", {"name": "Xóm Mới", "kind": "village", "member_count": "1.250",
                                                          "active": "y"})
    assert response.status_code == 303
    with unit_scope({world.a.id}):
        body = db.session.scalar(select(Body))
    assert (body.name, body.member_count, body.unit_id) == ("Xóm Mới", 1250, world.a.id)
    assert "Xóm Mới" in client.get("/u/xa-dong-lien/audit/").get_data(as_text=True)


def test_bad_input_for_a_body_is_shown_beside_the_field_and_kept(world, login):
    client = login("officer_a")
    response = client.post("/u/xa-dong-lien/bodies/new", {"name": "Xóm Mới", "kind": "village",
                                                          "member_count": "nhiều"}, htmx=True)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="member_count-error"' in body
    assert "Giá trị phải là một số nguyên." in body and 'value="Xóm Mới"' in body


class TestSessionScope:
    def test_queries_see_only_the_bound_units_rows(self, world):
        factories.make_body(world.a, "Xóm A")
        factories.make_body(world.b, "Xóm B")
        with unit_scope({world.b.id}):
            assert [b.name for b in db.session.scalars(select(Body))] == ["Xóm B"]
            assert db.session.scalar(select(func.count()).select_from(Body)) == 1

    def test_the_scope_changes_between_two_queries_of_the_same_shape(self, world):
        factories.make_body(world.a, "Xóm A")
        factories.make_body(world.b, "Xóm B")
        a, b = world.a.id, world.b.id
        for unit_id, name in [(a, "Xóm A"), (b, "Xóm B"), (a, "Xóm A")]:
            db.session.expunge_all()
            with unit_scope({unit_id}):
                assert [b.name for b in db.session.scalars(select(Body))] == [name]

    def test_a_query_without_scope_is_refused(self, world):
        factories.make_body(world.a)
        db.session.expunge_all()
        with pytest.raises(UnitScopeError):
            db.session.scalars(select(Body)).all()

    def test_a_count_without_scope_returns_nothing_rather_than_everything(self, world):
        factories.make_body(world.a)
        assert db.session.scalar(select(func.count()).select_from(Body)) == 0

    def test_cross_unit_work_says_so(self, world):
        factories.make_body(world.a)
        factories.make_body(world.b)
        assert len(db.session.scalars(all_units(select(Body))).all()) == 2

    def test_bulk_update_touches_only_the_bound_unit(self, world):
        factories.make_body(world.a, "Xóm A")
        factories.make_body(world.b, "Xóm B")
        with unit_scope({world.b.id}):
            db.session.execute(update(Body).values(head_name="Trưởng xóm"))
            db.session.commit()
        heads = {b.name: b.head_name for b in db.session.scalars(all_units(select(Body)))}
        assert heads == {"Xóm A": None, "Xóm B": "Trưởng xóm"}

    def test_a_write_outside_the_writable_scope_is_refused(self, world):
        with unit_scope({world.a.id, world.b.id}, writable={world.b.id}):
            db.session.add(Body(unit_id=world.a.id, name="Xóm lạ", kind="village"))
            with pytest.raises(UnitScopeError):
                db.session.flush()
            db.session.rollback()

    def test_a_new_row_gets_the_bound_unit(self, world):
        with unit_scope({world.b.id}):
            body = Body(name="Xóm Guộc", kind="village")
            db.session.add(body)
            db.session.commit()
            assert body.unit_id == world.b.id


def test_a_statement_built_once_reads_each_scopes_own_rows_every_time(world):
    """The scoped copy of a statement is kept per statement and scope (core.tenancy): a statement that a
    module builds once and runs for every commune must still give each commune only its own rows."""
    factories.make_body(world.a, "Xóm Cây Thị")
    factories.make_body(world.b, "Xóm Chè")
    built_once = select(Body.name).order_by(Body.name)
    for _ in range(2):
        for unit, name in ((world.a, "Xóm Cây Thị"), (world.b, "Xóm Chè")):
            with unit_scope({unit.id}):
                assert list(db.session.scalars(built_once)) == [name]
        with unit_scope({world.a.id, world.b.id}):
            assert sorted(db.session.scalars(built_once)) == sorted(["Xóm Cây Thị", "Xóm Chè"])
    with pytest.raises(UnitScopeError):
        db.session.scalars(built_once).all()
