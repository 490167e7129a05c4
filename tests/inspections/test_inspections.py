"""Self-inspection: templates reach the communes, scores, sign-off lock, review, late actions, isolation."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest

from tests.helpers import text_of
from tests.inspections.helpers_inspections import published_round
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db
from thiduaweb.inspections import services, workflow
from thiduaweb.inspections.models import Inspection

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _start(world, unit, round_id):
    with unit_scope({unit.id}):
        round_ = services.round_for_commune(unit, round_id)
        return services.start_self_inspection(unit, round_).id


def test_a_template_published_by_the_city_reaches_every_commune(world, login):
    round_id, _ = published_round(world)
    for unit in (world.a, world.b):
        with unit_scope({unit.id}):
            assert [r.id for r in services.rounds_for_commune(unit)] == [round_id]
    for who, slug in (("officer_a", "xa-dong-lien"), ("officer_b", "xa-tan-cuong")):
        page = login(who).get(f"/u/{slug}/inspections/")
        assert page.status_code == 200
        assert "Tự kiểm tra năm 2021" in text_of(page)


def test_the_score_comes_from_the_weights_ignoring_not_applicable_items(world):
    round_id, items = published_round(world)  # weights 2, 3, 5
    inspection_id = _start(world, world.a, round_id)
    with unit_scope({world.a.id}):
        inspection = db.session.get(Inspection, inspection_id)
        services.save_answers(inspection, {items[0]: {"result": "met"}, items[1]: {"result": "not_met"},
                                           items[2]: {"result": "na"}})
        assert services.compute_score(inspection) == Decimal("40.00")  # 2 / (2 + 3)
        services.save_answers(inspection, {items[1]: {"result": "met"}})
        assert services.compute_score(inspection) == Decimal("100.00")


def test_a_signed_off_inspection_is_locked(world, login):
    round_id, items = published_round(world)
    inspection_id = _start(world, world.a, round_id)
    officer = login("officer_a")
    url = f"/u/xa-dong-lien/inspections/{inspection_id}"
    data = {f"result-{i}": "met" for i in items}
    assert officer.post(f"{url}/answers", data).status_code == 303
    chairman = login("chairman_a")
    assert chairman.post(f"{url}/transition/sign", {}).status_code == 303
    with unit_scope({world.a.id}):
        inspection = db.session.get(Inspection, inspection_id)
        assert inspection.status == "signed" and inspection.locked and inspection.score == Decimal("100.00")
        with pytest.raises(services.InspectionError):
            services.save_answers(inspection, {items[0]: {"result": "not_met"}})
        with pytest.raises(services.InspectionError):
            services.add_finding(inspection, "Thêm sau khi ký")
    # Through the web too: nothing changes, and the page offers no form.
    officer.post(f"{url}/answers", {f"result-{items[0]}": "not_met"})
    with unit_scope({world.a.id}):
        assert db.session.get(Inspection, inspection_id).answers[0].result == "met"
    assert "Lưu kết quả đánh giá" not in text_of(officer.get(url))


def test_signing_needs_every_item_answered(world, login):
    round_id, items = published_round(world)
    inspection_id = _start(world, world.a, round_id)
    login("officer_a").post(f"/u/xa-dong-lien/inspections/{inspection_id}/answers", {f"result-{items[0]}": "met"})
    response = login("chairman_a").post(f"/u/xa-dong-lien/inspections/{inspection_id}/transition/sign", {},
                                        htmx=True)
    assert response.status_code == 422
    assert "Còn 2 tiêu chí chưa đánh giá" in text_of(response)


def test_the_city_accepts_or_returns_with_a_comment(world, login):
    round_id, items = published_round(world)
    inspection_id = _start(world, world.a, round_id)
    login("officer_a").post(f"/u/xa-dong-lien/inspections/{inspection_id}/answers",
                            {f"result-{i}": "met" for i in items})
    login("chairman_a").post(f"/u/xa-dong-lien/inspections/{inspection_id}/transition/sign", {})
    city = login("supervisor")
    city_url = f"/u/tp-thai-nguyen/inspections/{inspection_id}"
    refused = city.post(f"{city_url}/transition/return", {"reason": ""}, htmx=True)
    assert refused.status_code == 422 and "Vui lòng ghi rõ lý do trả lại." in text_of(refused)
    assert city.post(f"{city_url}/transition/return", {"reason": "Thiếu minh chứng tiêu chí 1"}).status_code == 303
    with unit_scope({world.a.id}):
        inspection = db.session.get(Inspection, inspection_id)
        assert inspection.status == "returned" and not inspection.locked
        assert inspection.review_comment == "Thiếu minh chứng tiêu chí 1"
    login("chairman_a").post(f"/u/xa-dong-lien/inspections/{inspection_id}/transition/sign", {})
    assert city.post(f"{city_url}/transition/accept", {"reason": "Đạt yêu cầu"}).status_code == 303
    with unit_scope({world.a.id}):
        assert db.session.get(Inspection, inspection_id).status == "accepted"
    # A commune cannot accept its own inspection.
    with unit_scope({world.a.id}):
        inspection = db.session.get(Inspection, inspection_id)
        assert workflow.available(inspection, {"inspection.review"}, world.a.id) == []


def test_late_corrective_actions_are_listed(world, login, app):
    round_id, items = published_round(world)
    inspection_id = _start(world, world.a, round_id)
    with unit_scope({world.a.id}):
        inspection = db.session.get(Inspection, inspection_id)
        late = services.add_action(inspection, {"what": "Bổ sung hồ sơ khen thưởng", "who": "Công chức VP",
                                                "due_date": date(2021, 6, 30)})
        services.add_action(inspection, {"what": "Việc còn hạn", "who": "Công chức VH", "due_date": date(2099, 1, 1)})
        closed = services.add_action(inspection, {"what": "Việc đã xong", "who": "Công chức VP",
                                                  "due_date": date(2021, 5, 1)})
        services.update_action(closed, {"status": "closed"}, on=date(2021, 4, 30))
        found = services.late_actions([world.a.id], on=date(2021, 7, 1))
        assert [a.id for a in found] == [late.id]
    page = text_of(login("supervisor").get("/u/tp-thai-nguyen/inspections/late-actions"))
    assert "Bổ sung hồ sơ khen thưởng" in page and "Việc đã xong" not in page and "Việc còn hạn" not in page
    assert "Bổ sung hồ sơ khen thưởng" in text_of(login("officer_a").get("/u/xa-dong-lien/inspections/"))


def test_the_city_overview_shows_who_submitted_scores_and_who_is_late(world, login):
    round_id, items = published_round(world, deadline=date(2021, 11, 15))
    inspection_id = _start(world, world.a, round_id)
    login("officer_a").post(f"/u/xa-dong-lien/inspections/{inspection_id}/answers",
                            {f"result-{items[0]}": "met", f"result-{items[1]}": "met", f"result-{items[2]}": "na"})
    login("chairman_a").post(f"/u/xa-dong-lien/inspections/{inspection_id}/transition/sign", {})
    with unit_scope({world.city.id} | {world.a.id, world.b.id}):
        round_ = services.get_round(round_id)
        rows = {r.commune.id: r for r in services.round_overview(world.city, round_, on=date(2021, 12, 1))}
    assert rows[world.a.id].submitted and rows[world.a.id].score == Decimal("100.00") and not rows[world.a.id].late
    assert not rows[world.b.id].submitted and rows[world.b.id].late
    page = text_of(login("supervisor").get(f"/u/tp-thai-nguyen/inspections/rounds/{round_id}"))
    assert "Đã nộp: 1 /2" in page and "Quá hạn nộp" in page
    export = login("supervisor").get(f"/u/tp-thai-nguyen/inspections/rounds/{round_id}/export")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    assert login("officer_b").get(f"/u/xa-tan-cuong/inspections/rounds/{round_id}/export").status_code == 404


def test_a_commune_cannot_see_another_communes_inspection(world, login):
    round_id, items = published_round(world)
    inspection_id = _start(world, world.a, round_id)
    with unit_scope({world.a.id}):
        action = services.add_action(db.session.get(Inspection, inspection_id),
                                     {"what": "x", "who": "y", "due_date": date(2021, 6, 1)})
    other = login("officer_b")
    for url in (f"/u/xa-tan-cuong/inspections/{inspection_id}",
                f"/u/xa-tan-cuong/inspections/{inspection_id}/actions/{action.id}",
                f"/u/xa-dong-lien/inspections/{inspection_id}",
                f"/u/xa-dong-lien/inspections/"):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/u/xa-tan-cuong/inspections/{inspection_id}/answers",
                      {f"result-{items[0]}": "na"}).status_code == 404
    assert other.post(f"/u/xa-tan-cuong/inspections/{inspection_id}/transition/sign", {}).status_code == 404
    # The city's template pages are not the commune's either.
    with unit_scope({world.city.id}):
        template_id = services.get_round(round_id).template_id
    assert other.get(f"/u/xa-tan-cuong/inspections/templates/{template_id}").status_code == 404


def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(world, login):
    round_id, items = published_round(world)
    inspection_id = _start(world, world.a, round_id)
    officer = login("officer_a")
    url = f"/u/xa-dong-lien/inspections/{inspection_id}"
    response = officer.post(f"{url}/answers", {
        f"result-{items[0]}": "met", f"note-{items[0]}": "Đã ban hành kế hoạch 26/KH-UBND",
        f"note-{items[1]}": "x" * 2001,
        f"evidence-{items[2]}": (BytesIO(b"not a pdf"), "bao-cao.pdf"),
    }, htmx=True, content_type="multipart/form-data")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f'id="note-{items[1]}-error"' in body and "Tối đa 2000 ký tự." in body
    assert f'id="evidence-{items[2]}-error"' in body and "không khớp" in body
    assert "Đã ban hành kế hoạch 26/KH-UBND" in body and "checked" in body
    with unit_scope({world.a.id}):
        assert db.session.get(Inspection, inspection_id).answers == []
    action = officer.post(f"{url}/actions", {"what": "Bổ sung", "who": "", "due_date": "31/02/2021"}, htmx=True)
    assert action.status_code == 422
    page = action.get_data(as_text=True)
    assert 'id="who-error"' in page and 'id="due_date-error"' in page and "Bổ sung" in page
    city = login("supervisor")
    with unit_scope({world.city.id}):
        template_id = services.get_round(round_id).template_id
    publish = city.post(f"/u/tp-thai-nguyen/inspections/templates/{template_id}/publish", {
        "title": "Đợt 2", "period_start": "01/01/2022", "period_end": "31/12/2021", "deadline": "abc"}, htmx=True)
    assert publish.status_code == 422
    text = publish.get_data(as_text=True)
    assert 'id="period_end-error"' in text and 'id="deadline-error"' in text and 'value="Đợt 2"' in text


def test_evidence_files_are_kept_with_the_answer(world, login):
    round_id, items = published_round(world)
    inspection_id = _start(world, world.a, round_id)
    officer = login("officer_a")
    url = f"/u/xa-dong-lien/inspections/{inspection_id}"
    response = officer.post(f"{url}/answers", {f"result-{items[0]}": "met",
                                               f"evidence-{items[0]}": (BytesIO(PDF), "ke-hoach-26.pdf")},
                            content_type="multipart/form-data")
    assert response.status_code == 303
    page = text_of(officer.get(url))
    assert "ke-hoach-26.pdf" in page
    # The city reads the evidence too.
    assert "ke-hoach-26.pdf" in text_of(login("supervisor").get(f"/u/tp-thai-nguyen/inspections/{inspection_id}"))


def test_a_published_template_is_frozen_and_a_new_version_copies_it(world):
    round_id, items = published_round(world)
    with unit_scope({world.city.id}):
        template = services.get_round(round_id).template
        with pytest.raises(services.InspectionError):
            services.add_section(template, "Phần mới")
        copy = services.new_version(template)
        assert copy.version == 2 and copy.status == "draft" and len(copy.items) == 3
        services.add_section(copy, "Phần mới")


def test_the_city_inspects_a_commune_on_the_same_template(world, login):
    round_id, items = published_round(world)
    city = login("supervisor")
    response = city.post(f"/u/tp-thai-nguyen/inspections/rounds/{round_id}/supervisory",
                         {"target_unit_id": world.b.id, "inspected_on": "20/11/2021", "inspectors": "Phòng Nội vụ"})
    assert response.status_code == 303
    inspection_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    url = f"/u/tp-thai-nguyen/inspections/{inspection_id}"
    city.post(f"{url}/answers", {f"result-{items[0]}": "met", f"result-{items[1]}": "not_met",
                                 f"result-{items[2]}": "met"})
    assert city.post(f"{url}/transition/conclude", {}).status_code == 303
    with unit_scope({world.city.id}):
        inspection = db.session.get(Inspection, inspection_id)
        assert inspection.status == "concluded" and inspection.score == Decimal("70.00")
    # Tân Cương reads the conclusion; Đồng Liên does not.
    assert "70,00%" in text_of(login("officer_b").get(f"/u/xa-tan-cuong/inspections/{inspection_id}"))
    assert login("officer_a").get(f"/u/xa-dong-lien/inspections/{inspection_id}").status_code == 404
