"""The house in a real browser: log in, switch unit, filter a table through htmx, see a 422 error."""
import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser


def test_an_officer_logs_in_and_lands_on_the_commune_home(page, world):
    browser_login(page, "officer.a")
    assert page.locator("h1").inner_text() == "Xã Đồng Liên"
    assert page.console_errors == []


def test_a_user_with_two_units_switches_between_them(page, world):
    factories.make_user("hai.donvi", world.a, ("officer",))
    from thiduaweb.accounts.models import Membership
    from thiduaweb.extensions import db

    db.session.add(Membership(user_id=db.session.query(factories.User).filter_by(username="hai.donvi").one().id,
                              unit_id=world.b.id, role="officer"))
    db.session.commit()
    browser_login(page, "hai.donvi")
    page.click("#unit-switcher > a")
    page.click("#unit-switcher >> text=Xã Tân Cương")
    page.wait_for_url("**/u/xa-tan-cuong/")
    assert page.locator("h1").inner_text() == "Xã Tân Cương"


def test_the_users_table_filters_through_htmx(page, world):
    browser_login(page, "supervisor")
    page.goto("/u/tp-thai-nguyen/users/")
    page.fill("#q", "officer")
    expect(page.locator("#user-table tbody tr")).to_have_count(2)
    rows = page.locator("#user-table tbody tr").all_inner_texts()
    assert all("officer" in row for row in rows)
    assert "q=officer" in page.url  # the filter is in the address, so the list can be shared


def test_a_form_error_is_shown_beside_its_field_and_the_typing_stays(page, world):
    browser_login(page, "supervisor")
    page.goto("/u/xa-dong-lien/users/new")
    page.fill("#username", "officer.b")
    page.fill("#full_name", "Trần Văn Hải")
    page.fill("#password", "MatKhau2021")
    page.check("input[name=roles][value=officer]")
    with page.expect_response("**/users/new") as answer:
        page.click("#user-form button[type=submit]")
    assert answer.value.status == 422
    error = page.locator("#username-error")
    error.wait_for()
    assert "đã có người dùng" in error.inner_text()
    assert page.input_value("#full_name") == "Trần Văn Hải"
