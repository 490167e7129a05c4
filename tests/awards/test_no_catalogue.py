"""Before any regulation is loaded, the awards pages that need one say so instead of failing."""
from tests.helpers import text_of


def test_a_new_nomination_without_a_regulation_in_force_explains_what_to_load(world, login):
    response = login("officer_a").get("/u/xa-dong-lien/khen-thuong/de-nghi/moi")
    assert response.status_code == 409
    text = text_of(response)
    assert "Chưa có quy định thi đua, khen thưởng" in text and "load-catalogue" in text


def test_as_an_htmx_request_it_is_a_toast_not_a_page(world, login):
    response = login("officer_a").get("/u/xa-dong-lien/khen-thuong/de-nghi/moi", htmx=True)
    assert response.status_code == 409 and "<html" not in response.get_data(as_text=True)
    assert "toast" in response.headers.get("HX-Trigger", "")
