"""The citizens' door lists the communes in force today and leads to their public pages."""
from datetime import date

from tests import factories
from tests.helpers import UserClient, text_of


def test_a_citizen_finds_a_commune_without_diacritics_and_reaches_its_pages(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "TODAY", date(2021, 12, 20))
    factories.make_unit("Phường Gia Sàng", kind="ward", slug="phuong-gia-sang-2025", valid_from=date(2025, 7, 1))
    citizen = UserClient(app)
    page = citizen.get("/cong-dan")
    assert page.status_code == 200
    assert "Xã Đồng Liên" in text_of(page) and "Phường Gia Sàng" not in text_of(page)  # not yet in 2021
    found = citizen.get("/cong-dan?q=dong lien", htmx=True)
    body = found.get_data(as_text=True)
    assert "<html" not in body and "Xã Đồng Liên" in body and "Xã Tân Cương" not in body
    assert 'href="/p/xa-dong-lien/don-thu/"' in body
    assert citizen.get("/p/xa-dong-lien/don-thu/").status_code == 200
