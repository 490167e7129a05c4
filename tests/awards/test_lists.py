"""The awards lists: paged in SQL (a total, a page in the query string kept with the filters, the same
number of statements whatever the number of rows) and exported to Excel from the list's own query."""
from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
from lxml import html

from tests.awards.conftest import give_award, make_nomination, make_nominee
from tests.factories import make_body
from tests.helpers import count_queries
from thiduaweb.awards.models import FundEntry, Nomination
from thiduaweb.core.tenancy import cross_unit_writes, unit_scope
from thiduaweb.extensions import db

BASE = "/u/xa-dong-lien/khen-thuong"
OTHER = "/u/xa-tan-cuong/khen-thuong"
IDENTITY = "019283746556"
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Khánh", "Lan", "Long", "Mai", "Minh", "Nam",
         "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Việt", "Yến"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"]


def _people(unit, count, *, offset=0, body=None):
    people = []
    for i in range(offset, offset + count):
        name = f"{FAMILY[i // len(GIVEN) % len(FAMILY)]} Văn {GIVEN[i % len(GIVEN)]}"
        people.append(make_nominee(unit, name, identity_number=IDENTITY, position="Nông dân",
                                   body_id=body.id if body else None, birth_year=1970 + i % 30))
    return people


def _nominations(unit, count, *, offset=0, body=None, year=2021, code="ldtt"):
    return [make_nomination(unit, n, code, year=year, proposing_body_id=body.id if body else None,
                            review_on=date(2021, 11, 10))
            for n in _people(unit, count, offset=offset, body=body)]


def _rows(response, container: str) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    tree = html.fromstring(response.get_data(as_text=True))
    rows = []
    for tr in tree.xpath(f'//*[@id="{container}"]//tbody/tr'):
        cells = [re.sub(r"\s+", " ", c.text_content()).strip() for c in tr.xpath("./td")]
        if len(cells) > 1:
            rows.append(cells)
    return rows


def _workbook(response) -> tuple[list, list[tuple]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = int(re.match(r"[A-Z]+(\d+)", sheet.freeze_panes).group(1)) - 2
    return list(rows[header_at]), [r for r in rows[header_at + 1:] if any(v not in (None, "") for v in r)]


def _cells(response) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    return {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}


def _export_href(response) -> str:
    tree = html.fromstring(response.get_data(as_text=True))
    links = [a for a in tree.xpath("//a[@href]") if "Xuất Excel" in a.text_content()]
    assert links, "no Xuất Excel link"
    assert links[0].get("hx-boost") == "false"
    return links[0].get("href")


# --- Paging ----------------------------------------------------------------------------------------

def test_the_nominations_list_pages_in_sql_with_a_total_and_a_stable_order(law, login):
    body = make_body(law.a, "Xóm Đồng Kiệm")
    _nominations(law.a, 60, body=body)
    client = login("officer_a")
    first = client.get(f"{BASE}/")
    assert len(_rows(first, "nomination-table")) == 25
    text = first.get_data(as_text=True)
    assert "60 đề nghị" in text and "đang xem 1–25" in text and "Trang 1/3" in text
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"{BASE}/?page={number}")
        seen += [r[1] for r in _rows(page, "nomination-table")]
    assert len(seen) == 60 and len(set(seen)) == 60
    # People by given name, as the whole list sorted in Python would be.
    from thiduaweb.core.vntext import name_sort_key

    names = [s.split(" Cá nhân")[0] for s in seen]
    assert names == sorted(names, key=name_sort_key)
    # Out of range or unreadable: the nearest page, never an error.
    assert len(_rows(client.get(f"{BASE}/?page=999"), "nomination-table")) == 10
    assert len(_rows(client.get(f"{BASE}/?page=trang-hai"), "nomination-table")) == 25
    assert client.get(f"{BASE}/?page=-3&year=99999999999999").status_code == 200


def test_a_page_link_keeps_the_filters_and_htmx_swaps_only_the_table(law, login):
    _nominations(law.a, 30)
    _nominations(law.a, 3, offset=30, year=2020, code="cstdcs")
    client = login("officer_a")
    first = client.get(f"{BASE}/?year=2021&state=draft")
    tree = html.fromstring(first.get_data(as_text=True))
    nxt = tree.xpath('//*[@id="nomination-table"]//a[@rel="next"]')[0]
    href = nxt.get("href")
    assert "year=2021" in href and "state=draft" in href and "page=2" in href
    assert nxt.get("hx-get") == href and nxt.get("hx-target") == "#nomination-table"
    assert nxt.get("hx-push-url") == "true"
    fragment = client.get(href, htmx=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<div id="nomination-table"')
    assert len(_rows(fragment, "nomination-table")) == 5
    assert "30 đề nghị" in body
    # Without JavaScript the same link gives the whole page.
    assert "<html" in client.get(href).get_data(as_text=True)


PAGES = {"nominations": "/", "nominees": "/doi-tuong", "register": "/so-khen-thuong", "decisions": "/quyet-dinh",
         "queue": "/hang-cho", "fund": "/quy", "share": "/ty-le"}


def _statements(client, base=BASE) -> dict[str, int]:
    counts = {}
    for name, url in PAGES.items():
        client.get(base + url)  # warm-up: what the first request of a client caches
        with count_queries(db.engine) as n:
            assert client.get(base + url).status_code == 200
        counts[name] = n()
    return counts


def _grow(unit, body, count, offset):
    for n in _nominations(unit, count, offset=offset, body=body):
        give_award(unit, n.nominee, "ldtt", 2021, number=300 + offset + count)


def test_page_statements_do_not_grow_with_the_rows(law, login, app, monkeypatch):
    """5 and then 60 nominations (each with its nominee, body and register row): the same statements."""
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 0)  # each page read and drawn each time
    body = make_body(law.a, "Xóm Cây Thị")
    _grow(law.a, body, 5, 0)
    client = login("officer_a")
    small = _statements(client)
    _grow(law.a, body, 55, 5)
    large = _statements(client)
    print("statements per page (5 rows, 60 rows):", small, large)
    assert small == large


def test_the_supervising_units_queue_statements_do_not_grow(law, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 0)
    city = law.city

    def queue(count, offset):
        for i, person in enumerate(_people(city, count, offset=offset)):
            make_nomination(city, person, "ldtt", origin_nomination_id=10_000 + offset + i, origin_unit_id=law.a.id,
                            origin_proposal_symbol=f"{offset + i}/TTr-UBND")

    queue(5, 0)
    client = login("supervisor")
    small = _statements(client, "/u/tp-thai-nguyen/khen-thuong")
    queue(55, 5)
    large = _statements(client, "/u/tp-thai-nguyen/khen-thuong")
    assert small == large
    page = client.get("/u/tp-thai-nguyen/khen-thuong/hang-cho")
    assert len(_rows(page, "queue-list")) == 60


def test_the_register_and_the_nominees_list_page_too(law, login):
    people = _people(law.a, 30)
    for person in people:
        give_award(law.a, person, "ldtt", 2021)
    client = login("officer_a")
    register = client.get(f"{BASE}/so-khen-thuong")
    assert len(_rows(register, "register-table")) == 25 and "30 lượt khen thưởng" in register.get_data(as_text=True)
    assert len(_rows(client.get(f"{BASE}/so-khen-thuong?page=2"), "register-table")) == 5
    nominees = client.get(f"{BASE}/doi-tuong")
    assert len(_rows(nominees, "nominee-table")) == 25 and "30 đối tượng" in nominees.get_data(as_text=True)
    assert len(_rows(client.get(f"{BASE}/doi-tuong?page=2"), "nominee-table")) == 5


def test_page_size_comes_from_the_configuration(app, law, login):
    _nominations(law.a, 12)
    app.config["PAGE_SIZE"] = 5
    try:
        client = login("officer_a")
        assert len(_rows(client.get(f"{BASE}/?page=3"), "nomination-table")) == 2
    finally:
        app.config.pop("PAGE_SIZE", None)


# --- Excel ---------------------------------------------------------------------------------------------

def test_a_filtered_nominations_export_holds_exactly_the_filtered_rows(law, login):
    body = make_body(law.a, "Xóm Đồng Kiệm")
    _nominations(law.a, 30, body=body)
    _nominations(law.a, 4, offset=30, year=2020)
    client = login("officer_a")
    page = client.get(f"{BASE}/?year=2020")
    href = _export_href(page)
    assert "year=2020" in href and "format=xlsx" in href
    header, data = _workbook(client.get(href))
    assert header[:4] == ["Năm", "Đối tượng", "Loại", "Danh hiệu, hình thức"]
    assert [r[1] for r in data] == [r[1].split(" Cá nhân")[0] for r in _rows(page, "nomination-table")]
    assert {r[0] for r in data} == {2020} and len(data) == 4
    assert data[0][header.index("Ngày bình xét")].date() == date(2021, 11, 10)
    # Every page of the list, not only the first.
    _, everything = _workbook(client.get(f"{BASE}/?format=xlsx&page=2"))
    assert len(everything) == 34
    _, searched = _workbook(client.get(f"{BASE}/?format=xlsx&q=van an"))
    assert searched and all(r[1].endswith(" An") for r in searched)


def test_the_other_exports_hold_the_lists_rows(law, login):
    unit = law.a
    body = make_body(unit, "Xóm Cây Thị")
    people = _people(unit, 6, body=body)
    awards = [give_award(unit, person, "ldtt", 2020 + i % 2, number=200 + i) for i, person in enumerate(people)]
    with cross_unit_writes():
        for award in awards:
            db.session.merge(award).body_name = "Xóm Cây Thị"
        for kind, amount, day in (("income", 50_000_000, date(2021, 1, 5)), ("payment", 3_000_000, date(2021, 2, 1)),
                                  ("income", 1_000_000, date(2020, 3, 1))):
            db.session.add(FundEntry(unit_id=unit.id, year=day.year, entry_on=day, kind=kind, amount=amount,
                                     description=f"Khoản {kind} {day.isoformat()}"))
        db.session.commit()
    client = login("officer_a")

    page = client.get(f"{BASE}/so-khen-thuong?year=2021&body=cay thi")
    header, data = _workbook(client.get(_export_href(page)))
    assert len(data) == 3 == len(_rows(page, "register-table"))
    assert [r[2] for r in data] == [r[2].split(" Cá nhân")[0] for r in _rows(page, "register-table")]
    assert all(r[0] == 2021 and r[4] == "Xóm Cây Thị" for r in data)
    assert data[0][header.index("Ngày quyết định")].date() == date(2021, 12, 28)

    page = client.get(f"{BASE}/doi-tuong?kind=person&body={body.id}")
    header, data = _workbook(client.get(_export_href(page)))
    assert [r[0] for r in data] == [r[0] for r in _rows(page, "nominee-table")] and len(data) == 6
    assert isinstance(data[0][header.index("Năm sinh")], int)

    page = client.get(f"{BASE}/quyet-dinh?year=2021")
    header, data = _workbook(client.get(_export_href(page)))
    assert len(data) == 3 and all(r[1].year == 2021 for r in data)
    assert isinstance(data[0][header.index("Tiền thưởng (đồng)")], (int, float))

    page = client.get(f"{BASE}/quy?year=2021")
    header, data = _workbook(client.get(_export_href(page)))
    assert [r[3] for r in data] == [50_000_000, -3_000_000]
    assert data[0][0].date() == date(2021, 1, 5)

    page = client.get(f"{BASE}/ty-le?year=2021")
    header, data = _workbook(client.get(_export_href(page)))
    assert data[0][0] == "Xã Đồng Liên" and data[0][1] == 3


def test_queue_and_duplicates_exports(law, login):
    city, a, b = law.city, law.a, law.b
    mine = make_nomination(a, make_nominee(a, "Lê Thị Mai", identity_number=IDENTITY, birth_year=1980), "ldtt")
    make_nomination(b, make_nominee(b, "Lê Thị Mai", identity_number=IDENTITY, birth_year=1980), "ldtt")
    client = login("officer_a")
    page = client.get(f"{BASE}/de-nghi/{mine.id}/trung")
    header, data = _workbook(client.get(_export_href(page)))
    assert [(r[0], r[1]) for r in data] == [("Xã Tân Cương", "Lê Thị Mai")]
    assert IDENTITY not in _cells(client.get(_export_href(page)))

    origin = make_nominee(a, "Phạm Văn Hùng", identity_number=IDENTITY)
    upper = make_nominee(city, "Phạm Văn Hùng", identity_number=IDENTITY)
    make_nomination(city, upper, "ldtt", state="draft", origin_nomination_id=999, origin_unit_id=a.id,
                    origin_proposal_symbol="12/TTr-UBND")
    supervisor = login("supervisor")
    page = supervisor.get("/u/tp-thai-nguyen/khen-thuong/hang-cho")
    header, data = _workbook(supervisor.get(_export_href(page)))
    assert [(r[0], r[1], r[2]) for r in data] == [("12/TTr-UBND", "Xã Đồng Liên", "Phạm Văn Hùng")]
    assert IDENTITY not in _cells(supervisor.get(_export_href(page))) and origin.identity_number == IDENTITY


def test_another_communes_exports_answer_404(law, login):
    nomination = _nominations(law.a, 2)[0]
    client = login("officer_b")
    for url in ("/?format=xlsx", "/doi-tuong?format=xlsx", "/so-khen-thuong?format=xlsx", "/hang-cho?format=xlsx",
                "/quyet-dinh?format=xlsx", "/quy?format=xlsx", "/ty-le?format=xlsx",
                f"/de-nghi/{nomination.id}/trung?format=xlsx"):
        assert client.get(BASE + url).status_code == 404, url
    # Through commune B's own address, A's nomination is not there either.
    assert client.get(f"{OTHER}/de-nghi/{nomination.id}/trung?format=xlsx").status_code == 404


def test_the_identity_number_is_in_no_export(law, login):
    unit = law.a
    people = _people(unit, 3)
    for person in people:
        make_nomination(unit, person, "ldtt")
        give_award(unit, person, "cstdcs", 2021)
    with unit_scope({unit.id}):
        first = db.session.scalar(db.select(Nomination.id).where(Nomination.unit_id == unit.id))
    urls = ["/", "/doi-tuong", "/so-khen-thuong", "/hang-cho", "/quyet-dinh", "/quy", "/ty-le",
            f"/de-nghi/{first}/trung"]
    for who in ("officer_a", "supervisor", "chairman_a"):
        client = login(who)
        for url in urls:
            response = client.get(f"{BASE}{url}?format=xlsx")
            assert response.status_code == 200, (who, url)
            assert IDENTITY not in _cells(response), (who, url)
    # The citizens' page has no export and never shows the number.
    public = login("officer_b").client.get("/p/xa-dong-lien/khen-thuong/?format=xlsx")
    assert public.status_code == 200 and public.mimetype == "text/html"
    assert IDENTITY not in public.get_data(as_text=True)


def test_a_renamed_nominee_takes_its_new_place_in_the_nominations_list(law, login):
    from thiduaweb.awards import services

    nominations = _nominations(law.a, 3)  # Nguyễn Văn An, Nguyễn Văn Bình, Nguyễn Văn Chi
    client = login("officer_a")
    before = [r[1].split(" Cá nhân")[0] for r in _rows(client.get(f"{BASE}/"), "nomination-table")]
    assert before == ["Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Chi"]
    with unit_scope({law.a.id}):
        nominee = db.session.get(Nomination, nominations[0].id).nominee
        services.save_nominee(law.a, {"name": "Nguyễn Văn Dũng"}, nominee)
    after = [r[1].split(" Cá nhân")[0] for r in _rows(client.get(f"{BASE}/"), "nomination-table")]
    assert after == ["Nguyễn Văn Bình", "Nguyễn Văn Chi", "Nguyễn Văn Dũng"]
    # A filter on the name goes through the joined list; it sorts the same way.
    found = [r[1].split(" Cá nhân")[0] for r in _rows(client.get(f"{BASE}/?q=nguyen van"), "nomination-table")]
    assert found == after
