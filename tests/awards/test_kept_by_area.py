"""Parts of unit pages are kept per area (core/revisions.py): a change in one module redraws the parts that
read it, at once, and leaves the others kept — a nomination changed does not redraw the petitions panel."""
from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.awards.conftest import make_nomination, make_nominee
from tests.awards.test_lists import BASE, _rows
from tests.complaints.conftest import petition_data
from tests.helpers import page_text
from thiduaweb.awards.models import AwardType
from thiduaweb.core.revisions import SUMMARY_AREA, UnitAreaRevision, known_areas, listed_area
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.extensions import db
from thiduaweb.units import views as unit_views
from thiduaweb.units.models import Body, Unit

HOME = "/u/xa-dong-lien/"


@pytest.fixture
def drawn(monkeypatch) -> Counter:
    """How many times each home panel was drawn (its values read) since the fixture began."""
    counts: Counter = Counter()
    for name, panel in list(unit_views.HOME_PANELS.items()):
        def build(unit, rows, panel=panel):
            counts[panel.name] += 1
            return panel.build(unit, rows)
        monkeypatch.setitem(unit_views.HOME_PANELS, name, dataclasses.replace(panel, build=build))
    return counts


def area_counter(unit, area) -> tuple[int, int]:
    row = db.session.execute(select(UnitAreaRevision.revision, UnitAreaRevision.own_revision)
                             .where(UnitAreaRevision.unit_id == unit.id, UnitAreaRevision.area == area)).first()
    return tuple(row) if row else (0, 0)


def test_a_nomination_raises_its_communes_awards_area_and_its_citys_tree_counter_only(law):
    a, city, b = area_counter(law.a, "awards"), area_counter(law.city, "awards"), area_counter(law.b, "awards")
    plans = area_counter(law.a, "plans")
    make_nomination(law.a, make_nominee(law.a))
    assert area_counter(law.a, "awards")[0] > a[0] and area_counter(law.a, "awards")[1] > a[1]
    assert area_counter(law.city, "awards")[0] > city[0]  # the city's pages show what is below it
    assert area_counter(law.city, "awards")[1] == city[1]  # its own awards did not change
    assert area_counter(law.b, "awards") == b and area_counter(law.a, "plans") == plans


def test_a_nomination_changed_redraws_the_figures_at_once_and_leaves_the_other_panels_kept(law, login, drawn):
    client = login("officer_a")
    client.get(HOME)
    drawn.clear()
    make_nomination(law.a, make_nominee(law.a))
    body = page_text(client.get(HOME))
    assert drawn == {"figures": 1}  # the petitions and the plans panels were not read again
    assert "Đề nghị khen thưởng: <a" in body
    assert '<strong>1</strong></a>, đang xét' in body  # this year's one nomination, shown at once


def test_a_petition_filed_redraws_the_petitions_panel_and_the_figures_but_not_the_nominations_list(
        law, login, drawn, client):
    make_nomination(law.a, make_nominee(law.a))
    officer = login("officer_a")
    officer.get(HOME)
    officer.get(f"{BASE}/")
    drawn.clear()
    assert client.post("/p/xa-dong-lien/don-thu/", data=petition_data()).status_code == 303
    body = page_text(officer.get(HOME))
    assert drawn == {"complaints": 1, "figures": 1}
    assert "Mới nhận, chờ phân loại: <strong>1</strong>" in body

    from tests.helpers import count_queries

    with count_queries(db.engine) as listed:
        assert len(_rows(officer.get(f"{BASE}/"), "nomination-table")) == 1
    assert listed() <= 3  # the list's overview and table stayed kept: no nomination read


def test_a_village_added_shows_on_the_home_and_leaves_the_panels_kept(law, login, drawn):
    client = login("officer_a")
    client.get(HOME)
    drawn.clear()
    factories.make_body(law.a, "Xóm Cây Thị")
    body = page_text(client.get(HOME))
    assert "Thôn, xóm, tổ dân phố: <strong>1</strong>" in body and "<em>Xóm Cây Thị</em>" in body
    assert not drawn


def test_a_proposing_body_renamed_shows_in_the_nominations_list_at_once(law, login):
    village = factories.make_body(law.a, "Xóm Cây Thị")
    make_nomination(law.a, make_nominee(law.a), proposing_body_id=village.id)
    client = login("officer_a")
    assert _rows(client.get(f"{BASE}/"), "nomination-table")[0][3] == "Xóm Cây Thị"
    with cross_unit_writes():
        db.session.get(Body, village.id).name = "Xóm Cây Thị Mới"
        db.session.commit()
    assert _rows(client.get(f"{BASE}/"), "nomination-table")[0][3] == "Xóm Cây Thị Mới"


def test_a_catalogue_change_raises_every_area_of_every_unit_and_redraws_every_panel(law, login, drawn):
    client = login("officer_a")
    client.get(HOME)
    drawn.clear()
    before = {area: area_counter(law.b, area) for area in known_areas()}
    award_type = db.session.scalar(select(AwardType).where(AwardType.code == "ldtt"))
    award_type.name = "Lao động tiên tiến (tên mới)"
    db.session.commit()
    assert all(area_counter(law.b, area)[0] > before[area][0] for area in known_areas())
    client.get(HOME)
    assert drawn == {"complaints": 1, "plans": 1, "figures": 1}


def test_the_day_turning_redraws_the_panels_that_count_from_the_day(law, login, drawn, app):
    client = login("officer_a")
    client.get(HOME)
    drawn.clear()
    app.config["TODAY"] = date(2021, 12, 21)
    client.get(HOME)
    # Petitions due this week and overdue, figures of the day; the plans panel shows dates only.
    assert drawn == {"complaints": 1, "figures": 1}


# --- The summary area: parts that show figures alone -----------------------------------------------

def _edit(nomination, **changes):
    from thiduaweb.awards import services
    from thiduaweb.core.tenancy import unit_scope

    with unit_scope({nomination.unit_id}):
        nomination = db.session.get(type(nomination), nomination.id)
        year = changes.pop("year", nomination.year)
        services.update_nomination(db.session.get(Unit, nomination.unit_id), nomination,
                                   award_code=nomination.award_type.code, year=year, data=changes)


@pytest.fixture
def overviews(monkeypatch) -> list:
    """The units whose nominations overview was read (its figures) since the fixture began."""
    from thiduaweb.awards import services

    read = []
    real = services.nominations_overview

    def counted(unit_id, year):
        read.append(unit_id)
        return real(unit_id, year)
    monkeypatch.setattr(services, "nominations_overview", counted)
    return read


@pytest.fixture
def pages_read(monkeypatch) -> list:
    """The units whose nominations list's page was read since the fixture began."""
    from thiduaweb.awards import services

    read = []
    real = services.nominations_page

    def counted(unit_id, *args, **kwargs):
        read.append(unit_id)
        return real(unit_id, *args, **kwargs)
    monkeypatch.setattr(services, "nominations_page", counted)
    return read


def test_a_nominations_text_edited_keeps_the_figures_and_the_whole_list(law, login, drawn, overviews, pages_read):
    nomination = make_nomination(law.a, make_nominee(law.a))
    client = login("officer_a")
    client.get(HOME)
    client.get(f"{BASE}/")
    drawn.clear()
    overviews.clear()
    pages_read.clear()
    summary, listed = area_counter(law.a, SUMMARY_AREA), area_counter(law.a, listed_area("awards"))
    _edit(nomination, achievements="Thành tích viết lại, không đổi số liệu nào.")
    assert area_counter(law.a, SUMMARY_AREA) == summary  # no figure changed: no summary row was written
    assert area_counter(law.a, listed_area("awards")) == listed  # nor anything the list shows
    assert '<strong>1</strong></a>, đang xét' in page_text(client.get(HOME))
    assert len(_rows(client.get(f"{BASE}/"), "nomination-table")) == 1
    assert not drawn and not overviews and not pages_read  # figures, overview and table stayed kept


def test_what_the_list_shows_changed_redraws_it_at_once(law, login, pages_read):
    from thiduaweb.awards import services
    from thiduaweb.core.tenancy import unit_scope

    nominee = make_nominee(law.a, "Nguyễn Văn An")
    nomination = make_nomination(law.a, nominee)
    client = login("officer_a")
    assert _rows(client.get(f"{BASE}/"), "nomination-table")[0][1].startswith("Nguyễn Văn An")
    with unit_scope({law.a.id}):
        services.save_nominee(law.a, {"name": "Nguyễn Văn Bình"}, db.session.get(type(nominee), nominee.id))
        db.session.commit()
    assert _rows(client.get(f"{BASE}/"), "nomination-table")[0][1].startswith("Nguyễn Văn Bình")
    with cross_unit_writes():
        db.session.get(type(nomination), nomination.id).state = "returned"
        db.session.commit()
    assert _rows(client.get(f"{BASE}/"), "nomination-table")[0][4] == "Trả lại để bổ sung"
    assert len(pages_read) == 3


def test_a_nomination_moved_to_another_year_shows_in_the_figures_at_once(law, login, drawn):
    nomination = make_nomination(law.a, make_nominee(law.a))
    client = login("officer_a")
    assert '<strong>1</strong></a>, đang xét' in page_text(client.get(HOME))
    drawn.clear()
    summary, sibling = area_counter(law.a, SUMMARY_AREA), area_counter(law.b, SUMMARY_AREA)
    city = area_counter(law.city, SUMMARY_AREA)
    _edit(nomination, year=2020)
    assert area_counter(law.a, SUMMARY_AREA)[1] > summary[1]
    assert area_counter(law.city, SUMMARY_AREA)[0] > city[0] and area_counter(law.city, SUMMARY_AREA)[1] == city[1]
    assert area_counter(law.b, SUMMARY_AREA) == sibling
    assert '<strong>0</strong></a>, đang xét' in page_text(client.get(HOME))  # this year (2021) has none left
    assert drawn == {"figures": 1}


def _share_line(client) -> str:
    from tests.helpers import text_of

    text = text_of(client.get(f"{BASE}/"))
    return text[text.index("Tỷ lệ khen thưởng"):text.index("Chỉ tiêu")]


def test_the_lists_share_counts_a_nominees_new_occupation_at_once(law, login):
    from tests.awards.conftest import give_award
    from thiduaweb.awards import services
    from thiduaweb.core.tenancy import unit_scope

    give_award(law.a, make_nominee(law.a, "Nông dân", occupation="farmer"), "ldtt", 2021)
    teacher = make_nominee(law.a, "Giáo viên", occupation="teacher")
    make_nomination(law.a, teacher, "giay_khen", state="appraised")
    client = login("officer_a")
    assert "100,0% (1/1 cá nhân đã khen); tính cả 1 đề nghị đang thẩm định: 50,0%" in _share_line(client)
    with unit_scope({law.a.id}):
        nominee = db.session.get(type(teacher), teacher.id)
        services.save_nominee(law.a, {"occupation_group": "farmer"}, nominee)
        db.session.commit()
    assert "tính cả 1 đề nghị đang thẩm định: 100,0%" in _share_line(client)


def test_the_lists_overview_comes_along_with_its_table_or_alone_when_only_a_figure_changed(
        law, login, overviews, client):
    make_nomination(law.a, make_nominee(law.a, "Nông dân", occupation="farmer"), "giay_khen", state="appraised")
    officer = login("officer_a")
    assert "tính cả 1 đề nghị đang thẩm định: 100,0%" in _share_line(officer)
    overviews.clear()
    # A nomination added: the table is read again, and the overview with it, in the same statement.
    make_nomination(law.a, make_nominee(law.a, "Giáo viên", occupation="teacher"), "giay_khen", state="appraised")
    assert "tính cả 2 đề nghị đang thẩm định: 50,0%" in _share_line(officer)
    assert overviews == []
    # A petition filed changes a figure but no nomination: the overview alone is read again.
    assert client.post("/p/xa-dong-lien/don-thu/", data=petition_data()).status_code == 303
    assert "tính cả 2 đề nghị đang thẩm định: 50,0%" in _share_line(officer)
    assert overviews == [law.a.id]


def test_a_row_link_built_once_is_the_link_routing_builds(app):
    from flask import g, url_for

    from thiduaweb.core.templating import row_url

    with app.test_request_context("/"):
        g.unit = type("U", (), {"slug": "xa-dong-lien"})()
        link = row_url("awards.nomination", "nomination_id")
        assert [link(i) for i in (7, 1234)] == [url_for("awards.nomination", nomination_id=i) for i in (7, 1234)]
        assert link(7) == "/u/xa-dong-lien/khen-thuong/de-nghi/7"


@pytest.mark.parametrize("query", ["?q=Nguy%E1%BB%85n+V%C4%83n&state=draft&page=3&format=xlsx",
                                   "?q=987654321987&year=2021"])  # a filter holding the mark page_urls writes in
def test_a_pagers_links_built_once_are_the_links_routing_builds(app, query):
    from flask import g

    from thiduaweb.core.listing import page_url, page_urls

    with app.test_request_context("/u/xa-dong-lien/khen-thuong/" + query):
        g.unit = type("U", (), {"slug": "xa-dong-lien"})()
        for keep in ({}, {"year": 2021}):
            link = page_urls(**keep)
            assert [link(n) for n in (1, 2, 17)] == [page_url(n, **keep) for n in (1, 2, 17)]
        assert "page=" not in page_urls()(1) and "format" not in page_urls()(2)


@pytest.mark.postgres_only
def test_nominations_added_by_four_officers_at_once_are_all_counted(app, law):
    """Four writers at once (PostgreSQL, READ COMMITTED): each reads and counts the summary rows only once
    it holds the audit chain's head, after the writers before it committed; a count made beside another
    writer's would miss its nomination, and the figures would say fewer than four."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Cần PostgreSQL (TEST_DATABASE_URL) để thử ghi đồng thời.")
    import threading

    from thiduaweb.awards import rules
    from thiduaweb.awards.models import Nomination
    from thiduaweb.core.tenancy import unit_scope
    from thiduaweb.dashboard.services import unit_metrics

    unit_id = law.a.id
    award_type_id = rules.award_type_for("ldtt", date(2021, 11, 1)).id
    nominee_ids = [make_nominee(law.a, f"Người {n}", occupation="farmer").id for n in range(4)]
    barrier, errors = threading.Barrier(4, timeout=15), []

    def officer(n):
        with app.app_context():
            try:
                with unit_scope({unit_id}):
                    db.session.add(Nomination(unit_id=unit_id, nominee_id=nominee_ids[n], award_type_id=award_type_id,
                                              year=2021, judged_on=date(2021, 11, 1), state="appraised"))
                    barrier.wait()  # then all four flush at once: the first takes the chain's head, the rest wait
                    db.session.commit()
            except Exception as error:  # reported below: a thread's failure must fail the test
                errors.append(error)
            finally:
                db.session.remove()

    db.session.commit()  # the test's own transaction must not hold the chain's head
    threads = [threading.Thread(target=officer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors and not any(t.is_alive() for t in threads)
    with unit_scope({unit_id}):
        figures = unit_metrics([unit_id], 2021, ("nom.total", "nom.pending_person", "nom.pending_direct"))[unit_id]
    assert figures == {"nom.total": 4, "nom.pending_person": 4, "nom.pending_direct": 4}
