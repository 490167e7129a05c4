"""Unit revisions: any change a unit page shows raises its unit's counter in the same transaction, so
the parts kept per process (core/revisions.py) are never served stale, and a visit that finds them
kept reads one small row instead of the panels' data."""
from datetime import date

from sqlalchemy import select

from tests import factories
from tests.helpers import count_queries, page_text, statements_of_page
from thiduaweb.core.revisions import UnitRevision
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db
from thiduaweb.units.models import Unit, UnitSuccession


def counters(unit) -> tuple[int, int]:
    row = db.session.execute(select(UnitRevision.revision, UnitRevision.own_revision)
                             .where(UnitRevision.unit_id == unit.id)).first()
    return tuple(row) if row else (0, 0)


def test_a_commune_write_raises_its_counters_and_its_citys_tree_counter_only(world):
    a, b, city = counters(world.a), counters(world.b), counters(world.city)
    factories.make_body(world.a, "Xóm Mới")
    assert counters(world.a)[0] > a[0] and counters(world.a)[1] > a[1]
    assert counters(world.city)[0] > city[0]  # the city's pages show what is below it
    assert counters(world.city)[1] == city[1]  # but its own rows did not change
    assert counters(world.b) == b  # the sibling commune's pages are untouched


def test_a_change_in_a_predecessor_raises_its_successor(world):
    successor = factories.make_unit("Phường Gia Sàng", parent=world.city, slug="phuong-gia-sang-2025")
    with cross_unit_writes():
        db.session.add(UnitSuccession(predecessor_id=world.a.id, successor_id=successor.id, extent="whole",
                                      effective_on=date(2025, 7, 1)))
        db.session.commit()
    before = counters(successor)
    factories.make_body(world.a, "Xóm Cây Thị")
    assert counters(successor)[0] > before[0]  # the successor reads its predecessors' rows


def test_a_second_visit_of_the_home_reads_no_panel_data(world, login, app):
    client = login("officer_a")
    app.extensions.pop("thiduaweb_page_cache", None)  # signing in landed on the home: start afresh
    with count_queries(db.engine) as first:
        body = page_text(client.get("/u/xa-dong-lien/"))
    with count_queries(db.engine) as again:
        assert page_text(client.get("/u/xa-dong-lien/")) == body
    assert again() <= 3 < first()  # the unit, the revisions; the user's row (the session may keep it)


def test_at_midnight_the_home_and_the_list_draw_again_only_the_parts_that_count_from_the_day(world, login, app, monkeypatch):
    from datetime import timedelta

    from thiduaweb.core import clock

    client = login("officer_a")
    client.get("/u/xa-dong-lien/")
    client.get("/u/xa-dong-lien/khen-thuong/")

    def statements_of(url: str) -> str:
        return " ".join(statements_of_page(client, url))

    monkeypatch.setitem(app.config, "TODAY", clock.today() + timedelta(days=1))
    read = statements_of("/u/xa-dong-lien/")
    assert "petition.status" in read and "nom_review" in read  # due this week, overdue: counted from today
    assert "audit_entry" not in read and "membership.role" not in read  # activity, people: no day in them
    assert "figures.drafts" not in read  # plans and movements: dates and this year only
    read = statements_of("/u/xa-dong-lien/khen-thuong/")
    assert "nomination" not in read and "unit_year_stat" not in read  # the list's table and overview: no day
    # in them (the titles in force today, for the filter, are reference data read once a day per process)


def test_what_changes_in_the_commune_shows_on_its_home_at_once(world, login):
    client = login("officer_a")
    body = client.get("/u/xa-dong-lien/").get_data(as_text=True)
    assert "Thôn, xóm, tổ dân phố: <strong>" not in body and "Người xem: <strong>" not in body

    factories.make_body(world.a, "Xóm Cây Thị")  # counted by kind, and an entry in the recent activity
    body = client.get("/u/xa-dong-lien/").get_data(as_text=True)
    assert "Thôn, xóm, tổ dân phố: <strong>1</strong>" in body and "<em>Xóm Cây Thị</em>" in body

    factories.make_user("donglien.moi", world.a, ("viewer",))  # an account: the people panel
    assert "Người xem: <strong>1</strong>" in client.get("/u/xa-dong-lien/").get_data(as_text=True)

    with cross_unit_writes():
        db.session.get(Unit, world.a.id).name = "Xã Đồng Liên Mới"
        db.session.commit()
    assert "<h1 class=\"h3 mb-0\">Xã Đồng Liên Mới</h1>" in client.get("/u/xa-dong-lien/").get_data(as_text=True)


def test_a_plan_the_city_issues_shows_on_its_communes_homes_at_once(world, login):
    from tests.plans.test_plans import city_plan

    client = login("officer_a")
    assert "Chưa tiếp nhận kế hoạch" not in client.get("/u/xa-dong-lien/").get_data(as_text=True)
    plan = city_plan(world)  # the city's own rows: every commune's home lists it to adopt
    body = client.get("/u/xa-dong-lien/").get_data(as_text=True)
    assert f"Chưa tiếp nhận kế hoạch <a href=\"/u/xa-dong-lien/plans/parent/{plan.id}\">" in body


def test_a_write_in_a_sibling_commune_does_not_redraw_this_home(world, login):
    client = login("officer_a")
    client.get("/u/xa-dong-lien/")
    factories.make_body(world.b, "Xóm của Tân Cương")
    with count_queries(db.engine) as again:
        client.get("/u/xa-dong-lien/")
    assert again() <= 3


def test_each_viewer_sees_the_home_drawn_for_their_own_permissions(world, login):
    officer = login("officer_a").get("/u/xa-dong-lien/").get_data(as_text=True)
    factories.make_user("donglien.xem", world.a, ("viewer",))
    client = login("officer_a")
    client.login("donglien.xem")
    viewer = client.get("/u/xa-dong-lien/").get_data(as_text=True)
    assert "Xem người dùng" in officer and "Xem người dùng" not in viewer


def test_nothing_is_kept_when_the_cache_is_off(world, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 0)
    client = login("officer_a")
    client.get("/u/xa-dong-lien/")
    with count_queries(db.engine) as again:
        client.get("/u/xa-dong-lien/")
    assert again() > 3 and "thiduaweb_page_cache" not in app.extensions


def test_the_kept_parts_stay_within_their_count_and_their_size(app, monkeypatch):
    from thiduaweb.core import revisions

    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 3)
    monkeypatch.setitem(app.config, "PAGE_CACHE_CHARS", 250)
    drawn = []

    def draw(name, size):
        return revisions.kept(("part", name), lambda: drawn.append(name) or "x" * size)

    for name in ("a", "b", "c", "d"):  # four parts, three kept: "a" leaves first
        draw(name, 10)
    draw("b", 10)
    draw("a", 10)
    assert drawn == ["a", "b", "c", "d", "a"]
    draw("big", 240)  # 240 + the three others > 250 characters: the least recently used leave, "a" stays
    draw("big", 240)
    draw("a", 10)
    draw("b", 10)  # it had left; drawn again, it pushes out "big", the least recently used now
    draw("big", 240)
    assert drawn == ["a", "b", "c", "d", "a", "big", "b", "big"]
    assert app.extensions["thiduaweb_page_cache"].size <= 250


def test_a_supervisor_reads_a_commune_added_below_the_city_at_once(world, login, app):
    """The units a supervisor reads are kept per revision of the supervised unit's units: the next page
    after a commune is created, or merged into another, reads the new scope."""
    client = login("supervisor")
    client.get("/u/tp-thai-nguyen/audit/")  # the city's scope is kept from here on
    with count_queries(db.engine) as kept_visit:
        client.get("/u/tp-thai-nguyen/audit/?q=1")
    commune = factories.make_unit("Xã Mẫu Mới", parent=world.city, slug="xa-mau-moi", code="79001")
    factories.make_body(commune, "Xóm Cây Đa")
    trail = client.get("/u/tp-thai-nguyen/audit/").get_data(as_text=True)
    assert "Xóm Cây Đa" in trail  # the new commune's entry is in the city's trail

    ward = factories.make_unit("Phường Gia Sàng", kind="ward", parent=world.city, slug="phuong-gs", code="05467")
    with cross_unit_writes():
        db.session.add(UnitSuccession(predecessor_id=world.a.id, successor_id=ward.id, extent="whole",
                                      effective_on=date(2025, 7, 1)))
        db.session.commit()
    with count_queries(db.engine) as after_change:
        assert client.get("/u/tp-thai-nguyen/audit/?q=1").status_code == 200
    assert after_change() > kept_visit()  # the scope was read again, once
    with count_queries(db.engine) as kept_again:
        client.get("/u/tp-thai-nguyen/audit/?q=2")
    assert kept_again() <= kept_visit()


def test_a_write_below_the_city_that_moves_no_unit_keeps_the_supervisors_scope(world, login, monkeypatch):
    from thiduaweb.units import services

    client = login("supervisor")
    client.get("/u/tp-thai-nguyen/audit/")  # the city's scope is kept from here on
    reads = []
    original = services.descendant_ids
    monkeypatch.setattr(services, "descendant_ids", lambda unit: reads.append(unit.id) or original(unit))
    factories.make_body(world.a, "Xóm Cây Đa")  # a row of a commune, no unit added or merged
    assert "Xóm Cây Đa" in client.get("/u/tp-thai-nguyen/audit/").get_data(as_text=True)
    assert reads == []
    factories.make_unit("Xã Mẫu Mới", parent=world.city, slug="xa-mau-moi", code="79001")
    client.get("/u/tp-thai-nguyen/audit/")
    assert reads == [world.city.id]


def _unit_reads(monkeypatch) -> list[str]:
    from thiduaweb.units import services

    reads = []
    original = services.find_unit_by_slug
    monkeypatch.setattr(services, "find_unit_by_slug", lambda slug: reads.append(slug) or original(slug))
    return reads


def test_a_unit_page_reads_its_unit_again_only_after_the_unit_changed(world, login, monkeypatch):
    """Every unit page names its unit, its parent and its lineage: they are kept per process and read
    again when the unit's `units` counters move, not after a write of the commune's own rows."""
    client = login("officer_a")
    for _ in range(2):  # the copy is kept, then checked against the counters and trusted
        client.get("/u/xa-dong-lien/")
    reads = _unit_reads(monkeypatch)
    factories.make_body(world.a, "Xóm Cây Thị")  # a row of the commune, not the commune itself
    assert "Xóm Cây Thị" in client.get("/u/xa-dong-lien/").get_data(as_text=True)
    assert reads == []

    world.a.name = "Xã Đồng Liên Mới"
    db.session.commit()
    db.session.expunge_all()  # as another process would: the pages read nothing from the test's session
    assert "Xã Đồng Liên Mới" in client.get("/u/xa-dong-lien/").get_data(as_text=True)
    assert reads == ["xa-dong-lien"]


def test_a_renamed_parent_shows_on_its_communes_pages_at_once(world, login):
    client = login("officer_a")
    for _ in range(3):
        client.get("/u/xa-dong-lien/bodies")
    world.city.name = "Thành phố Thái Nguyên Mới"
    db.session.commit()
    db.session.expunge_all()  # as another process would: the pages read nothing from the test's session
    client.get("/u/xa-dong-lien/bodies")  # the unit, kept with its parent, is trusted no more
    assert "Trực thuộc Thành phố Thái Nguyên Mới" in client.get("/u/xa-dong-lien/").get_data(as_text=True)


def test_a_renamed_successor_shows_on_its_predecessors_banner_at_once(world, login):
    # As in the 2025 reform, the successor is under another unit than its predecessor (a city's commune
    # became a province's): nothing above the predecessor changes when the successor is renamed.
    province = factories.make_unit("Tỉnh Mẫu", kind="province", slug="tinh-mau", code="98")
    ward = factories.make_unit("Phường Gia Sàng", kind="ward", parent=province, slug="phuong-gs", code="05467")
    with cross_unit_writes():
        db.session.add(UnitSuccession(predecessor_id=world.a.id, successor_id=ward.id, extent="whole",
                                      effective_on=date(2025, 7, 1)))
        db.session.commit()
    client = login("officer_a")
    for _ in range(3):
        assert "Phường Gia Sàng" in client.get("/u/xa-dong-lien/").get_data(as_text=True)
    ward.name = "Phường Túc Duyên"
    db.session.commit()
    db.session.expunge_all()  # as another process would: the pages read nothing from the test's session
    body = client.get("/u/xa-dong-lien/").get_data(as_text=True)
    assert "Phường Túc Duyên" in body and "Phường Gia Sàng" not in body


def test_a_slug_given_to_another_unit_leads_to_that_unit(world, login, app):
    client = login("supervisor")
    for _ in range(3):
        assert "Xã Đồng Liên" in client.get("/u/xa-dong-lien/").get_data(as_text=True)
    world.a.slug = "xa-dong-lien-cu"
    db.session.flush()
    world.b.slug = "xa-dong-lien"
    db.session.commit()
    name = world.b.name
    db.session.expunge_all()  # as another process would: the pages read nothing from the test's session
    assert name in page_text(client.get("/u/xa-dong-lien/"))
    assert client.get("/u/xa-dong-lien-cu/").status_code == 200
