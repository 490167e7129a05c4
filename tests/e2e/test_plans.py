"""Plans in a real browser: the commune officer adopts the city's plan and changes an item, the
chairman issues it, and the city's supervisor sees the change in the coverage view."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_login
from tests.plans.test_plans import city_plan

pytestmark = pytest.mark.browser


def test_officer_adopts_changes_chairman_issues_and_the_city_sees_it(page, world):
    parent = city_plan(world)

    # The officer adopts the city's plan: a draft with every item.
    browser_login(page, "officer.a")
    page.goto("/u/xa-dong-lien/plans/")
    page.click("button:has-text('Tiếp nhận')")
    page.wait_for_url("**/plans/*")
    expect(page.locator("#plan-status")).to_have_text("Dự thảo")
    plan_url = page.url.split("#")[0]

    # …changes item II.2 and saves it.
    page.click("[aria-label='Sửa mục II.2']")
    page.wait_for_url("**/edit")
    page.fill("#text", "Nội dung hai, xã Đồng Liên điều chỉnh cho phù hợp.")
    page.click("#item-form button[type=submit]")
    page.wait_for_url(plan_url + "*")
    expect(page.locator("#diff")).to_contain_text("Đã sửa")
    expect(page.locator("#diff")).to_contain_text("Nội dung hai, xã Đồng Liên điều chỉnh cho phù hợp.")
    expect(page.locator("#issue-link")).to_have_count(0)  # issuing is the chairman's
    page.goto("/logout")

    # The chairman issues it with its number.
    browser_login(page, "chairman.a")
    page.goto(plan_url)
    page.click("#issue-link")
    page.fill("#issued_on", "2021-03-10")
    page.fill("#number", "26")
    page.click("#issue-form button[type=submit]")
    page.wait_for_url(plan_url + "*")
    expect(page.locator("#plan-status")).to_have_text("Đã ban hành")
    expect(page.locator("h1")).to_contain_text("Kế hoạch số 26/KH-UBND")
    page.goto("/logout")

    # The city's supervisor sees the adoption and the change, and opens the commune's plan.
    browser_login(page, "supervisor")
    page.goto(f"/u/tp-thai-nguyen/plans/{parent.id}/coverage")
    row = page.locator("#coverage-xa-dong-lien")
    expect(row).to_contain_text("Đã ban hành")
    expect(row).to_contain_text("26/KH-UBND")
    expect(row.locator("td").nth(5)).to_have_text("1")  # one item changed
    expect(page.locator("#coverage-xa-tan-cuong")).to_contain_text("chưa tiếp nhận")
    page.select_option("#show", "changed")
    expect(page.locator("#coverage-xa-tan-cuong")).to_have_count(0)
    row.get_by_role("link", name="Xem kế hoạch").click()
    expect(page.locator("#diff")).to_contain_text("Nội dung hai, xã Đồng Liên điều chỉnh cho phù hợp.")
    assert page.console_errors == []
