"""Self-inspection in a real browser: the commune fills in the checklist with one evidence file, the
chairman signs it off, the city accepts it."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_login
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
