"""The citizens' award list (/p/<commune>/khen-thuong/): one year at a time (the most recent by default),
paged in SQL with links that keep the year, the same number of statements whatever the number of awards,
and no error whatever the query string."""
from __future__ import annotations

from datetime import date

from lxml import html

from tests.awards.conftest import give_award, make_nomination, make_nominee
from tests.factories import make_body
from tests.helpers import count_queries, text_of
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.core.vntext import name_sort_key
from thiduaweb.extensions import db

PUBLIC = "/p/xa-dong-lien/khen-thuong/"
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Khánh", "Lan", "Long", "Mai", "Minh", "Nam",
         "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Việt", "Yến"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"]


def _name(i: int) -> str:
    return f"{FAMILY[i // len(GIVEN) % len(FAMILY)]} Thị {GIVEN[i % len(GIVEN)]}"


def _award(unit, count, year, code="ldtt", *, offset=0, body=None):
    """`count` people of `unit`, each with one award of `year`; their names."""
    names = []
    for i in range(offset, offset + count):
        nominee = make_nominee(unit, _name(i), body_id=body.id if body else None)
        award = give_award(unit, nominee, code, year, number=i + 1)
        if body:
            with cross_unit_writes():
                db.session.merge(award).body_name = body.name
                db.session.commit()
        names.append(nominee.name)
    return names


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    tree = html.fromstring(response.get_data(as_text=True))
    return [[" ".join(td.text_content().split()) for td in tr.xpath("./td")]
            for tr in tree.xpath('//*[@id="award-list"]//tbody/tr') if len(tr.xpath("./td")) > 1]


def _selected_year(response) -> str | None:
    tree = html.fromstring(response.get_data(as_text=True))
    chosen = tree.xpath('//select[@id="year"]/option[@selected]/@value')
    return chosen[0] if chosen else None


def test_the_public_list_shows_the_most_recent_year_by_default(law, client):
    _award(law.a, 3, 2019)
    latest = _award(law.a, 2, 2021, offset=3)
    revoked = give_award(law.a, make_nominee(law.a, "Đỗ Văn Hùng"), "ldtt", 2022)
    with cross_unit_writes():
        db.session.merge(revoked).revoked_on = date(2023, 1, 5)
        db.session.commit()
    _award(law.b, 4, 2023)  # another commune's newer year does not count
    page = client.get(PUBLIC)
    rows = _rows(page)
    assert sorted(r[2] for r in rows) == sorted(latest) and {r[0] for r in rows} == {"2021"}
    assert _selected_year(page) == "2021"
    tree = html.fromstring(page.get_data(as_text=True))
    assert tree.xpath('//select[@id="year"]/option/@value') == ["2021", "2019"]  # no revoked 2022, no 2023 of B
    assert "Năm 2021: 2 lượt khen thưởng" in text_of(page)
    # Another year on request.
    older = client.get(f"{PUBLIC}?year=2019")
    assert {r[0] for r in _rows(older)} == {"2019"} and len(_rows(older)) == 3 and _selected_year(older) == "2019"


def test_the_pages_hold_exactly_the_years_awards_in_a_stable_order(app, law, client):
    ldtt = _award(law.a, 40, 2021, "ldtt")
    cstdcs = _award(law.a, 12, 2021, "cstdcs", offset=40)
    _award(law.a, 5, 2020, offset=52)
    first = client.get(PUBLIC)
    assert "Năm 2021: 52 lượt khen thưởng; đang xem 1–25" in text_of(first) and "Trang 1/3" in text_of(first)
    seen = []
    for number in (1, 2, 3):
        rows = _rows(client.get(f"{PUBLIC}?year=2021&page={number}"))
        assert len(rows) == (25, 25, 2)[number - 1]
        seen += rows
    # By title (its code), then by given name; each award exactly once.
    expected = sorted(cstdcs, key=name_sort_key) + sorted(ldtt, key=name_sort_key)
    assert [r[2] for r in seen] == expected
    assert {r[0] for r in seen} == {"2021"}
    # 50 a page when the configuration says so.
    app.config["PAGE_SIZE"] = 50
    try:
        assert len(_rows(client.get(PUBLIC))) == 50 and len(_rows(client.get(f"{PUBLIC}?page=2"))) == 2
    finally:
        app.config.pop("PAGE_SIZE", None)


def test_a_page_link_keeps_the_year_and_htmx_swaps_only_the_list(law, client):
    _award(law.a, 30, 2021)
    _award(law.a, 30, 2020, offset=30)
    # The default year is named in the links, so that a page stays on it.
    tree = html.fromstring(client.get(PUBLIC).get_data(as_text=True))
    nxt = tree.xpath('//*[@id="public-awards"]//a[@rel="next"]')[0]
    href = nxt.get("href")
    assert href.startswith(PUBLIC) and "year=2021" in href and "page=2" in href
    assert nxt.get("hx-get") == href and nxt.get("hx-target") == "#public-awards" and nxt.get("hx-push-url") == "true"
    # A year chosen by hand stays too.
    tree = html.fromstring(client.get(f"{PUBLIC}?year=2020").get_data(as_text=True))
    href = tree.xpath('//*[@id="public-awards"]//a[@rel="next"]')[0].get("href")
    assert "year=2020" in href and "page=2" in href
    fragment = client.get(href, htmx=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<div id="public-awards"')
    assert "posted-list" not in body
    rows = _rows(fragment)
    assert len(rows) == 5 and {r[0] for r in rows} == {"2020"}
    # Without JavaScript the same link gives the whole page, the posted list included.
    whole = client.get(href).get_data(as_text=True)
    assert "<html" in whole and 'id="posted-list"' in whole
    # The year form asks htmx for the same block.
    form = tree.xpath('//form[.//select[@id="year"]]')[0]
    assert form.get("hx-target") == "#public-awards" and form.get("method") == "get"


def test_a_year_without_awards_says_so(law, client):
    empty = client.get(PUBLIC)  # no award at all yet
    assert empty.status_code == 200 and "Chưa có quyết định khen thưởng nào." in text_of(empty)
    _award(law.a, 2, 2021)
    page = client.get(f"{PUBLIC}?year=2015")
    assert page.status_code == 200 and _rows(page) == []
    assert "Năm 2015 không có quyết định khen thưởng nào." in text_of(page)
    assert _selected_year(page) == "2015"
    assert "Trang 1/" not in text_of(page)


def test_bad_page_and_year_input_never_fails(law, client):
    _award(law.a, 30, 2021)
    _award(law.a, 2, 2020, offset=30)
    for query in ("page=abc", "page=-1", "page=0", "page=99999999999999999999", "page=2.5", "page=%00",
                  "year=abc", "year=0", "year=-2021", "year=99999999", "year=99999999999999999999", "year=2021.0",
                  "year=%E2%91%A1", "year=&page=", "year=1&page=x", "page=1&page=2", "year=2021&year=2020",
                  "format=xlsx"):
        response = client.get(f"{PUBLIC}?{query}")
        assert response.status_code == 200, query
        assert response.mimetype == "text/html", query
        assert _selected_year(response) in ("2021", "2020"), query
        assert _rows(response), query
        fragment = client.get(f"{PUBLIC}?{query}", htmx=True)
        assert fragment.status_code == 200, query
    # Past the last page: the last page.
    assert len(_rows(client.get(f"{PUBLIC}?page=999"))) == 5


def _statements(client, url) -> int:
    for _ in range(2):  # warm-up: what the first requests keep (the unit's copy is trusted from the second)
        client.get(url)
    with count_queries(db.engine) as n:
        assert client.get(url).status_code == 200
    return n()


def test_the_public_pages_statements_do_not_grow_with_the_awards(law, client):
    unit = law.a
    body = make_body(unit, "Xóm Đồng Kiệm")

    def grow(count, offset):
        _award(unit, count, 2021, body=body, offset=offset)
        _award(unit, 1, 2020 if offset else 2019, offset=offset + count)  # one more year in the choices
        for i in range(count // 5 or 1):
            nominee = make_nominee(unit, f"Đỗ Văn {GIVEN[(offset + i) % len(GIVEN)]}", body_id=body.id)
            make_nomination(unit, nominee, "giay_khen", state="cong_khai", posted_from=date(2021, 12, 1),
                            posted_to=date(2021, 12, 5))

    urls = (PUBLIC, f"{PUBLIC}?page=2", f"{PUBLIC}?year=2021")
    grow(5, 0)
    small = [_statements(client, url) for url in urls]
    grow(55, 6)
    large = [_statements(client, url) for url in urls]
    print("statements of the public page (few awards, many):", small, large)
    assert small == large
    page = client.get(PUBLIC)
    assert len(_rows(page)) == 25 and "Xóm Đồng Kiệm" in text_of(page)
    posted = html.fromstring(page.get_data(as_text=True)).xpath('//*[@id="posted-list"]//tbody/tr')
    assert len(posted) == 12 and "Xóm Đồng Kiệm" in posted[0].text_content()
    # And the htmx fragment of a page too.
    client.get(f"{PUBLIC}?page=2", htmx=True)
    with count_queries(db.engine) as n:
        client.get(f"{PUBLIC}?page=2", htmx=True)
    assert n() <= large[1]
