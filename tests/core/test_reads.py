"""Several reads in one statement (core/reads.py): each read gets back exactly the rows it reads alone,
typed as its columns are, in its order; the unit scope holds for every read in the statement."""
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import count_queries, statements_of_page
from tests.plans.test_plans import city_plan, make_plan
from thiduaweb.audit.services import recent_read
from thiduaweb.complaints.services import counts_read
from thiduaweb.core.reads import Read, read_together
from thiduaweb.core.tenancy import all_units, unit_scope
from thiduaweb.extensions import db
from thiduaweb.plans import services as plan_services
from thiduaweb.plans.models import Plan
from thiduaweb.units.services import about_read


def _world_with_rows(world):
    for name in ("Xóm Cây Thị", "Xóm Đồng Kem", "Xóm Đèo Khế"):
        factories.make_body(world.a, name)
    factories.make_body(world.b, "Xóm của Tân Cương")
    plan = make_plan(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        plan_services.issue(plan, world.users["chairman_a"], issued_on=date(2021, 3, 10), number=26)
    return plan


def test_reads_together_give_each_read_the_rows_it_reads_alone_in_one_statement(world):
    _world_with_rows(world)
    with unit_scope({world.a.id}):
        reads = {"recent": recent_read(unit_ids=[world.a.id], limit=3), "about": about_read(world.a),
                 "petitions": counts_read([world.a.id], date(2021, 5, 1)),
                 "plans": Read(select(Plan.id, Plan.number_symbol, Plan.issued_on, Plan.created_at)
                               .where(Plan.unit_id == world.a.id))}
        alone = {name: read.rows() for name, read in reads.items()}
        with count_queries(db.engine) as sent:
            together = read_together(reads)
    assert sent() == 1
    assert together == alone
    assert together["recent"][0].object_label.startswith("26/KH-UBND")  # the plan issued last: newest first
    assert len(together["recent"]) == 3
    plan = together["plans"][0]
    assert plan.issued_on == date(2021, 3, 10) and isinstance(plan.created_at, datetime)
    assert together["petitions"][0]._asdict() == {"new": 0, "handling": 0, "due_soon": 0, "overdue": 0}


def test_reads_with_parameters_of_the_same_name_keep_their_own_values(world):
    _world_with_rows(world)
    with unit_scope({world.a.id, world.b.id}):
        together = read_together({"a": about_read(world.a), "b": about_read(world.b)})
        assert together == {"a": about_read(world.a).rows(), "b": about_read(world.b).rows()}
    assert together["a"] != together["b"]


def test_the_unit_scope_holds_for_every_read_in_the_statement(world):
    _world_with_rows(world)
    with unit_scope({world.b.id}):
        theirs = about_read(world.b).rows()
    with unit_scope({world.a.id}):
        together = read_together({"mine": about_read(world.a), "theirs": about_read(world.b)})
    def bodies(rows):
        return [row for row in rows if row.what == "body"]

    # Tân Cương's bodies, read in Đồng Liên's scope: none (accounts are no unit's rows)
    assert bodies(theirs) and bodies(together["theirs"]) == []
    assert bodies(together["mine"])


def test_a_read_with_no_rows_gives_an_empty_list(world):
    with unit_scope({world.a.id}):
        together = read_together({"none": Read(select(Plan.id).where(Plan.id == -1)), "about": about_read(world.a)})
    assert together["none"] == []


# --- the unit home ---------------------------------------------------------------------------------

def test_a_commune_home_drawn_afresh_reads_all_its_parts_in_one_statement(world, login, app):
    client = login("officer_a")
    app.extensions.pop("thiduaweb_page_cache", None)  # every part drawn afresh, the unit read again
    sent = statements_of_page(client, "/u/xa-dong-lien/")
    parts = [s for s in sent if "json_agg" in s or "json_group_array" in s]
    assert len(parts) == 1
    for table in ("membership", "audit_entry", "petition", "plan", "unit_year_figures"):
        assert re.search(rf'\b{table}\b', parts[0]), table
    # The counters and the user, the unit, the parts, the plans issued above (read across units).
    assert len([s for s in sent if s.lstrip().upper().startswith("SELECT")]) <= 5


def test_the_plans_issued_above_are_read_once_for_every_commune_below(world, login):
    plan = city_plan(world)
    body = login("officer_a").get("/u/xa-dong-lien/").get_data(as_text=True)
    assert f"/u/xa-dong-lien/plans/parent/{plan.id}" in body
    sent = " ".join(statements_of_page(login("officer_b"), "/u/xa-tan-cuong/"))
    assert "adoption_deadline" not in sent  # kept since Đồng Liên's home read them
    body = login("officer_b").get("/u/xa-tan-cuong/").get_data(as_text=True)
    assert f"Chưa tiếp nhận kế hoạch <a href=\"/u/xa-tan-cuong/plans/parent/{plan.id}\">32/KH-UBND</a>" in body


def test_a_parent_plan_adapted_leaves_only_that_communes_list(world, login):
    from tests.plans.test_plans import adopt

    plan = city_plan(world)
    login("officer_a").get("/u/xa-dong-lien/")
    adopt(world, world.a, plan)
    assert f"plans/parent/{plan.id}" not in login("officer_a").get("/u/xa-dong-lien/").get_data(as_text=True)
    assert f"plans/parent/{plan.id}" in login("officer_b").get("/u/xa-tan-cuong/").get_data(as_text=True)


def test_a_cross_unit_read_is_refused_with_others(world):
    with unit_scope({world.a.id}), pytest.raises(ValueError):
        read_together({"about": about_read(world.a), "across": Read(all_units(select(Plan.id)))})
