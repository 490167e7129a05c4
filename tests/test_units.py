"""Administrative units: the official post-2025 import, the demo world and its successor links."""
import re
from datetime import date

from sqlalchemy import func, select

from tests import factories
from tests.helpers import count_queries, text_of
from thiduaweb.accounts.models import Membership
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db
from thiduaweb.units.models import Body, Unit, UnitSuccession
from thiduaweb.units.official import import_official


def test_import_official_loads_thai_nguyen_province_with_its_92_units(app, db):
    result = app.test_cli_runner().invoke(args=["units", "import-official", "--province", "19"])
    assert result.exit_code == 0, result.output
    province = db.session.scalar(select(Unit).where(Unit.code == "19"))
    assert province.name == "Tỉnh Thái Nguyên" and province.valid_from == date(2025, 7, 1)
    assert db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == province.id)) == 92
    gia_sang = db.session.scalar(select(Unit).where(Unit.code == "05467"))
    assert (gia_sang.name, gia_sang.kind) == ("Phường Gia Sàng", "ward")
    import_official(19)  # idempotent
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 93


def test_import_official_refuses_an_unknown_province(app, db):
    result = app.test_cli_runner().invoke(args=["units", "import-official", "--province", "999"])
    assert result.exit_code != 0 and "Không có tỉnh" in result.output


def test_the_demo_world_links_dong_lien_to_the_new_gia_sang_and_reuses_codes(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    units = {u.slug: u for u in db.session.scalars(select(Unit))}
    assert len([u for u in units.values() if u.parent and u.parent.slug == "tp-thai-nguyen"]) == 32
    dong_lien, new_gia_sang = units["xa-dong-lien"], units["phuong-gia-sang-2025"]
    link = db.session.scalar(select(UnitSuccession).where(UnitSuccession.predecessor_id == dong_lien.id))
    assert link.successor_id == new_gia_sang.id and new_gia_sang.code == "05467"
    # 05467 was Cam Giá's code before the reform: a unit is its code *and* its validity period.
    cam_gia = units["phuong-cam-gia"]
    assert cam_gia.code == "05467" and cam_gia.valid_to == date(2025, 6, 30)
    tan_cuong_2025 = units["xa-tan-cuong-2025"]
    assert {s.predecessor.name for s in db.session.scalars(
        select(UnitSuccession).where(UnitSuccession.successor_id == tan_cuong_2025.id))} == {
        "Xã Tân Cương", "Xã Thịnh Đức"}
    contract = {"admin", "noivu", "donglien.canbo", "donglien.chutich", "donglien.hoidong", "tancuong.canbo"}
    from thiduaweb.accounts.models import User

    assert contract <= set(db.session.scalars(select(User.username).join(Membership)))


def test_demo_accounts_log_in_and_land_on_their_units_home(app, db):
    from tests.helpers import UserClient

    app.test_cli_runner().invoke(args=["seed-demo"])
    for username, slug in [("admin", "tp-thai-nguyen"), ("noivu", "tp-thai-nguyen"),
                           ("donglien.canbo", "xa-dong-lien"), ("donglien.chutich", "xa-dong-lien"),
                           ("donglien.hoidong", "xa-dong-lien"), ("tancuong.canbo", "xa-tan-cuong")]:
        client = UserClient(app)
        response = client.login(username, "ThiDua@2021")
        assert response.headers["Location"] == f"/u/{slug}/"


def test_a_merged_commune_shows_its_successor_and_is_not_locked(world, login):
    new_province = factories.make_unit("Tỉnh Thái Nguyên", kind="province", code="19", slug="tinh-thai-nguyen",
                                       valid_from=date(2025, 7, 1))
    gia_sang = factories.make_unit("Phường Gia Sàng", kind="ward", code="05467", parent=new_province,
                                   slug="phuong-gia-sang-2025", valid_from=date(2025, 7, 1))
    db.session.add(UnitSuccession(predecessor_id=world.a.id, successor_id=gia_sang.id, extent="whole",
                                  effective_on=date(2025, 7, 1)))
    db.session.commit()
    page = login("officer_a").get("/u/xa-dong-lien/")
    assert "thuộc Phường Gia Sàng" in text_of(page)
    assert login("officer_a").get("/u/xa-dong-lien/bodies/new").status_code == 200


def test_a_deployment_that_locks_merged_units_keeps_their_records_read_only(world, login, app, monkeypatch):
    """LOCK_MERGED_UNITS: once a commune has ceased to exist, its officer reads its records but adds
    nothing; before that day, or without the setting, work goes on."""
    from thiduaweb.core import clock

    world.a.valid_to = date(2025, 6, 30)
    db.session.commit()
    factories.make_body(world.a, "Xóm Cây Thị")
    client = login("officer_a")
    monkeypatch.setitem(app.config, "LOCK_MERGED_UNITS", True)
    with clock.pinned(date(2025, 7, 2)):
        home = client.get("/u/xa-dong-lien/")
        assert home.status_code == 200
        assert "hoạt động đến hết ngày 30/06/2025" in text_of(home) and "chỉ xem" in text_of(home)
        bodies = client.get("/u/xa-dong-lien/bodies")
        assert "Xóm Cây Thị" in text_of(bodies) and "/bodies/new" not in bodies.get_data(as_text=True)
        assert client.get("/u/xa-dong-lien/bodies/new").status_code == 403
        refused = client.post("/u/xa-dong-lien/bodies/new", data={"name": "Xóm Mới", "kind": "village"})
        assert refused.status_code == 403
        assert "Xóm Mới" not in text_of(client.get("/u/xa-dong-lien/bodies"))
    with clock.pinned(date(2025, 6, 30)):  # its last day: still open
        assert client.get("/u/xa-dong-lien/bodies/new").status_code == 200
    monkeypatch.setitem(app.config, "LOCK_MERGED_UNITS", False)
    with clock.pinned(date(2025, 7, 2)):
        page = client.get("/u/xa-dong-lien/")
        assert "hoạt động đến hết ngày" not in text_of(page)
        assert client.get("/u/xa-dong-lien/bodies/new").status_code == 200


def test_the_successor_reads_the_records_of_the_units_it_took_over(world, login):
    """A 2021 record is still found from the unit that holds the territory now."""
    new_province = factories.make_unit("Tỉnh Thái Nguyên", kind="province", code="19", slug="tinh-thai-nguyen",
                                       valid_from=date(2025, 7, 1))
    gia_sang = factories.make_unit("Phường Gia Sàng", kind="ward", code="05467", parent=new_province,
                                   slug="phuong-gia-sang-2025", valid_from=date(2025, 7, 1))
    db.session.add(UnitSuccession(predecessor_id=world.a.id, successor_id=gia_sang.id, extent="whole",
                                  effective_on=date(2025, 7, 1)))
    db.session.commit()
    factories.make_body(world.a, "Xóm Cây Thị")
    factories.make_user("giasang.canbo", gia_sang, ("supervisor",))
    client = login("officer_a")
    client.login("giasang.canbo")
    assert "Xóm Cây Thị" in client.get("/u/phuong-gia-sang-2025/audit/").get_data(as_text=True)


def test_the_unit_home_page_makes_the_same_number_of_queries_however_much_data(world, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 0)  # the content is read and drawn each time
    client = login("officer_a")

    def home_queries():
        with count_queries(db.engine) as count:
            assert client.get("/u/xa-dong-lien/").status_code == 200
        return count()

    before = home_queries()
    with cross_unit_writes():
        for i in range(30):
            db.session.add(Body(unit_id=world.a.id, name=f"Xóm {i}", kind="village"))
        db.session.commit()
    for i in range(10):
        factories.make_user(f"thanhvien{i}", world.a, ("viewer",))
    assert home_queries() == before


def test_the_city_lists_its_communes_with_search_without_diacritics(world, login):
    response = login("supervisor").get("/u/tp-thai-nguyen/units?q=dong lien", htmx=True)
    assert response.status_code == 200
    assert "Xã Đồng Liên" in response.get_data(as_text=True)
    assert "Xã Tân Cương" not in response.get_data(as_text=True)


def test_seed_scale_makes_communes_with_bodies_and_officers(app, db):
    result = app.test_cli_runner().invoke(args=["seed-scale", "--communes", "5", "--years", "2"])
    assert result.exit_code == 0, result.output
    from thiduaweb.scale import PROVINCE_CODE, count_rows

    province = db.session.scalar(select(Unit).where(Unit.code == PROVINCE_CODE))
    assert db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == province.id)) == 5
    assert count_rows(Body) >= 5 * 12
    # Names shaped like real ones, with the keys the lists sort by (on the nominee and its nominations).
    from thiduaweb.awards.models import Nomination, Nominee, name_sort_text

    with cross_unit_writes():
        nominees = {n.id: n for n in db.session.scalars(select(Nominee).execution_options(all_units=True))}
        nominations = list(db.session.scalars(select(Nomination).execution_options(all_units=True).limit(200)))
    assert nominees and all(n.sort_key == name_sort_text(n.name) != "" for n in nominees.values())
    assert nominations and all(m.sort_key == nominees[m.nominee_id].sort_key for m in nominations)
    households = [n for n in nominees.values() if n.kind == "household"]  # named by their head, as entered
    assert households and all(n.display_name == f"Hộ {'bà' if ' Thị ' in n.name else 'ông'} {n.name}"
                              and not n.name.startswith("Hộ ") for n in households)
    from thiduaweb.awards.models import Award

    with cross_unit_writes():
        awards = list(db.session.scalars(select(Award).execution_options(all_units=True).limit(200)))
    assert awards and all(a.nominee_name == nominees[a.nominee_id].display_name for a in awards)  # as a decision
    # No title nominated twice for one nominee in a year: the app refuses the second (awards.services).
    with cross_unit_writes():
        keys = db.session.execute(select(Nomination.nominee_id, Nomination.award_type_id, Nomination.year)
                                  .execution_options(all_units=True)).all()
    assert len(keys) > 500 and len(set(keys)) == len(keys)
    app.test_cli_runner().invoke(args=["seed-scale", "--communes", "5", "--years", "2"])
    assert db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == province.id)) == 5


def _add_communes(city, count, *, start=0, successor=None):
    """`count` communes under `city` ("Xã Mẫu 000"...), added in one flush; each merged into `successor`."""
    units = [Unit(code=f"{70000 + i}", name=f"Xã Mẫu {i:03d}", kind="commune", slug=f"xa-mau-{i:03d}",
                  parent_id=city.id, valid_from=date(2020, 1, 1), path="/") for i in range(start, start + count)]
    db.session.add_all(units)
    db.session.flush()
    for unit in units:
        unit.path = f"{city.path}{unit.id}/"
        if successor is not None:
            db.session.add(UnitSuccession(predecessor_id=unit.id, successor_id=successor.id,
                                          extent="partly" if unit.id % 2 else "whole", effective_on=date(2025, 7, 1)))
    db.session.commit()
    return units


def _new_ward():
    province = factories.make_unit("Tỉnh Thái Nguyên", kind="province", code="19", slug="tinh-thai-nguyen",
                                   valid_from=date(2025, 7, 1))
    return factories.make_unit("Phường Gia Sàng", kind="ward", code="05467", parent=province,
                               slug="phuong-gia-sang-2025", valid_from=date(2025, 7, 1))


def test_the_communes_search_ignores_diacritics_case_and_matches_codes(world, login):
    from tests.list_exports import page_rows

    client = login("supervisor")
    for q in ("dong lien", "Dong Lien", "ĐỒNG LIÊN", "  đồng   liên ", "dong-lien", "xa dong", "0591", "05914"):
        rows = page_rows(client.get(f"/u/tp-thai-nguyen/units?q={q}", htmx=True), "unit-table")
        assert [r[1] for r in rows] == ["Xã Đồng Liên"], q
    for q in ("5914", "zzz", "%", "_", "dong liem"):
        assert page_rows(client.get(f"/u/tp-thai-nguyen/units?q={q}"), "unit-table") == [], q


def test_the_communes_list_shows_50_a_page_and_the_next_page_the_rest(world, login):
    from tests.list_exports import page_rows

    _add_communes(world.city, 60)
    client = login("supervisor")
    first = client.get("/u/tp-thai-nguyen/units")
    second = client.get("/u/tp-thai-nguyen/units?page=2", htmx=True)
    names = [r[1] for r in page_rows(first, "unit-table")] + [r[1] for r in page_rows(second, "unit-table")]
    assert len(page_rows(first, "unit-table")) == 50 and len(page_rows(second, "unit-table")) == 12
    assert len(set(names)) == 62 and "Xã Đồng Liên" in names
    assert "62 đơn vị; đang xem 1–50" in text_of(first)
    body = first.get_data(as_text=True)
    # a plain link (no JavaScript) and htmx swapping only the table
    assert 'href="/u/tp-thai-nguyen/units?page=2"' in body and 'hx-target="#unit-table"' in body
    assert "<html" not in second.get_data(as_text=True) and "đang xem 51–62" in text_of(second)
    # the search is kept from page to page
    searched = client.get("/u/tp-thai-nguyen/units?q=xa mau", htmx=True)
    assert len(page_rows(searched, "unit-table")) == 50
    assert "units?q=xa+mau&amp;page=2" in searched.get_data(as_text=True)
    rest = page_rows(client.get("/u/tp-thai-nguyen/units?q=xa+mau&page=2", htmx=True), "unit-table")
    assert len(rest) == 10 and all(r[1].startswith("Xã Mẫu") for r in rest)


def test_the_communes_page_makes_the_same_number_of_queries_however_many_units(world, login):
    client = login("supervisor")
    client.get("/u/tp-thai-nguyen/")  # the first unit page loads the user, the next ones keep it
    ward = _new_ward()
    _add_communes(world.city, 5, successor=ward)

    def page_queries(url):
        with count_queries(db.engine) as count:
            response = client.get(url)
            assert response.status_code == 200
        return count(), response

    # The first visit after a change reads the supervised units afresh; the next ones keep them.
    few_fresh, response = page_queries("/u/tp-thai-nguyen/units")
    assert "Phường Gia Sàng (một phần)" in text_of(response)
    few = page_queries("/u/tp-thai-nguyen/units")[0]
    _add_communes(world.city, 120, start=5, successor=ward)
    many_fresh, response = page_queries("/u/tp-thai-nguyen/units")
    assert many_fresh == few_fresh and "127 đơn vị; đang xem 1–50" in text_of(response)
    assert page_queries("/u/tp-thai-nguyen/units")[0] == few < few_fresh
    assert page_queries("/u/tp-thai-nguyen/units?page=3")[0] == few
    assert page_queries("/u/tp-thai-nguyen/units?q=mau&page=2")[0] == few


def test_the_communes_page_answers_any_page_argument(world, login):
    from tests.list_exports import page_rows

    _add_communes(world.city, 60)
    client = login("supervisor")
    for page in ("", "0", "-1", "abc", "2.5", "1e3", "٣", "99999999999999999999", "%00", "3", "999"):
        response = client.get(f"/u/tp-thai-nguyen/units?page={page}")
        assert response.status_code == 200, page
        assert page_rows(response, "unit-table"), page
    # past the end: the last page
    assert len(page_rows(client.get("/u/tp-thai-nguyen/units?page=999"), "unit-table")) == 12


def test_the_communes_export_carries_every_matching_unit_of_every_page(world, login):
    from tests.list_exports import sheet_rows

    ward = _new_ward()
    _add_communes(world.city, 60, successor=ward)
    client = login("supervisor")
    header, data = sheet_rows(client.get("/u/tp-thai-nguyen/units?q=mau&page=2&format=xlsx"))
    assert len(data) == 60 and {r[header.index("Tên")] for r in data} == {f"Xã Mẫu {i:03d}" for i in range(60)}
    assert all(r[header.index("Đơn vị kế thừa từ 01/07/2025")].startswith("Phường Gia Sàng") for r in data)
    header, data = sheet_rows(client.get("/u/tp-thai-nguyen/units?format=xlsx"))
    assert len(data) == 62


def test_the_city_home_counts_its_communes_in_one_statement(world, login):
    client = login("supervisor")
    client.get("/u/tp-thai-nguyen/")  # the first unit page loads the user, the next ones keep it

    def home():
        with count_queries(db.engine) as count:
            response = client.get("/u/tp-thai-nguyen/")
            assert response.status_code == 200
        return count(), text_of(response)

    _add_communes(world.city, 7)
    few, text = home()
    assert "Xã, phường trực thuộc 9 Xem danh sách" in text
    _add_communes(world.city, 70, start=7)
    many, text = home()
    assert "Xã, phường trực thuộc 79 Xem danh sách" in text and many == few


def _unit_nav_links(response) -> list[tuple[str, bool]]:
    body = response.get_data(as_text=True)
    nav = body[body.index('aria-label="Chức năng của đơn vị"'):body.index("</nav>", body.index('aria-label="Chức năng của đơn vị"'))]
    return [(href, "active" in classes) for classes, href in re.findall(r'class="nav-link([^"]*)" href="([^"]+)"', nav)]


def test_the_unit_navigation_is_each_users_own_though_built_once_per_process(login):
    officer, council = login("officer_a"), login("council_a")
    for _ in range(2):  # the second round is served from the process's navigation cache
        officer_links = dict(_unit_nav_links(officer.get("/u/xa-dong-lien/")))
        council_links = dict(_unit_nav_links(council.get("/u/xa-dong-lien/")))
        assert "/u/xa-dong-lien/don-thu/" in officer_links and "/u/xa-dong-lien/users/" in officer_links
        assert "/u/xa-dong-lien/don-thu/" not in council_links and "/u/xa-dong-lien/users/" not in council_links
    assert officer_links["/u/xa-dong-lien/"] is True  # the page being shown is the marked one
    on_list = dict(_unit_nav_links(officer.get("/u/xa-dong-lien/khen-thuong/")))
    assert on_list["/u/xa-dong-lien/khen-thuong/"] is True and on_list["/u/xa-dong-lien/"] is False
    assert dict(_unit_nav_links(officer.get("/u/xa-dong-lien/khen-thuong/hang-cho")))["/u/xa-dong-lien/khen-thuong/"]
