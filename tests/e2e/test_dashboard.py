"""The city's dashboard in a real browser: the supervisor sorts by the 30% share, drills down from a
commune's overdue complaints to one complaint, and downloads the Excel of that list."""
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.dashboard.world import build_stats_world
from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser


def test_supervisor_sorts_drills_down_and_downloads(page, world):
    build_stats_world(world)
    browser_login(page, "supervisor")
    page.goto("/u/tp-thai-nguyen/dashboard/")
    expect(page.locator("#dashboard-table tbody tr[data-unit]")).to_have_count(2)
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    # Sort by the share, ascending then descending.
    page.click("a[data-sort=share]")
    expect(page.locator("#dashboard-table tbody tr[data-unit]").first).to_have_attribute("data-unit", "xa-tan-cuong")
    page.click("a[data-sort=share]")
    expect(page.locator("#dashboard-table tbody tr[data-unit]").first).to_have_attribute("data-unit", "xa-dong-lien")
    assert re.search(r"sort=share", page.url)
    # Drill down from Đồng Liên's overdue complaints, once the sorted table has settled.
    page.wait_for_load_state("networkidle")
    page.click('tr[data-unit="xa-dong-lien"] a[data-metric="pet.overdue"]')
    expect(page.locator("#drill-list .drill-row")).to_have_count(1)
    expect(page.locator("#drill-title")).to_contain_text("quá hạn")
    # The Excel of that list.
    with page.expect_download() as info:
        page.click("#drill-export")
    data = open(info.value.path(), "rb").read()
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert any(r and r[0] == "AOVE-R" for r in rows)
    # And on to the complaint itself.
    page.click("#drill-list .drill-row a")
    page.wait_for_url(re.compile(r".*/u/xa-dong-lien/don-thu/\d+$"))
    expect(page.locator("main")).to_contain_text("AOVE-R")
    assert not page.console_errors, page.console_errors
