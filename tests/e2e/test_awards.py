"""Awards in a real browser: an officer creates a nomination and takes it through bình xét, công khai and
appraisal; the chairman decides; the award is in the register and on the public list."""
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_login
from thiduaweb.awards import catalogue
from thiduaweb.awards.models import Nominee
from thiduaweb.core.tenancy import cross_unit_writes
from thiduaweb.core.vntext import fold
from thiduaweb.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def awards_world(app, world):
    catalogue.load_catalogue()
    with cross_unit_writes():
        nominee = Nominee(unit_id=world.a.id, kind="person", name="Lê Thị Mai", name_folded=fold("Lê Thị Mai"),
                          occupation_group="worker", position="Công nhân chế biến chè", identity_number="019188000111")
        db.session.add(nominee)
        db.session.flush()
        nominee.lineage_key, nominee.origin_unit_id = f"{world.a.id}:{nominee.id}", world.a.id
        db.session.commit()
    app.config["TODAY"] = date(2021, 12, 20)
    yield world
    app.config.pop("TODAY", None)


def test_officer_nominates_and_the_chairman_decides(page, awards_world):
    browser_login(page, "officer.a")
    page.goto("/u/xa-dong-lien/khen-thuong/de-nghi/moi")
    page.select_option("#nominee_id", label="Lê Thị Mai (cá nhân)")
    page.select_option("#award_code", value="giay_khen")
    page.fill("#year", "2021")
    page.click("#nomination-form button[type=submit]")
    expect(page.locator("#achievements-error")).to_contain_text("tóm tắt thành tích")
    page.fill("#achievements", "Dũng cảm cứu người đuối nước tại sông Cầu ngày 12/7/2021.")
    page.click("#nomination-form button[type=submit]")
    expect(page.locator("#nomination-state")).to_have_text("Đang soạn")

    page.click("#workflow-buttons >> text=Gửi đề nghị")
    expect(page.locator("#nomination-state")).to_have_text("Chờ bình xét")

    page.click("#workflow-buttons >> text=Ghi kết quả bình xét")
    page.fill("#review_on", "2021-12-01")
    page.fill("#voters", "9")
    page.fill("#votes_for", "10")
    page.click("#step-form button[type=submit]")
    expect(page.locator("#votes_for-error")).to_contain_text("lớn hơn số người biểu quyết")
    page.fill("#votes_for", "8")
    page.fill("#votes_against", "1")
    page.click("#step-form button[type=submit]")
    expect(page.locator("#nomination-state")).to_have_text("Đã bình xét")

    page.click("#workflow-buttons >> text=Công khai")
    page.fill("#posted_from", "2021-12-02")
    page.click("#step-form button[type=submit]")
    expect(page.locator("#nomination-state")).to_have_text("Đang công khai")

    citizen = page.context.browser.new_context(base_url=page.url.split("/u/")[0], locale="vi-VN").new_page()
    citizen.goto("/p/xa-dong-lien/khen-thuong/")
    expect(citizen.locator("#posted-list")).to_contain_text("Lê Thị Mai")

    page.click("#workflow-buttons >> text=Chuyển thẩm định")
    expect(page.locator("#nomination-state")).to_have_text("Đang thẩm định")
    page.click("#workflow-buttons >> text=Ghi kết quả thẩm định")
    page.fill("#appraised_on", "2021-12-15")
    page.check("input[name=council_result][value=approved]")
    page.click("#step-form button[type=submit]")
    expect(page.locator("#nomination-state")).to_have_text("Đã thẩm định, chờ quyết định")
    expect(page.locator("#workflow-buttons")).not_to_contain_text("Quyết định khen thưởng")  # not the officer's
    nomination_url = page.url

    chairman = page.context.browser.new_context(base_url=page.url.split("/u/")[0], locale="vi-VN").new_page()
    browser_login(chairman, "chairman.a")
    chairman.goto(nomination_url)
    chairman.click("#workflow-buttons >> text=Quyết định khen thưởng")
    chairman.fill("#decided_on", "2021-12-16")
    chairman.click("#step-form button[type=submit]")
    expect(chairman.locator("#nomination-state")).to_have_text("Đã khen thưởng")
    expect(chairman.locator("#decision-number")).to_contain_text("01/QĐ-UBND")

    chairman.goto("/u/xa-dong-lien/khen-thuong/so-khen-thuong?q=le thi mai")
    expect(chairman.locator("#register-table")).to_contain_text("Giấy khen của Chủ tịch UBND")
    citizen.goto("/p/xa-dong-lien/khen-thuong/")
    expect(citizen.locator("#award-list")).to_contain_text("Lê Thị Mai")
    assert "019188000111" not in citizen.content()
    chairman.context.close()
    citizen.context.close()
