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


def test_plan_and_movement_pages_have_no_serious_accessibility_violations(_browser, live_url, world):
    from datetime import date
    from decimal import Decimal

    from tests.e2e.test_accessibility import AXE, _violations
    from tests.movements.test_movements import make_movement
    from tests.plans.test_plans import adopt
    from thiduaweb.core.tenancy import unit_scope
    from thiduaweb.movements import services as movement_services

    if not AXE.exists():
        pytest.skip("Bỏ qua kiểm tra axe-core: chưa cài node_modules/axe-core (npm ci).")
    parent = city_plan(world)
    plan = adopt(world, world.a, parent)
    movement, target = make_movement(world.a, world.users["officer_a"])
    with unit_scope({world.a.id}):
        for day, value in [(date(2021, 6, 30), 3), (date(2021, 9, 30), 5)]:
            movement_services.add_progress(movement, target, None, {"reported_on": day, "value": Decimal(value)})
        review = movement_services.add_review(movement, None, {"kind": "interim", "held_on": date(2021, 7, 20),
                                                               "summary": "Sơ kết."}, {target.id: (Decimal(3), "Khá")})
    pages = [
        ("officer.a", f"/u/xa-dong-lien/plans/"), ("officer.a", f"/u/xa-dong-lien/plans/{plan.id}"),
        ("officer.a", f"/u/xa-dong-lien/plans/{plan.id}/items/{plan.items[0].id}/edit"),
        ("officer.a", f"/u/xa-dong-lien/plans/parent/{parent.id}"), ("officer.a", f"/u/xa-dong-lien/plans/{plan.id}/print"),
        ("officer.a", "/u/xa-dong-lien/movements/"), ("officer.a", f"/u/xa-dong-lien/movements/{movement.id}"),
        ("officer.a", "/u/xa-dong-lien/movements/new"), ("officer.a", f"/u/xa-dong-lien/movements/{movement.id}/reviews/new"),
        ("officer.a", f"/u/xa-dong-lien/movements/{movement.id}/reviews/{review.id}"),
        ("officer.a", f"/u/xa-dong-lien/movements/{movement.id}/targets/{target.id}/progress"),
        ("officer.a", "/u/xa-dong-lien/movements/registrations?year=2021"),
        ("officer.a", "/u/xa-dong-lien/movements/registrations/new"), ("officer.a", "/u/xa-dong-lien/movements/compacts/new"),
        ("chairman.a", f"/u/xa-dong-lien/plans/{plan.id}/issue"),
        ("supervisor", f"/u/tp-thai-nguyen/plans/{parent.id}/coverage"),
        ("supervisor", "/u/tp-thai-nguyen/movements/registrations/by-commune?year=2021"),
    ]
    context = _browser.new_context(base_url=live_url, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    problems, current = {}, None
    for user, path in pages:
        if user != current:
            context.clear_cookies()
            browser_login(page, user)
            current = user
        page.goto(path)
        found = _violations(page)
        if found:
            problems[path] = found
    context.close()
    assert problems == {}
