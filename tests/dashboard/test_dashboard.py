"""Dashboard figures against direct counts, drill-down, isolation, live updates, statement counts."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import count_queries, page_text, text_of
from thiduaweb.awards.models import DIRECT_LABOUR_GROUPS, Award, AwardType, Nomination
from thiduaweb.complaints.models import OPEN_STATUSES, Petition
from thiduaweb.core import clock
from thiduaweb.core.tenancy import cross_unit_writes, unit_scope
from thiduaweb.dashboard import services, stats
from thiduaweb.dashboard.models import UnitDueStat, UnitYearFigures, UnitYearStat
from thiduaweb.extensions import db
from thiduaweb.inspections.models import CorrectiveAction, Inspection
from thiduaweb.movements.models import Movement
from thiduaweb.plans.models import Plan


def _all(model):
    with cross_unit_writes():
        return list(db.session.scalars(select(model).execution_options(all_units=True)))


def direct_counts(unit, year, today):
    """Every figure of the table, counted in plain Python from the rows themselves."""
    plans = [p for p in _all(Plan) if p.unit_id == unit.id and p.year == year]
    parents = {p.id: p for p in _all(Plan)}
    adopted = [p for p in plans if p.parent_plan_id and p.status == "issued"]
    late = [p for p in adopted if parents[p.parent_plan_id].adoption_deadline
            and p.issued_on > parents[p.parent_plan_id].adoption_deadline]
    movements = [m for m in _all(Movement) if m.unit_id == unit.id and m.starts_on.year <= year
                 and (m.ends_on.year if m.ends_on else max(today.year, m.starts_on.year)) >= year]
    noms = [n for n in _all(Nomination) if n.unit_id == unit.id and n.year == year]
    types = {t.id: t for t in db.session.scalars(select(AwardType))}
    awards = [a for a in _all(Award) if a.unit_id == unit.id and a.year == year and a.revoked_on is None]
    persons = [a for a in awards if a.nominee_kind == "person"]
    direct = [a for a in persons if a.occupation_group in DIRECT_LABOUR_GROUPS]
    open_pets = [p for p in _all(Petition) if p.unit_id == unit.id and p.status in OPEN_STATUSES]
    scored = sorted([i for i in _all(Inspection) if i.unit_id == unit.id and i.kind == "self" and i.score is not None
                     and i.round.period_end.year == year], key=lambda i: (i.inspected_on, i.id))
    actions = [c for c in _all(CorrectiveAction) if c.unit_id == unit.id and c.status != "closed"]
    return {
        "plans_adopted": len(adopted), "plans_late": len(late), "mov_running": len(movements),
        "nom_total": len(noms), "nom_review": sum(n.state in stats.REVIEW_STATES for n in noms),
        "nom_proposed": sum(n.state == "proposed" for n in noms), "nom_awarded": sum(n.state == "awarded" for n in noms),
        "award_total": len(awards), "award_title": sum(types[a.award_type_id].category == "title" for a in awards),
        "award_form": sum(types[a.award_type_id].category == "form" for a in awards),
        "share": (len(direct) * 100.0 / len(persons)) if persons else None,
        "pet_open": len(open_pets),
        "pet_due_week": sum(1 for p in open_pets if p.due_on and today <= p.due_on <= today + timedelta(days=7)),
        "pet_overdue": sum(1 for p in open_pets if p.due_on and p.due_on < today),
        "insp_score": float(scored[-1].score) if scored else None,
        "ca_open": len(actions),
    }


def _row(table, unit):
    return next(r for r in table.rows if r["unit_id"] == unit.id)


def test_each_figure_equals_the_direct_count(stats_world):
    w = stats_world.world
    today = clock.today()
    for year in (stats_world.year, stats_world.year - 1):
        with unit_scope({w.city.id, w.a.id, w.b.id}):
            table = services.city_table(w.city, year)
        assert table.total == 2
        for unit in (w.a, w.b):
            row = _row(table, unit)
            for name, expected in direct_counts(unit, year, today).items():
                got = row[name]
                if expected is None or got is None:
                    assert got == expected, (unit.name, year, name)
                else:
                    assert got == pytest.approx(expected), (unit.name, year, name)


def test_the_hand_counted_figures(stats_world):
    w, y = stats_world.world, stats_world.year
    table = services.city_table(w.city, y)
    a, b = _row(table, w.a), _row(table, w.b)
    assert (a["plans_adopted"], a["plans_late"], b["plans_late"]) == (1, 0, 1)
    assert (a["nom_total"], a["nom_review"], a["nom_awarded"]) == (6, 2, 2)
    assert (a["award_total"], a["award_title"], a["award_form"]) == (6, 3, 3)
    assert a["share"] == pytest.approx(60.0) and b["share"] == pytest.approx(0.0)
    assert (a["pet_open"], a["pet_due_week"], a["pet_overdue"], b["pet_overdue"]) == (3, 1, 1, 1)
    assert a["insp_score"] == pytest.approx(85.25) and a["ca_open"] == 1
    assert a["mov_running"] == 1 and a["mov_progress"] == pytest.approx(50.0) and b["mov_progress"] == pytest.approx(100)
    assert a["mov_running_prev"] == 2 and a["award_total_prev"] == 1
    assert table.totals["award_total"] == 9


def test_drill_down_lists_are_as_long_as_the_figures(stats_world, login):
    w, y = stats_world.world, stats_world.year
    table = services.city_table(w.city, y)
    client = login("supervisor")
    checked = 0
    for unit in (w.a, w.b):
        row = _row(table, unit)
        for column in services.COLUMNS:
            if column.kind != "count" and column.kind != "due":
                continue
            response = client.get(f"/u/tp-thai-nguyen/dashboard/xem/{column.metric}?unit={unit.id}&year={y}", htmx=True)
            assert response.status_code == 200, column.metric
            body = response.get_data(as_text=True)
            total = int(re.search(r'class="drill-total">(\d+)<', body).group(1))
            assert total == row[column.name], (unit.name, column.name)
            assert body.count('class="drill-row"') == total
            checked += 1
    assert checked > 20


def test_drill_down_reaches_the_record(stats_world, login):
    w = stats_world.world
    client = login("supervisor")
    body = client.get(f"/u/tp-thai-nguyen/dashboard/xem/pet.overdue?unit={w.a.id}", htmx=True).get_data(as_text=True)
    petition = stats_world.petitions["a_overdue"]
    link = f"/u/xa-dong-lien/don-thu/{petition.id}"
    assert link in body
    assert client.get(link).status_code == 200


def test_the_city_page_sorts_filters_and_compares(stats_world, login):
    client = login("supervisor")
    page = client.get("/u/tp-thai-nguyen/dashboard/?sort=share&desc=1&compare=1")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert body.index('data-unit="xa-dong-lien"') < body.index('data-unit="xa-tan-cuong"')
    body = client.get("/u/tp-thai-nguyen/dashboard/?sort=share", htmx=True).get_data(as_text=True)
    assert body.index('data-unit="xa-tan-cuong"') < body.index('data-unit="xa-dong-lien"')
    assert "<html" not in body
    filtered = client.get("/u/tp-thai-nguyen/dashboard/?fc=pet_open&fo=gt&fv=2", htmx=True)
    assert "xa-dong-lien" in filtered.get_data(as_text=True) and 'data-unit="xa-tan-cuong"' not in filtered.get_data(
        as_text=True)
    assert "So với năm trước" in text_of(page)
    for bad in ("?year=abc&sort=;drop&fv=nan&page=-3", "?fv=1e999&fc=share&fo=gt", "?page=999999999999"):
        assert client.get("/u/tp-thai-nguyen/dashboard/" + bad).status_code == 200


def test_a_commune_sees_only_its_own_figures(stats_world, login):
    w = stats_world.world
    officer_b = login("officer_b")
    assert officer_b.get("/u/xa-dong-lien/dashboard/").status_code == 404
    assert officer_b.get(f"/u/xa-tan-cuong/dashboard/xem/award.total?unit={w.a.id}").status_code == 404
    assert officer_b.get(f"/u/xa-tan-cuong/dashboard/xem/award.total/export.xlsx?unit={w.a.id}").status_code == 404
    own = officer_b.get("/u/xa-tan-cuong/dashboard/")
    assert own.status_code == 200
    with unit_scope({w.b.id}):
        stats_rows = list(db.session.scalars(select(UnitYearStat)))
    assert stats_rows and {s.unit_id for s in stats_rows} == {w.b.id}
    home = officer_b.get("/u/xa-tan-cuong/")
    assert "Số liệu năm" in text_of(home)


def test_a_service_updates_the_dashboard_at_once(stats_world):
    from thiduaweb.complaints import services as complaints

    w = stats_world.world
    before = _row(services.city_table(w.city, stats_world.year), w.a)
    with unit_scope({w.a.id}):
        petition = db.session.get(Petition, stats_world.petitions["a_overdue"].id)
        complaints.withdraw(petition, w.users["officer_a"], "Công dân rút đơn")
    after = _row(services.city_table(w.city, stats_world.year), w.a)
    assert after["pet_open"] == before["pet_open"] - 1
    assert after["pet_overdue"] == before["pet_overdue"] - 1
    # An award revoked in the ORM leaves the figures in the same commit.
    with cross_unit_writes():
        award = db.session.scalars(select(Award).where(Award.unit_id == w.a.id, Award.year == stats_world.year,
                                                       Award.revoked_on.is_(None)).execution_options(all_units=True)).first()
        award.revoked_on = date.today()
        db.session.commit()
    assert _row(services.city_table(w.city, stats_world.year), w.a)["award_total"] == before["award_total"] - 1


def _awards_by_code(units, year):
    counts: dict = {}
    for a in _all(Award):
        if a.unit_id in units and a.year == year and a.revoked_on is None:
            counts[a.award_code] = counts.get(a.award_code, 0) + 1
    return counts


def test_city_charts_sum_the_communes_and_follow_changes(stats_world):
    w, y = stats_world.world, stats_world.year
    communes = {w.a.id, w.b.id}
    by_year = services.awards_by_year(w.city, [y - 1, y], children=True)
    for year in (y - 1, y):
        assert {code: years[year] for code, years in by_year.items() if year in years} == _awards_by_code(communes, year)
    kinds: dict = {}
    for p in _all(Petition):
        if p.unit_id in communes and p.received_on.year == y:
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
    assert services.breakdown(w.city, y, "pet.kind.", children=True) == kinds
    # A commune's chart is its own rows only.
    assert {c: v[y] for c, v in services.awards_by_year(w.a, [y]).items()} == _awards_by_code({w.a.id}, y)
    # A revoked award leaves the city's chart at once.
    with cross_unit_writes():
        award = db.session.scalars(select(Award).where(Award.unit_id == w.b.id, Award.year == y,
                                                       Award.revoked_on.is_(None)).execution_options(all_units=True)).first()
        award.revoked_on = date.today()
        db.session.commit()
    after = services.awards_by_year(w.city, [y], children=True)
    assert {code: years[y] for code, years in after.items()} == _awards_by_code(communes, y)


def test_rebuild_gives_the_same_rows(stats_world):
    def snapshot():
        with cross_unit_writes():
            years = sorted((s.unit_id, s.year, s.metric, s.value) for s in db.session.scalars(
                select(UnitYearStat).execution_options(all_units=True)))
            dues = sorted((s.unit_id, s.metric, str(s.due_on), s.value) for s in db.session.scalars(
                select(UnitDueStat).execution_options(all_units=True)))
            wide = sorted(tuple(r)[1:] for r in db.session.execute(  # all but the id
                select(UnitYearFigures.__table__).execution_options(all_units=True)))
        return years, dues, wide

    incremental = snapshot()
    with cross_unit_writes():
        stats.rebuild(db.session())
        db.session.commit()
    assert snapshot() == incremental


def _more_communes(city, n, years):
    units = [factories.make_unit(f"Xã Thêm {i}", parent=city, slug=f"xa-them-{i}") for i in range(n)]
    with cross_unit_writes():
        rows = [{"unit_id": u.id, "year": y, "metric": m, "value": 3} for u in units for y in years
                for m in ("award.total", "award.person", "award.direct", "nom.total", "plan.adopted")]
        db.session.execute(UnitYearStat.__table__.insert(), rows)
        db.session.commit()
    return units


def test_statement_count_does_not_grow_with_communes_or_years(stats_world, login, app, monkeypatch):
    w, y = stats_world.world, stats_world.year
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENTRIES", 0)  # the table is read and drawn each time
    client = login("supervisor")
    client.get("/u/tp-thai-nguyen/dashboard/")

    def measure():
        with count_queries(db.engine) as n:
            services.city_table(w.city, y)
        with count_queries(db.engine) as page:
            assert client.get("/u/tp-thai-nguyen/dashboard/?sort=share").status_code == 200
        return n(), page()

    small = measure()
    _more_communes(w.city, 30, range(y - 9, y + 1))
    assert measure() == small


def test_grouped_and_paginated_from_a_hundred_communes(stats_world, login):
    w = stats_world.world
    _more_communes(w.city, 110, [stats_world.year])
    table = services.city_table(w.city, stats_world.year)
    assert table.total == 112 and table.grouped and table.pages == 3 and len(table.rows) == services.PAGE_SIZE
    client = login("supervisor")
    body = client.get("/u/tp-thai-nguyen/dashboard/?page=3").get_data(as_text=True)
    assert "Theo nhóm" in body and 'aria-label="Phân trang"' in body


def _figure_in_page(body: str, slug: str, metric: str) -> str:
    row = body[body.index(f'data-unit="{slug}"'):]
    row = row[:row.index("</tr>")]
    return re.search(rf'data-metric="{re.escape(metric)}"[^>]*>([^<]*)</a>', row).group(1).strip()


def test_the_city_table_is_rendered_once_until_a_figure_changes(stats_world, login):
    from thiduaweb.complaints import services as complaints

    w = stats_world.world
    client = login("supervisor")
    url = "/u/tp-thai-nguyen/dashboard/?sort=share&desc=1"
    with count_queries(db.engine) as first:
        body = page_text(client.get(url))
    with count_queries(db.engine) as again:
        assert page_text(client.get(url)) == body
    assert again() < first()  # served from the cache: the figures were not read again
    open_before = int(_figure_in_page(body, "xa-dong-lien", "pet.open"))

    with unit_scope({w.a.id}):
        petition = db.session.get(Petition, stats_world.petitions["a_overdue"].id)
        complaints.withdraw(petition, w.users["officer_a"], "Công dân rút đơn")
    body = client.get(url).get_data(as_text=True)
    assert int(_figure_in_page(body, "xa-dong-lien", "pet.open")) == open_before - 1

    with cross_unit_writes():
        db.session.get(type(w.a), w.a.id).name = "Xã Đồng Liên (mới)"
        db.session.commit()
    assert "Xã Đồng Liên (mới)" in client.get(url).get_data(as_text=True)


def test_each_sort_and_page_of_the_city_table_is_its_own(stats_world, login):
    client = login("supervisor")
    ascending = client.get("/u/tp-thai-nguyen/dashboard/?sort=share", htmx=True).get_data(as_text=True)
    descending = client.get("/u/tp-thai-nguyen/dashboard/?sort=share&desc=1", htmx=True).get_data(as_text=True)
    assert ascending.index('data-unit="xa-tan-cuong"') < ascending.index('data-unit="xa-dong-lien"')
    assert descending.index('data-unit="xa-dong-lien"') < descending.index('data-unit="xa-tan-cuong"')
