"""Award season in a real browser: the council votes on five nominations in a session, the chairman signs one
decision for the five, and the decision and the certificates download."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.awards.conftest import advance, make_nomination, make_nominee
from tests.awards.test_council import make_council
from tests.e2e.conftest import browser_login
from thiduaweb.awards import catalogue, council
from thiduaweb.core.tenancy import unit_scope
from thiduaweb.extensions import db

pytestmark = pytest.mark.browser

NAMES = ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Mai", "Phạm Văn Đức", "Đỗ Thị Lan"]


@pytest.fixture
def season_world(app, world):
    catalogue.load_catalogue()
    db.session.commit()
    app.config["TODAY"] = date(2021, 12, 20)
    make_council(world.a, 7)
    for name in NAMES:
        advance(make_nomination(world.a, make_nominee(world.a, name), "giay_khen"), "appraisal",
                world.users["officer_a"])
    with unit_scope({world.a.id}):
        session = council.create_session(world.a, world.users["officer_a"],
                                         {"held_on": date(2021, 12, 14), "place": "Hội trường UBND xã"})
        world.session_id = session.id
    yield world
    app.config.pop("TODAY", None)


def test_council_votes_and_the_chairman_signs_one_decision(page, season_world):
    browser_login(page, "officer.a")
    page.goto(f"/u/xa-dong-lien/khen-thuong/hoi-dong/phien/{season_world.session_id}")
    page.click("#agenda-form button[type=submit]")
    expect(page.locator("#agenda tbody tr")).to_have_count(5)
    for index in range(5):
        page.locator("#agenda tbody tr").nth(index).locator("a.btn-primary").click()
        page.select_option("#method", "secret")
        if index == 0:
            page.fill("#votes_for", "9")
            page.click("#vote-form button[type=submit]")
            expect(page.locator("#votes_for-error")).to_contain_text("lớn hơn số thành viên có mặt")
            page.fill("#votes_for", "6")
            page.fill("#votes_against", "1")
        else:
            page.fill("#votes_for", "7")
        page.click("#vote-form button[type=submit]")
        expect(page.locator("#session-state")).to_have_text("Đang họp")
        expect(page.locator(f"#agenda tbody tr >> nth={index}")).to_contain_text("Đồng ý")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#close-form button[type=submit]")
    expect(page.locator("#session-state")).to_have_text("Đã kết thúc")
    expect(page.locator("#minutes")).to_contain_text("01/BB-HĐTĐKT")

    chairman = page.context.browser.new_context(base_url=page.url.split("/u/")[0], locale="vi-VN").new_page()
    browser_login(chairman, "chairman.a")
    chairman.goto("/u/xa-dong-lien/khen-thuong/dot-khen?year=2021&state=appraised")
    expect(chairman.locator("#season-table tbody tr")).to_have_count(5)
    for box in chairman.locator("#season-table input[name=nomination_ids]").all():
        box.check()
    chairman.select_option("#step", "decide")
    chairman.fill("#on", "2021-12-16")
    chairman.click("#bulk-form button[type=submit]")
    expect(chairman.locator("#awardees tbody tr")).to_have_count(5)
    expect(chairman.locator("#decision-total")).to_have_text("2.235.000")
    with chairman.expect_download() as info:
        chairman.click("#download-decision")
    data = open(info.value.path(), "rb").read()
    cells = [c.text for t in Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells]
    assert all(name in cells for name in NAMES) and "01/QĐ-UBND" in " ".join(cells)
    with chairman.expect_download() as info:
        chairman.click("#download-certificates")
    texts = [p.text for p in Document(io.BytesIO(open(info.value.path(), "rb").read())).paragraphs]
    assert all(name in texts for name in NAMES)
    chairman.context.close()
