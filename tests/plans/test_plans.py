"""Plans: numbering, locking, adoption, the diff, isolation, the city's coverage, .docx, bad input."""
import io
import re
from datetime import date

import pytest
from docx import Document

from tests.helpers import text_of
from thiduaweb.core.tenancy import cross_unit_writes, unit_scope
from thiduaweb.extensions import db
from thiduaweb.plans import services
from thiduaweb.plans.models import Plan
from thiduaweb.plans.services import PlanRefused

ITEMS = [("I", "Mục đích một."), ("I", "Mục đích hai."), ("II", "Nội dung một."), ("II", "Nội dung hai."),
         ("II", "Nội dung ba."), ("III", "Tổ chức một.")]


def make_plan(unit, actor, items=ITEMS, **extra):
    with unit_scope({unit.id}):
        plan = services.create_plan(unit, actor, {"year": 2021, "title": "Kế hoạch thi đua\nnăm 2021", **extra})
        for section, text in items:
            services.add_item(plan, {"section": section, "text": text, "responsible": "", "due_on": None})
        return plan


def city_plan(world):
    plan = make_plan(world.city, world.users["supervisor"], adoption_deadline=date(2021, 3, 15))
    with unit_scope({world.city.id}):
        services.issue(plan, world.users["supervisor"], issued_on=date(2021, 3, 1), number=32)
    return plan


def get_plan(world, plan_id):
    with unit_scope({world.city.id, world.a.id, world.b.id}):
        plan = db.session.get(Plan, plan_id)
        plan.items  # noqa: B018 - loaded while the scope is bound
        return plan


def adopt(world, unit, parent, who="officer_a"):
    with unit_scope({unit.id}):
        return services.adopt(unit, parent, world.users[who])


# --- services -----------------------------------------------------------------------------------

def test_numbers_are_unique_per_unit_year_and_type_with_a_clear_error(world):
    first = make_plan(world.a, world.users["officer_a"])
    second = make_plan(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        services.issue(first, world.users["chairman_a"], issued_on=date(2021, 3, 10), number=26)
        assert first.number_symbol == "26/KH-UBND" and first.status == "issued"
        with pytest.raises(PlanRefused) as refused:
            services.issue(second, world.users["chairman_a"], issued_on=date(2021, 4, 1), number=26)
        assert refused.value.field == "number"
        assert "26/KH-UBND" in str(refused.value) and "đã được dùng" in str(refused.value)
        second = db.session.get(Plan, second.id)
        assert second.status == "draft" and second.number is None
        services.issue(second, world.users["chairman_a"], issued_on=date(2021, 4, 1))
        assert second.number_symbol == "27/KH-UBND"  # the next number of the series
        third = make_plan(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        services.issue(third, world.users["chairman_a"], issued_on=date(2022, 1, 5), number=26)  # a new year
        assert third.number_symbol == "26/KH-UBND"
    other = make_plan(world.b, world.users["officer_b"])
    with unit_scope({world.b.id}):
        services.issue(other, world.users["chairman_b"], issued_on=date(2021, 3, 10), number=26)  # another unit
        assert other.number_symbol == "26/KH-UBND"


def test_an_issued_plan_refuses_edits(world):
    plan = make_plan(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        services.issue(plan, world.users["chairman_a"], issued_on=date(2021, 3, 10))
        item = plan.items[0]
        for attempt in (lambda: services.update_plan(plan, {"title": "Khác"}),
                        lambda: services.add_item(plan, {"section": "II", "text": "Mới"}),
                        lambda: services.update_item(plan, item, {"section": "I", "text": "Sửa"}),
                        lambda: services.delete_item(plan, item),
                        lambda: services.delete_draft(plan)):
            with pytest.raises(PlanRefused, match="đã ban hành"):
                attempt()
        db.session.rollback()
        assert db.session.get(Plan, plan.id).items[0].text == "Mục đích một."


def test_an_empty_plan_cannot_be_issued(world):
    plan = make_plan(world.a, world.users["officer_a"], items=[])
    with unit_scope({world.a.id}), pytest.raises(PlanRefused, match="chưa có mục"):
        services.issue(plan, world.users["chairman_a"], issued_on=date(2021, 3, 10))


def test_adoption_copies_and_links_every_item(world):
    parent = city_plan(world)
    plan = adopt(world, world.a, parent)
    assert plan.status == "draft" and plan.parent_plan_id == parent.id and plan.unit_id == world.a.id
    assert [(i.section, i.position, i.text, i.parent_item_id) for i in plan.items] == [
        (p.section, p.position, p.text, p.id) for p in parent.items]
    assert "32/KH-UBND ngày 01/3/2021" in plan.bases
    with pytest.raises(PlanRefused, match="đã tiếp nhận"):
        adopt(world, world.a, parent)


def test_a_commune_cannot_adopt_a_draft_or_another_communes_plan(world):
    draft = make_plan(world.city, world.users["supervisor"])
    with pytest.raises(PlanRefused):
        adopt(world, world.a, draft)
    other = make_plan(world.b, world.users["officer_b"])
    with unit_scope({world.b.id}):
        services.issue(other, world.users["chairman_b"], issued_on=date(2021, 3, 10))
    with unit_scope({world.a.id}):
        assert services.parent_plans_for(world.a) == []


def test_the_diff_shows_kept_changed_removed_and_added(world):
    parent = city_plan(world)
    plan = adopt(world, world.a, parent)
    with unit_scope({world.a.id}):
        by_text = {i.text: i for i in plan.items}
        services.update_item(plan, by_text["Nội dung hai."], {"section": "II", "text": "Nội dung hai, theo xã.",
                                                              "responsible": "", "due_on": None})
        services.delete_item(plan, by_text["Nội dung một."])
        services.add_item(plan, {"section": "III", "text": "Tổ chức của xã.", "responsible": "UBMTTQ xã"})
        result = services.diff(plan)
    rows = [(r.kind, r.section, (r.item or r.parent_item).text) for r in result.rows]
    assert rows == [
        ("kept", "I", "Mục đích một."), ("kept", "I", "Mục đích hai."),
        ("removed", "II", "Nội dung một."), ("changed", "II", "Nội dung hai, theo xã."), ("kept", "II", "Nội dung ba."),
        ("kept", "III", "Tổ chức một."), ("added", "III", "Tổ chức của xã."),
    ]
    assert result.counts == {"kept": 4, "changed": 1, "removed": 1, "added": 1}
    changed = next(r for r in result.rows if r.kind == "changed")
    assert changed.parent_item.text == "Nội dung hai." and changed.changes == ["nội dung"]


def test_issuing_a_replacement_supersedes_the_old_plan(world):
    plan = make_plan(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        services.issue(plan, world.users["chairman_a"], issued_on=date(2021, 3, 10))
        copy = services.replace(plan, world.users["officer_a"])
        services.update_item(copy, copy.items[0], {"section": "I", "text": "Sửa đổi.", "responsible": ""})
        services.issue(copy, world.users["chairman_a"], issued_on=date(2021, 6, 1))
        assert db.session.get(Plan, plan.id).status == "superseded"
        assert copy.status == "issued" and copy.number_symbol == "02/KH-UBND"


def test_the_docx_opens_and_holds_heading_number_and_every_item(world, login):
    parent = city_plan(world)
    plan = adopt(world, world.a, parent)
    with unit_scope({world.a.id}):
        services.issue(plan, world.users["chairman_a"], issued_on=date(2021, 3, 10), number=26,
                       signer_name="Tạ Văn Phin")
    response = login("officer_a").get(f"/u/xa-dong-lien/plans/{plan.id}/docx")
    assert response.status_code == 200
    assert "26-KH-UBND.docx" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    body = "\n".join(p.text for p in document.paragraphs)
    assert "ỦY BAN NHÂN DÂN" in cells and "XÃ ĐỒNG LIÊN" in cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Số: 26/KH-UBND" in cells
    assert "ngày 10 tháng 3 năm 2021" in cells and "Tạ Văn Phin" in cells
    assert "KẾ HOẠCH" in body and "I. MỤC ĐÍCH, YÊU CẦU" in body and "III. TỔ CHỨC THỰC HIỆN" in body
    for section, text in ITEMS:
        assert text in body


# --- HTTP ---------------------------------------------------------------------------------------

def test_officer_adopts_edits_and_the_chairman_issues_over_http(world, login):
    parent = city_plan(world)
    officer = login("officer_a")
    page = text_of(officer.get("/u/xa-dong-lien/plans/"))
    assert "32/KH-UBND" in page and "Tiếp nhận" in page
    response = officer.post(f"/u/xa-dong-lien/plans/parent/{parent.id}/adopt")
    assert response.status_code == 303
    plan_url = response.headers["Location"]
    plan_id = int(re.search(r"/plans/(\d+)", plan_url).group(1))
    item = get_plan(world, plan_id).items[2]
    response = officer.post(f"/u/xa-dong-lien/plans/{plan_id}/items/{item.id}/edit",
                            {"section": "II", "text": "Nội dung một, xã điều chỉnh.", "responsible": "", "due_on": ""})
    assert response.status_code == 303
    assert officer.get(f"/u/xa-dong-lien/plans/{plan_id}/issue").status_code == 403
    chairman = login("chairman_a")
    response = chairman.post(f"/u/xa-dong-lien/plans/{plan_id}/issue", {"issued_on": "10/03/2021", "number": "26",
                                                                        "signer_name": "Tạ Văn Phin"})
    assert response.status_code == 303
    page = text_of(chairman.get(plan_url))
    assert "Kế hoạch số 26/KH-UBND" in page and "Đã sửa: 1" in page and "Giữ nguyên: 5" in page
    response = officer.post(f"/u/xa-dong-lien/plans/{plan_id}/items/{item.id}/edit",
                            {"section": "II", "text": "Lần nữa.", "responsible": "", "due_on": ""})
    assert response.status_code == 303 and get_plan(world, plan_id).items[2].text == "Nội dung một, xã điều chỉnh."


def test_the_city_sees_every_adoption_and_opens_a_communes_adaptation(world, login):
    parent = city_plan(world)
    plan_a = adopt(world, world.a, parent)
    adopt(world, world.b, parent, who="officer_b")
    with unit_scope({world.a.id}):
        services.delete_item(plan_a, plan_a.items[0])
        services.issue(plan_a, world.users["chairman_a"], issued_on=date(2021, 3, 10))
    supervisor = login("supervisor")
    page = text_of(supervisor.get(f"/u/tp-thai-nguyen/plans/{parent.id}/coverage"))
    assert "Xã Đồng Liên Đã ban hành" in page and "Xã Tân Cương Đang soạn (quá hạn)" in page
    assert "Đã tiếp nhận 2" in page
    changed = text_of(supervisor.get(f"/u/tp-thai-nguyen/plans/{parent.id}/coverage?show=changed", htmx=True))
    assert "Xã Đồng Liên" in changed and "Xã Tân Cương" not in changed
    response = supervisor.get(f"/u/xa-dong-lien/plans/{plan_a.id}")
    assert response.status_code == 200 and "Đã bỏ: 1" in text_of(response)
    assert "Sửa thông tin chung" not in text_of(response)  # the city reads, it does not write


def test_a_commune_cannot_see_another_communes_plans(world, login):
    parent = city_plan(world)
    plan = adopt(world, world.a, parent)
    item = plan.items[0]
    other = login("officer_b")
    for url in [f"/plans/{plan.id}", f"/plans/{plan.id}/print", f"/plans/{plan.id}/docx", f"/plans/{plan.id}/edit",
                f"/plans/{plan.id}/items/new", f"/plans/{plan.id}/items/{item.id}/edit"]:
        assert other.get("/u/xa-tan-cuong" + url).status_code == 404, url
        assert other.get("/u/xa-dong-lien" + url).status_code == 404, url
    for url in [f"/plans/{plan.id}/items/{item.id}/delete", f"/plans/{plan.id}/delete", f"/plans/{plan.id}/replace"]:
        assert other.post("/u/xa-tan-cuong" + url).status_code == 404, url
    assert other.get(f"/u/xa-tan-cuong/plans/{plan.id}/issue").status_code in (403, 404)
    assert other.get(f"/u/xa-tan-cuong/plans/{parent.id}/coverage").status_code in (403, 404)
    assert "0 kế hoạch" in text_of(other.get("/u/xa-tan-cuong/plans/"))
    assert get_plan(world, plan.id).items[0].text == item.text


def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(world, login):
    parent = city_plan(world)
    plan = adopt(world, world.a, parent)
    officer = login("officer_a")
    response = officer.post(f"/u/xa-dong-lien/plans/{plan.id}/items/new",
                            {"section": "II", "text": "   ", "responsible": "Đoàn Thanh niên xã", "due_on": "31/12/2021"},
                            htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="text-error"' in body
    assert "Nội dung mục không được để trống." in text_of(response)
    assert 'value="Đoàn Thanh niên xã"' in body and "31/12/2021" in body
    response = officer.post(f"/u/xa-dong-lien/plans/{plan.id}/items/new",
                            {"section": "II", "text": "Việc mới", "due_on": "31/02/2021"}, htmx=True)
    assert response.status_code == 422 and 'id="due_on-error"' in response.get_data(as_text=True)
    assert "Việc mới" in response.get_data(as_text=True)
    response = officer.post("/u/xa-dong-lien/plans/new", {"year": "2021", "title": "", "place": "Đồng Liên",
                                                          "recipients": "UBND thành phố"})
    assert response.status_code == 422 and 'id="title-error"' in response.get_data(as_text=True)
    assert "UBND thành phố" in response.get_data(as_text=True)
    chairman = login("chairman_a")
    response = chairman.post(f"/u/xa-dong-lien/plans/{plan.id}/issue", {"issued_on": "20/02/2021", "number": "26",
                                                                        "signer_name": "Tạ Văn Phin"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="issued_on-error"' in body
    assert "trước ngày của kế hoạch cấp trên" in text_of(response)
    assert "20/02/2021" in body and 'value="26"' in body and "Tạ Văn Phin" in body
    response = chairman.post(f"/u/xa-dong-lien/plans/{plan.id}/issue", {"issued_on": "10/03/2021", "number": "abc"})
    assert response.status_code == 422 and 'id="number-error"' in response.get_data(as_text=True)
    assert get_plan(world, plan.id).status == "draft"


def test_a_duplicate_number_is_refused_beside_the_number_field(world, login):
    first = make_plan(world.a, world.users["officer_a"])
    second = make_plan(world.a, world.users["officer_a"])
    chairman = login("chairman_a")
    assert chairman.post(f"/u/xa-dong-lien/plans/{first.id}/issue", {"issued_on": "10/03/2021", "number": "26"}).status_code == 303
    response = chairman.post(f"/u/xa-dong-lien/plans/{second.id}/issue", {"issued_on": "12/03/2021", "number": "26"},
                             htmx=True)
    assert response.status_code == 422 and 'id="number-error"' in response.get_data(as_text=True)
    assert "Số 26/KH-UBND năm 2021 đã được dùng" in text_of(response)


def test_print_view_has_the_official_layout(world, login):
    parent = city_plan(world)
    page = text_of(login("supervisor").get(f"/u/tp-thai-nguyen/plans/{parent.id}/print"))
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ THÁI NGUYÊN" in page and "Số: 32/KH-UBND" in page
    assert "Thái Nguyên, ngày 01 tháng 3 năm 2021" in page and "Nơi nhận:" in page and "- Lưu: VT." in page


# --- the demo world -----------------------------------------------------------------------------

def seed_demo_plans(world):
    from thiduaweb.demo import World
    from thiduaweb.plans import demo

    demo_world = World(units={"tp-thai-nguyen": world.city, "xa-dong-lien": world.a, "xa-tan-cuong": world.b},
                       users={"noivu": world.users["supervisor"], "donglien.canbo": world.users["officer_a"],
                              "donglien.chutich": world.users["chairman_a"], "tancuong.canbo": world.users["officer_b"]})
    with cross_unit_writes():
        demo.seed(demo_world)
        demo.seed(demo_world)  # idempotent
    return demo_world


def test_the_demo_loads_26_kh_ubnd_exactly_as_an_adaptation_of_32(world):
    from thiduaweb.plans.demo import SEED_ITEMS

    demo_world = seed_demo_plans(world)
    plan = demo_world.extra["plan26"]
    with unit_scope({world.a.id}):
        plan = db.session.get(Plan, plan.id)
        assert plan.number_symbol == "26/KH-UBND" and plan.issued_on == date(2021, 3, 10)
        assert plan.signer_name == "Tạ Văn Phin" and plan.recipient_list[-1] == "Lưu: VP-UBND"
        for section, texts in SEED_ITEMS.items():
            assert [i.text for i in plan.items_of(section)] == texts
        assert len(SEED_ITEMS["II"]) == 11 and SEED_ITEMS["II"][5].startswith("Đẩy mạnh các phong trào")
        counts = services.diff(plan).counts
    assert all(counts[kind] > 0 for kind in ("kept", "changed", "removed", "added")), counts


def test_the_coverage_exports_to_excel_with_the_same_rows(world, login):
    from openpyxl import load_workbook

    parent = city_plan(world)
    adopt(world, world.a, parent)
    response = login("supervisor").get(f"/u/tp-thai-nguyen/plans/{parent.id}/coverage?show=adopted&format=xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Xã Đồng Liên" in values and "Xã Tân Cương" not in values


def test_the_home_page_names_the_latest_issued_plan_the_drafts_and_the_plans_to_adopt(world, login):
    officer = login("officer_a")
    panel = lambda: text_of(officer.get("/u/xa-dong-lien/"))  # noqa: E731
    assert "Kế hoạch mới nhất" not in panel() and "Dự thảo đang soạn" not in panel()
    older, newer, draft = (make_plan(world.a, world.users["officer_a"]) for _ in range(3))
    with unit_scope({world.a.id}):
        services.issue(older, world.users["chairman_a"], issued_on=date(2021, 3, 10), number=26)
        services.issue(newer, world.users["chairman_a"], issued_on=date(2021, 6, 2), number=41)
    city_plan(world)
    text = panel()
    assert "Kế hoạch mới nhất: 41/KH-UBND (02/06/2021)" in text
    assert "Dự thảo đang soạn: 1" in text
    assert "Chưa tiếp nhận kế hoạch 32/KH-UBND của cấp trên" in text
