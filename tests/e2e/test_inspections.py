"""Self-inspection in a real browser: the commune fills in the checklist with one evidence file, the
chairman signs it off, the city accepts it."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_login
from tests.e2e.test_accessibility import axe_page  # noqa: F401 - the fixture
from tests.inspections.helpers_inspections import published_round

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_commune_fills_signs_and_the_city_accepts(page, world):
    _, items = published_round(world)

    # The officer starts the round's self-inspection and fills it in with one evidence file.
    browser_login(page, "officer.a")
    page.goto("/u/xa-dong-lien/inspections/")
    page.click("text=Bắt đầu tự kiểm tra")
    page.wait_for_url("**/inspections/*")
    page.check(f"#result-{items[0]}-met")
    page.check(f"#result-{items[1]}-not_met")
    page.check(f"#result-{items[2]}-na")
    page.fill(f"#note-{items[1]}", "Chưa sơ kết phong trào")
    page.set_input_files(f"#evidence-{items[0]}", files=[{"name": "ke-hoach-26.pdf", "mimeType": "application/pdf",
                                                          "buffer": PDF}])
    page.click("#checklist-form button[type=submit]")
    expect(page.locator(f"#item-{items[0]}")).to_contain_text("ke-hoach-26.pdf")
    expect(page.locator("#score")).to_have_text("40,00%")
    inspection_url = page.url.split("#")[0]
    page.goto("/logout")

    # The chairman signs it off: it is locked.
    browser_login(page, "chairman.a")
    page.goto(inspection_url)
    page.click("button[data-transition=sign]")
    expect(page.locator("#inspection-status")).to_have_text("Đã ký, chờ cấp trên xem xét")
    expect(page.locator("#checklist-form button[type=submit]")).to_have_count(0)
    page.goto("/logout")

    # The city accepts it with a comment.
    browser_login(page, "supervisor")
    page.goto(inspection_url.replace("/u/xa-dong-lien/", "/u/tp-thai-nguyen/"))
    expect(page.locator(f"#item-{items[0]}")).to_contain_text("ke-hoach-26.pdf")
    page.fill("#reason", "Đạt yêu cầu")
    page.click("button[data-transition=accept]")
    expect(page.locator("#inspection-status")).to_have_text("Cấp trên đã chấp nhận")
    assert page.console_errors == []


def test_the_pages_of_self_inspection_clusters_and_exemplars_are_accessible(axe_page, world):
    from datetime import date

    from tests.e2e.test_accessibility import _violations
    from thiduaweb.core.tenancy import unit_scope
    from thiduaweb.exemplars import services as exemplars
    from thiduaweb.inspections import services

    round_id, _ = published_round(world)
    with unit_scope({world.a.id}):
        inspection_id = services.start_self_inspection(world.a, services.round_for_commune(world.a, round_id)).id
        exemplar_id = exemplars.save_exemplar(world.a, {
            "kind": "person", "category": "good_deed", "name": "Phạm Văn Đức", "story": "Trả lại tài sản.",
            "stage": "discovered", "discovered_on": date(2021, 6, 6), "published": True}).id
    with unit_scope({world.city.id}):
        template_id = services.get_round(round_id).template_id
    pages = [
        ("officer.a", "/u/xa-dong-lien/inspections/"), ("officer.a", f"/u/xa-dong-lien/inspections/{inspection_id}"),
        ("officer.a", "/u/xa-dong-lien/clusters/"), ("officer.a", "/u/xa-dong-lien/exemplars/"),
        ("officer.a", "/u/xa-dong-lien/exemplars/new"), ("officer.a", f"/u/xa-dong-lien/exemplars/{exemplar_id}"),
        ("supervisor", "/u/tp-thai-nguyen/inspections/"), ("supervisor", f"/u/tp-thai-nguyen/inspections/rounds/{round_id}"),
        ("supervisor", f"/u/tp-thai-nguyen/inspections/templates/{template_id}"),
        ("supervisor", "/u/tp-thai-nguyen/clusters/"), ("supervisor", "/u/tp-thai-nguyen/clusters/new"),
        (None, "/p/xa-dong-lien/exemplars/"),
    ]
    problems, current = {}, None
    for user, path in pages:
        if user != current:
            axe_page.context.clear_cookies()
            if user:
                browser_login(axe_page, user)
            current = user
        axe_page.goto(path)
        found = _violations(axe_page)
        if found:
            problems[path] = found
    assert problems == {}
