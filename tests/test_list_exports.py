"""“Xuất Excel” of every list outside the awards module: the page's own link (carrying its filters)
downloads exactly the rows the page shows, with Vietnamese headers, a frozen header row and an
autofilter; another commune's export URL answers 404.

The demo data of every module is loaded once per test (the database is emptied after each)."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.helpers import UserClient
from tests.list_exports import assert_same_rows, export_href, page_rows, sheet_rows
from thiduaweb.demo import seed_demo


@pytest.fixture
def demo(app, db):
    app.config["TODAY"] = date(2021, 12, 20)
    world = seed_demo()
    yield world
    app.config.pop("TODAY", None)


def _client(app, username):
    client = UserClient(app)
    client.login(username, "ThiDua@2021")
    return client


def _check(client, url, container_id, page_col, sheet_col, *, must_carry=(), nonempty=True):
    """The page at `url` and its export: same rows; returns the sheet's (header, rows)."""
    page = client.get(url)
    rows = page_rows(page, container_id)
    href = export_href(page)
    for part in must_carry:
        assert part in href, (part, href)
    header, data = sheet_rows(client.get(href))
    assert_same_rows(rows, page_col, header, data, sheet_col)
    if nonempty:
        assert data, f"{url}: nothing to compare"
    return header, data


def test_commune_lists_export_their_filtered_rows(app, demo):
    officer = _client(app, "donglien.canbo")
    base = "/u/xa-dong-lien"
    # plans, filtered by year
    header, data = _check(officer, f"{base}/plans/?year=2021", "plan-table", 1, "Tên kế hoạch", must_carry=["year=2021"])
    assert header[:3] == ["Số, ký hiệu", "Ngày ban hành", "Tên kế hoạch"]
    assert all(r[header.index("Năm")] == 2021 for r in data)
    assert any(isinstance(r[1], datetime) for r in data)  # a real date, not text
    # movements with a kind filter, then none (the filter is carried)
    _check(officer, f"{base}/movements/?kind=regular", "movement-table", 0, "Tên phong trào", must_carry=["kind=regular"])
    everything = _check(officer, f"{base}/movements/", "movement-table", 0, "Tên phong trào")[1]
    _, narrowed = _check(officer, f"{base}/movements/?q=zzzz-khong-co", "movement-table", 0, "Tên phong trào",
                         nonempty=False)
    assert everything and narrowed == []
    # registrations of a year, filtered by kind
    header, data = _check(officer, f"{base}/movements/registrations?year=2021&kind=person", "registration-table", 1,
                          "Tên", must_carry=["kind=person", "year=2021"])
    assert {r[0] for r in data} == {"Cá nhân"}
    assert isinstance(data[0][header.index("Ngày đăng ký")], datetime)
    # achievements
    page = officer.get(f"{base}/movements/achievements")
    header, data = sheet_rows(officer.get(export_href(page)))
    assert len(data) == len(page_rows_plain(page)) and header[0] == "Đối tượng"
    # exemplars with a stage filter
    _check(officer, f"{base}/exemplars/", "exemplar-list", 0, "Tên")
    _check(officer, f"{base}/exemplars/?stage=discovered", "exemplar-list", 0, "Tên", must_carry=["stage=discovered"],
           nonempty=False)
    # bodies, users, audit trail (filtered by action)
    _check(officer, f"{base}/bodies?all=1", "body-table", 0, "Tên", must_carry=["all=1"])
    # self-inspection rounds reaching the commune
    page = officer.get(f"{base}/inspections/")
    header, data = sheet_rows(officer.get(export_href(page)))
    assert_same_rows(page_rows(page, "rounds-table"), 0, header, data, "Đợt tự kiểm tra")
    # cluster score tables
    page = officer.get(f"{base}/clusters/")
    if "tables-table" in page.get_data(as_text=True):
        header, data = sheet_rows(officer.get(f"{base}/clusters/?format=xlsx&list=tables"))
        assert_same_rows(page_rows(page, "tables-table"), 0, header, data, "Năm")


def page_rows_plain(page):
    from lxml import html

    tree = html.fromstring(page.get_data(as_text=True))
    return [tr for tr in tree.xpath("//table//tbody/tr") if not tr.xpath("./td[@colspan]")]


def test_city_lists_export_their_filtered_rows(app, demo):
    supervisor = _client(app, "noivu")
    base = "/u/tp-thai-nguyen"
    header, data = _check(supervisor, f"{base}/units?q=dong", "unit-table", 1, "Tên", must_carry=["q=dong"])
    assert [r[1] for r in data] == ["Xã Đồng Liên"] or all("Đồng" in r[1] for r in data)
    header, users = _check(supervisor, f"{base}/users/?role=officer", "user-table", 0, "Họ và tên",
                           must_carry=["role=officer"])
    assert all("Cán bộ" in r[header.index("Đơn vị và vai trò")] or r[header.index("Đơn vị và vai trò")] for r in users)
    header, entries = _check(supervisor, f"{base}/audit/?type=plan", "audit-table", 1, "Đơn vị",
                             must_carry=["type=plan"], nonempty=False)
    assert all(r[header.index("Đối tượng")] == entries[0][header.index("Đối tượng")] for r in entries)
    if entries:
        assert isinstance(entries[0][0], datetime)
    # the city's inspections index: templates and its own inspections
    page = supervisor.get(f"{base}/inspections/")
    header, data = sheet_rows(supervisor.get(f"{base}/inspections/?format=xlsx&list=templates"))
    assert_same_rows(page_rows(page, "templates-table"), 0, header, data, "Tên")
    header, data = sheet_rows(supervisor.get(f"{base}/inspections/?format=xlsx&list=inspections"))
    assert_same_rows(page_rows(page, "own-inspections-table"), 0, header, data, "Xã, phường")
    assert supervisor.get(f"{base}/inspections/?format=xlsx&list=khong-co").status_code == 404
    # clusters and score tables
    page = supervisor.get(f"{base}/clusters/")
    header, data = sheet_rows(supervisor.get(f"{base}/clusters/?format=xlsx&list=clusters"))
    assert_same_rows(page_rows(page, "clusters-table"), 0, header, data, "Cụm")
    header, data = sheet_rows(supervisor.get(f"{base}/clusters/?format=xlsx&list=tables"))
    assert_same_rows(page_rows(page, "tables-table"), 0, header, data, "Năm")


def test_another_communes_export_answers_404(app, demo):
    officer_b = _client(app, "tancuong.canbo")
    for path in ("plans/", "movements/", "movements/registrations?year=2021", "movements/achievements", "exemplars/",
                 "bodies", "audit/", "inspections/?list=rounds", "clusters/?list=tables"):
        sep = "&" if "?" in path else "?"
        response = officer_b.get(f"/u/xa-dong-lien/{path}{sep}format=xlsx")
        assert response.status_code == 404, (path, response.status_code)
    # and a city page's list is not a commune officer's
    assert officer_b.get("/u/tp-thai-nguyen/users/?format=xlsx").status_code in (403, 404)
