"""Movements: targets, progress with evidence, reviews, city movements joined by communes,
registrations and compacts; isolation and bad input."""
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest

from tests.factories import make_body
from tests.helpers import text_of
from thiduaweb.core.tenancy import cross_unit_writes, unit_scope
from thiduaweb.extensions import db
from thiduaweb.movements import services
from thiduaweb.movements.models import Movement
from thiduaweb.movements.services import MovementRefused

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_movement(unit, actor, **extra):
    data = {"name": "Toàn dân bảo vệ an ninh Tổ quốc", "kind": "regular", "level": "commune",
            "starts_on": date(2021, 3, 10), "ends_on": date(2021, 12, 31), **extra}
    with unit_scope({unit.id}):
        movement = services.create_movement(unit, actor, data)
        target = services.add_target(movement, {"indicator": "Xóm an toàn về an ninh, trật tự", "measure": "xóm",
                                                "target_value": Decimal(6), "due_on": date(2021, 12, 31)})
        return movement, target


def scoped(world):
    return unit_scope({world.city.id, world.a.id, world.b.id})


def test_progress_towards_a_target_over_time(world):
    movement, target = make_movement(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        services.add_progress(movement, target, world.users["officer_a"], {"reported_on": date(2021, 6, 30),
                                                                           "value": Decimal(3)})
        services.add_progress(movement, target, world.users["officer_a"], {"reported_on": date(2021, 9, 30),
                                                                           "value": Decimal("4.5")})
        assert target.current_value == Decimal("4.5") and target.percent == 75
        chart = services.chart(target)
        assert len(chart["dots"]) == 2 and chart["dots"][0][0] < chart["dots"][1][0]
        with pytest.raises(MovementRefused) as refused:
            services.add_progress(movement, target, None, {"reported_on": date(2021, 1, 1), "value": Decimal(1)})
        assert refused.value.field == "reported_on"


def test_dates_in_the_wrong_order_are_refused(world):
    with unit_scope({world.a.id}), pytest.raises(MovementRefused) as refused:
        services.create_movement(world.a, None, {"name": "X", "kind": "regular", "level": "commune",
                                                 "starts_on": date(2021, 5, 1), "ends_on": date(2021, 4, 1)})
    assert refused.value.field == "ends_on"


def test_a_review_records_results_by_target_and_achievements(world):
    movement, target = make_movement(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        review = services.add_review(movement, None, {"kind": "interim", "held_on": date(2021, 7, 20),
                                                      "summary": "Sơ kết 6 tháng."}, {target.id: (Decimal(4), "Đạt 67%")})
        services.add_achievement(review, {"subject_kind": "collective", "subject_name": "Xóm Cây Thị",
                                          "description": "Không có vụ việc phức tạp."})
        assert [(r.target_id, r.achieved_value, r.assessment) for r in review.results] == [(target.id, 4, "Đạt 67%")]
        rows = services.achievements_of(world.a)
        assert [(a.subject_name, r.kind_label) for a, r, m in rows] == [("Xóm Cây Thị", "Sơ kết")]
        services.add_review(movement, None, {"kind": "final", "held_on": date(2021, 12, 20), "summary": "Tổng kết."}, {})
        with pytest.raises(MovementRefused, match="đã có tổng kết"):
            services.add_review(movement, None, {"kind": "final", "held_on": date(2021, 12, 21), "summary": "Lại."}, {})


def city_movement(world):
    movement, _ = make_movement(world.city, world.users["supervisor"], name="Thực hiện cải cách hành chính",
                                level="city", for_communes=True)
    return movement


def test_communes_join_a_city_movement_with_their_own_targets_side_by_side(world, login):
    parent = city_movement(world)
    officer = login("officer_a")
    page = text_of(officer.get("/u/xa-dong-lien/movements/"))
    assert "Thực hiện cải cách hành chính" in page and "Tham gia" in page
    response = officer.post(f"/u/xa-dong-lien/movements/city/{parent.id}/join")
    assert response.status_code == 303
    mine_id = int(re.search(r"/movements/(\d+)", response.headers["Location"]).group(1))
    with scoped(world):
        mine = db.session.get(Movement, mine_id)
        assert mine.parent_movement_id == parent.id and mine.unit_id == world.a.id
        target = mine.targets[0]
        assert target.parent_target_id == parent.targets[0].id
    response = officer.post(f"/u/xa-dong-lien/movements/{mine_id}/targets/{target.id}/edit",
                            {"indicator": target.indicator, "measure": "xóm", "target_value": "5", "due_on": ""})
    assert response.status_code == 303
    response = officer.post(f"/u/xa-dong-lien/movements/{mine_id}/targets/{target.id}/progress",
                            {"reported_on": "30/06/2021", "value": "4",
                             "evidence": (BytesIO(PDF), "bien-ban.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 303
    page = officer.get(f"/u/xa-dong-lien/movements/{mine_id}")
    assert "bien-ban.pdf" in text_of(page) and "Đạt 4 / 5 (80%)" in text_of(page)
    with unit_scope({world.b.id}):
        services.join(world.b, parent, world.users["officer_b"])
        with pytest.raises(MovementRefused, match="đã tham gia"):
            services.join(world.b, parent, world.users["officer_b"])
    page = text_of(login("supervisor").get(f"/u/tp-thai-nguyen/movements/{parent.id}/communes"))
    assert "Xã Đồng Liên 4 / 5" in page and "80%" in page and "Xã Tân Cương — / 6" in page


def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(world, login):
    movement, target = make_movement(world.a, world.users["officer_a"])
    officer = login("officer_a")
    response = officer.post("/u/xa-dong-lien/movements/new", {
        "name": "Bảo đảm an toàn giao thông", "kind": "regular", "level": "commune", "plan_item_id": "0",
        "starts_on": "01/06/2021", "ends_on": "01/05/2021"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="ends_on-error"' in body
    assert "Ngày kết thúc không được trước ngày bắt đầu." in text_of(response)
    assert 'value="Bảo đảm an toàn giao thông"' in body and "01/06/2021" in body and "01/05/2021" in body
    response = officer.post(f"/u/xa-dong-lien/movements/{movement.id}/targets/new",
                            {"indicator": "Số buổi tuyên truyền", "measure": "buổi", "target_value": "mười hai"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="target_value-error"' in body
    assert "Giá trị phải là một số" in text_of(response)
    assert 'value="Số buổi tuyên truyền"' in body and 'value="mười hai"' in body
    response = officer.post(f"/u/xa-dong-lien/movements/{movement.id}/targets/{target.id}/progress",
                            {"reported_on": "30/06/2021", "value": "3", "note": "Ghi chú của tôi",
                             "evidence": (BytesIO(b"not a pdf"), "gia-mao.pdf")}, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="evidence-error"' in body and "không khớp" in body
    assert "Ghi chú của tôi" in body and 'value="3"' in body
    response = officer.post(f"/u/xa-dong-lien/movements/{movement.id}/reviews/new",
                            {"kind": "interim", "held_on": "20/07/2021", "summary": "Sơ kết",
                             f"result_{target.id}": "bốn", f"assessment_{target.id}": "Khá"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="result_{target.id}-error"' in body
    assert 'value="bốn"' in body and 'value="Khá"' in body
    with unit_scope({world.a.id}):
        assert db.session.get(Movement, movement.id).reviews == []


def test_a_commune_cannot_see_another_communes_movements(world, login):
    movement, target = make_movement(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        review = services.add_review(movement, None, {"kind": "interim", "held_on": date(2021, 7, 20),
                                                      "summary": "Sơ kết."}, {})
        registration = services.add_registration(world.a, {"year": 2021, "subject_kind": "person",
                                                           "subject_name": "Dương Thị Hồng", "title": "Lao động tiên tiến",
                                                           "registered_on": date(2021, 3, 20)})
    other = login("officer_b")
    for url in [f"/movements/{movement.id}", f"/movements/{movement.id}/edit", f"/movements/{movement.id}/targets/new",
                f"/movements/{movement.id}/targets/{target.id}/edit", f"/movements/{movement.id}/targets/{target.id}/progress",
                f"/movements/{movement.id}/reviews/new", f"/movements/{movement.id}/reviews/{review.id}"]:
        assert other.get("/u/xa-tan-cuong" + url).status_code == 404, url
        assert other.get("/u/xa-dong-lien" + url).status_code == 404, url
    assert other.post(f"/u/xa-tan-cuong/movements/registrations/{registration.id}/delete").status_code == 404
    assert other.post(f"/u/xa-tan-cuong/movements/{movement.id}/targets/{target.id}/delete").status_code == 404
    assert "Dương Thị Hồng" not in text_of(other.get("/u/xa-tan-cuong/movements/registrations?year=2021"))


def test_registrations_and_compacts_with_counts_per_commune_for_the_city(world, login):
    make_body(world.a, "Xóm Cây Thị")
    make_body(world.a, "Xóm Mỹ Khánh")
    officer = login("officer_a")
    response = officer.post("/u/xa-dong-lien/movements/registrations/new", {
        "year": "2021", "subject_kind": "person", "subject_name": "Dương Thị Hồng", "body_id": "0",
        "title": "Lao động tiên tiến", "registered_on": "20/03/2021"})
    assert response.status_code == 303
    response = officer.post("/u/xa-dong-lien/movements/registrations/new", {
        "year": "2021", "subject_kind": "household", "subject_name": "Hộ ông Thắng", "body_id": "0",
        "title": "", "registered_on": "20/03/2021"})
    assert response.status_code == 422 and 'id="title-error"' in response.get_data(as_text=True)
    assert 'value="Hộ ông Thắng"' in response.get_data(as_text=True)
    response = officer.post("/u/xa-dong-lien/movements/compacts/new", {
        "year": "2021", "name": "Giao ước thi đua giữa các xóm", "signed_on": "25/03/2021",
        "parties": "Xóm Cây Thị\nXóm Mỹ Khánh", "content": ""})
    assert response.status_code == 303
    response = officer.post("/u/xa-dong-lien/movements/compacts/new", {
        "year": "2021", "name": "Một bên", "signed_on": "25/03/2021", "parties": "Xóm Cây Thị"})
    assert response.status_code == 422 and 'id="parties-error"' in response.get_data(as_text=True)
    page = text_of(officer.get("/u/xa-dong-lien/movements/registrations?year=2021"))
    assert "Dương Thị Hồng" in page and "Giao ước thi đua giữa các xóm" in page
    with unit_scope({world.b.id}):
        services.add_registration(world.b, {"year": 2021, "subject_kind": "collective", "subject_name": "Trường Tiểu học",
                                            "title": "Tập thể lao động tiên tiến", "registered_on": date(2021, 3, 22)})
        services.add_registration(world.b, {"year": 2020, "subject_kind": "person", "subject_name": "Năm trước",
                                            "title": "Lao động tiên tiến", "registered_on": date(2020, 3, 22)})
    page = text_of(login("supervisor").get("/u/tp-thai-nguyen/movements/registrations/by-commune?year=2021"))
    assert "Xã Đồng Liên 1 0 0 1 1" in page and "Xã Tân Cương 0 1 0 1 0" in page and "Cộng 1 1 0 2 1" in page
    export = login("supervisor").get("/u/tp-thai-nguyen/movements/registrations/by-commune?year=2021&format=xlsx")
    assert export.status_code == 200 and export.mimetype.endswith("spreadsheetml.sheet")
    assert login("officer_a").get("/u/xa-dong-lien/movements/registrations/by-commune").status_code == 403


def test_an_officer_corrects_a_registration_and_a_bad_correction_loses_nothing(world, login):
    from thiduaweb.movements.models import Registration

    village = make_body(world.a, "Xóm Cây Thị")
    with unit_scope({world.a.id}):
        registration = services.add_registration(world.a, {
            "year": 2021, "subject_kind": "person", "subject_name": "Dương Thị Hông", "title": "Lao động tiên tiến",
            "registered_on": date(2021, 3, 20)})
    url = f"/u/xa-dong-lien/movements/registrations/{registration.id}/edit"
    officer = login("officer_a")
    form = officer.get(url).get_data(as_text=True)
    assert 'value="Dương Thị Hông"' in form and "Sửa đăng ký thi đua" in form
    response = officer.post(url, {"year": "2021", "subject_kind": "person", "subject_name": "Dương Thị Hồng",
                                  "body_id": str(village.id), "title": "Chiến sĩ thi đua cơ sở",
                                  "registered_on": "20/03/2021", "note": "Sửa chính tả tên"})
    assert response.status_code == 303
    page = text_of(officer.get("/u/xa-dong-lien/movements/registrations?year=2021"))
    assert "Dương Thị Hồng Xóm Cây Thị Chiến sĩ thi đua cơ sở" in page and "Dương Thị Hông" not in page

    response = officer.post(url, {"year": "2021", "subject_kind": "person", "subject_name": "Tên mới",
                                  "body_id": "0", "title": "", "registered_on": "20/03/2019"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="title-error"' in body and 'value="Tên mới"' in body
    response = officer.post(url, {"year": "2021", "subject_kind": "person", "subject_name": "Tên mới",
                                  "body_id": "0", "title": "Lao động tiên tiến", "registered_on": "20/03/2019"})
    assert response.status_code == 422 and "Ngày đăng ký phải thuộc năm 2021" in response.get_data(as_text=True)
    response = officer.post(url, {"year": "2021", "subject_kind": "collective", "subject_name": "Trường Tiểu học",
                                  "body_id": "0", "title": "chiến sĩ thi đua cơ sở", "registered_on": "20/03/2021"})
    assert response.status_code == 422  # a person's title, asked for a school
    assert "là danh hiệu dành cho cá nhân, không dành cho tập thể" in response.get_data(as_text=True)
    db.session.expire_all()
    with unit_scope({world.a.id}):
        kept = db.session.get(Registration, registration.id)
        assert (kept.subject_name, kept.title, kept.body_id) == ("Dương Thị Hồng", "Chiến sĩ thi đua cơ sở", village.id)

    other = login("officer_b")
    assert other.get(f"/u/xa-tan-cuong/movements/registrations/{registration.id}/edit").status_code == 404
    assert other.post(f"/u/xa-tan-cuong/movements/registrations/{registration.id}/edit", {
        "year": "2021", "subject_kind": "person", "subject_name": "Kẻ lạ", "body_id": "0",
        "title": "Lao động tiên tiến", "registered_on": "20/03/2021"}).status_code == 404
    assert login("supervisor").get(url).status_code == 403  # the city reads a commune's registrations only


def test_the_demo_movements_load_with_levels_targets_progress_and_reviews(world):
    from tests.plans.test_plans import seed_demo_plans
    from thiduaweb.movements import demo

    demo_world = seed_demo_plans(world)
    with cross_unit_writes():
        demo.seed(demo_world)
        demo.seed(demo_world)  # idempotent
    with unit_scope({world.a.id}):
        movements = services.movements_of(world.a)
        levels = {m.name: m.level for m in movements}
        assert levels["Cả nước chung tay vì người nghèo - không để ai bị bỏ lại phía sau"] == "central"
        assert levels["Thái Nguyên chung sức xây dựng nông thôn mới"] == "province"
        assert levels["Thực hiện cải cách hành chính"] == "city"
        assert levels["Nông dân thi đua, sản xuất kinh doanh giỏi"] == "commune"
        assert len(movements) == 12
        assert sum(1 for m in movements for r in m.reviews) == 3
        assert all(m.plan_item_id for m in movements)
        assert len(services.registrations_of(world.a, 2021)) == 12


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e30", "99999999999999999999"])
def test_absurd_numbers_are_refused_beside_the_field_not_with_an_error_page(world, login, value):
    movement, target = make_movement(world.a, world.users["officer_a"])
    officer = login("officer_a")
    response = officer.post(f"/u/xa-dong-lien/movements/{movement.id}/targets/new",
                            {"indicator": "Chỉ tiêu", "target_value": value}, htmx=True)
    assert response.status_code == 422 and 'id="target_value-error"' in response.get_data(as_text=True)
    response = officer.post(f"/u/xa-dong-lien/movements/{movement.id}/targets/{target.id}/progress",
                            {"reported_on": "30/06/2021", "value": value}, htmx=True)
    assert response.status_code == 422 and 'id="value-error"' in response.get_data(as_text=True)
    response = officer.post(f"/u/xa-dong-lien/movements/{movement.id}/reviews/new",
                            {"kind": "interim", "held_on": "20/07/2021", "summary": "Sơ kết", f"result_{target.id}": value})
    assert response.status_code == 422
    response = officer.post("/u/xa-dong-lien/movements/registrations/new", {
        "year": value, "subject_kind": "person", "subject_name": "A", "body_id": "0", "title": "Lao động tiên tiến",
        "registered_on": "20/03/2021"})
    assert response.status_code == 422
    for url in ["/u/xa-dong-lien/movements/?year=99999", "/u/xa-dong-lien/plans/?year=99999999999",
                "/u/xa-dong-lien/movements/registrations?year=-5"]:
        assert officer.get(url).status_code == 200


def test_a_movement_entered_by_mistake_can_be_deleted_until_it_has_progress(world, login):
    movement, target = make_movement(world.a, world.users["officer_a"])
    other, other_target = make_movement(world.a, world.users["officer_a"], name="Bảo đảm an toàn giao thông")
    with unit_scope({world.a.id}):
        services.add_progress(other, other_target, None, {"reported_on": date(2021, 6, 30), "value": Decimal(2)})
    officer = login("officer_a")
    assert login("officer_b").post(f"/u/xa-tan-cuong/movements/{movement.id}/delete").status_code == 404
    assert officer.post(f"/u/xa-dong-lien/movements/{other.id}/delete").status_code == 303
    assert officer.post(f"/u/xa-dong-lien/movements/{movement.id}/delete").status_code == 303
    with unit_scope({world.a.id}):
        assert [m.name for m in services.movements_of(world.a)] == ["Bảo đảm an toàn giao thông"]
