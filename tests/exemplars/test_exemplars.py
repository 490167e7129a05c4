"""Exemplars: register, stage, publicity, one step to a nomination, the public page, isolation."""
from datetime import date
from io import BytesIO

import pytest

from tests.helpers import UserClient, text_of
from thiduaweb.awards import catalogue
from thiduaweb.awards.models import Nomination
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.exemplars import services
from thiduaweb.exemplars.models import Exemplar
from thiduaweb.extensions import db
from thiduaweb.files.models import Attachment
from thiduaweb.movements.models import Movement

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def law(app, world):
    catalogue.load_catalogue()
    db.session.commit()
    app.config["TODAY"] = date(2021, 12, 20)
    yield world
    app.config.pop("TODAY", None)


def _exemplar(unit, **data):
    base = {"kind": "person", "category": "good_deed", "name": "Nguyễn Thị Lan",
            "description": "Hội viên Hội Nông dân, xóm Cây Thị", "story": "Nhặt được ví tiền, trả lại người đánh rơi.",
            "stage": "discovered", "discovered_on": date(2021, 5, 10), "follow_up_name": "Dương Thị Hồng",
            "published": False}
    base.update(data)
    with unit_scope({unit.id}):
        return services.save_exemplar(unit, base).id


def test_the_register_lists_and_filters_without_diacritics(world, login):
    _exemplar(world.a)
    _exemplar(world.a, name="HTX Chè Đồng Liên", kind="collective", category="advanced")
    officer = login("officer_a")
    page = text_of(officer.get("/u/xa-dong-lien/exemplars/"))
    assert "Nguyễn Thị Lan" in page and "HTX Chè Đồng Liên" in page
    found = text_of(officer.get("/u/xa-dong-lien/exemplars/?q=che dong lien", htmx=True))
    assert "HTX Chè Đồng Liên" in found and "Nguyễn Thị Lan" not in found


def test_an_officer_records_an_exemplar_with_evidence_and_a_movement(world, login):
    with unit_scope({world.a.id}):
        movement = Movement(unit_id=world.a.id, name="Toàn dân đoàn kết xây dựng nông thôn mới",
                            starts_on=date(2021, 1, 1))
        db.session.add(movement)
        db.session.commit()
        movement_id = movement.id
    officer = login("officer_a")
    response = officer.post("/u/xa-dong-lien/exemplars/new", {
        "category": "advanced", "kind": "person", "name": "Trần Văn Bình", "description": "Nông dân xóm Mỹ Khánh",
        "movement_id": str(movement_id), "story": "Hiến 200 m² đất làm đường liên xóm.", "stage": "discovered",
        "discovered_on": "12/04/2021", "follow_up_name": "Dương Thị Hồng",
        "evidence": (BytesIO(PDF), "bien-ban-hien-dat.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 303
    exemplar_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    page = text_of(officer.get(f"/u/xa-dong-lien/exemplars/{exemplar_id}"))
    assert "Toàn dân đoàn kết xây dựng nông thôn mới" in page and "bien-ban-hien-dat.pdf" in page
    assert officer.post(f"/u/xa-dong-lien/exemplars/{exemplar_id}/stage", {}).status_code == 303
    with unit_scope({world.a.id}):
        assert db.session.get(Exemplar, exemplar_id).stage == "fostered"


def test_publicity_entries_are_kept_with_the_exemplar(world, login):
    exemplar_id = _exemplar(world.a)
    officer = login("officer_a")
    url = f"/u/xa-dong-lien/exemplars/{exemplar_id}"
    assert officer.post(f"{url}/publicity", {"published_on": "20/05/2021", "channel": "loa",
                                             "title": "Gương người tốt việc tốt ở xóm Cây Thị",
                                             "link": "https://thainguyen.gov.vn/bai-viet"}).status_code == 303
    assert "Gương người tốt việc tốt ở xóm Cây Thị" in text_of(officer.get(url))


def test_only_published_exemplars_show_on_the_public_page(world, app):
    shown = _exemplar(world.a, name="Nguyễn Thị Lan", published=True)
    hidden = _exemplar(world.a, name="Hoàng Văn Kín", published=False)
    _exemplar(world.b, name="Lê Văn Khác", published=True)
    citizen = UserClient(app)
    page = text_of(citizen.get("/p/xa-dong-lien/exemplars/"))
    assert "Nguyễn Thị Lan" in page and "Hoàng Văn Kín" not in page and "Lê Văn Khác" not in page
    assert citizen.get(f"/p/xa-dong-lien/exemplars/{shown}").status_code == 200
    assert citizen.get(f"/p/xa-dong-lien/exemplars/{hidden}").status_code == 404
    assert citizen.get(f"/p/xa-tan-cuong/exemplars/{shown}").status_code == 404


def test_an_exemplar_becomes_a_nomination_with_its_data_carried_over(law, login):
    world = law
    with unit_scope({world.a.id}):
        movement = Movement(unit_id=world.a.id, name="Nông dân thi đua sản xuất kinh doanh giỏi",
                            starts_on=date(2021, 1, 1))
        db.session.add(movement)
        db.session.commit()
        movement_id = movement.id
    exemplar_id = _exemplar(world.a, category="advanced", movement_id=movement_id,
                            story="Mô hình chè an toàn VietGAP, thu nhập 300 triệu đồng/năm.")
    officer = login("officer_a")
    url = f"/u/xa-dong-lien/exemplars/{exemplar_id}"
    officer.post(f"{url}/edit", {"category": "advanced", "kind": "person", "name": "Nguyễn Thị Lan",
                                 "movement_id": str(movement_id), "story": "Mô hình chè an toàn VietGAP, thu nhập 300 triệu đồng/năm.",
                                 "stage": "fostered", "evidence": (BytesIO(PDF), "bao-cao-thanh-tich.pdf")},
                 content_type="multipart/form-data")
    response = officer.post(f"{url}/nominate", {"award_code": "giay_khen", "year": "2021"})
    assert response.status_code == 303 and "/khen-thuong/" in response.headers["Location"]
    with unit_scope({world.a.id}):
        exemplar = db.session.get(Exemplar, exemplar_id)
        nomination = db.session.get(Nomination, exemplar.nomination_id)
        assert nomination.nominee.name == "Nguyễn Thị Lan" and nomination.nominee.kind == "person"
        assert nomination.achievements == exemplar.story
        assert nomination.movement_id == movement_id
        assert nomination.movement_name == "Nông dân thi đua sản xuất kinh doanh giỏi"
        assert nomination.year == 2021 and nomination.state == "draft" and nomination.award_type.code == "giay_khen"
        assert nomination.basis == "chuyen_de"
        files = db.session.scalars(db.select(Attachment).where(Attachment.owner_type == "Nomination",
                                                               Attachment.owner_id == nomination.id)).all()
        assert [f.filename for f in files] == ["bao-cao-thanh-tich.pdf"]
    with unit_scope({world.a.id}):
        assert services.exemplar_for_nomination(nomination.id).id == exemplar_id
    assert "Giấy khen" in text_of(officer.get(url))
    # One step only: a second nomination is refused beside the field.
    again = officer.post(f"{url}/nominate", {"award_code": nomination.award_type.code, "year": "2021"}, htmx=True)
    assert again.status_code == 422 and "đã có đề nghị" in text_of(again)


def test_a_commune_cannot_see_another_communes_exemplar(world, login):
    exemplar_id = _exemplar(world.a)
    other = login("officer_b")
    for url in (f"/u/xa-tan-cuong/exemplars/{exemplar_id}", f"/u/xa-tan-cuong/exemplars/{exemplar_id}/edit",
                f"/u/xa-dong-lien/exemplars/{exemplar_id}"):
        assert other.get(url).status_code == 404, url
    for url in (f"/u/xa-tan-cuong/exemplars/{exemplar_id}/stage", f"/u/xa-tan-cuong/exemplars/{exemplar_id}/publish",
                f"/u/xa-tan-cuong/exemplars/{exemplar_id}/nominate"):
        assert other.post(url, {}).status_code == 404, url
    # The city reads it, but cannot change it from the commune's page.
    city = login("supervisor")
    assert city.get(f"/u/xa-dong-lien/exemplars/{exemplar_id}").status_code == 200
    assert city.post(f"/u/xa-dong-lien/exemplars/{exemplar_id}/stage", {}).status_code == 403


def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(world, login):
    officer = login("officer_a")
    response = officer.post("/u/xa-dong-lien/exemplars/new", {
        "category": "good_deed", "kind": "person", "name": "", "story": "Cứu người đuối nước ở hồ Núi Cốc",
        "stage": "discovered", "discovered_on": "32/13/2021",
        "evidence": (BytesIO(b"MZ not an image"), "anh.jpg")}, htmx=True, content_type="multipart/form-data")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="name-error"' in body and 'id="discovered_on-error"' in body
    assert "Cứu người đuối nước ở hồ Núi Cốc" in body and 'value="32/13/2021"' in body
    # A refused file alone is shown beside the file input.
    response = officer.post("/u/xa-dong-lien/exemplars/new", {
        "category": "good_deed", "kind": "person", "name": "Phạm Văn Dũng", "story": "Cứu người đuối nước",
        "stage": "discovered", "evidence": (BytesIO(b"MZ not an image"), "anh.jpg")},
        htmx=True, content_type="multipart/form-data")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="evidence-error"' in body and 'value="Phạm Văn Dũng"' in body
    with unit_scope({world.a.id}):
        assert db.session.scalars(db.select(Exemplar)).all() == []
    exemplar_id = _exemplar(world.a)
    bad = officer.post(f"/u/xa-dong-lien/exemplars/{exemplar_id}/publicity",
                       {"published_on": "", "channel": "loa", "title": "Bài viết", "link": "javascript:alert(1)"},
                       htmx=True)
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert 'id="published_on-error"' in text and 'id="link-error"' in text and 'value="Bài viết"' in text
