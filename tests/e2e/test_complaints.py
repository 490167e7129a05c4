"""The complaints desk in a real browser: a citizen files without an account and follows the đơn with
its code; an officer accepts and answers it; the citizen reads the answer."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser_login

pytestmark = pytest.mark.browser


def test_a_citizen_files_an_officer_answers_and_the_citizen_reads_the_answer(page, world):
    # The citizen, without logging in.
    page.goto("/p/xa-dong-lien/don-thu/")
    page.check("input[name=kind][value=complaint]")
    page.fill("#subject", "Khiếu nại kết quả bình xét Lao động tiên tiến")
    page.fill("#content", "Tôi đủ tiêu chuẩn Lao động tiên tiến năm 2020 nhưng không có tên trong danh sách.")
    page.fill("#filer_name", "Nguyễn Thị Lan")
    page.fill("#filer_address", "Xóm Cây Thị, xã Đồng Liên")
    page.fill("#filer_email", "lan@")
    page.click("#petition-form button[type=submit]")
    expect(page.locator("#filer_email-error")).to_contain_text("không hợp lệ")
    assert page.input_value("#filer_name") == "Nguyễn Thị Lan"  # what was typed stays
    page.fill("#filer_email", "lan@example.vn")
    page.click("#petition-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/don-thu/ma/[A-Z2-9]{12}\?moi=1$"))
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    expect(page.locator("#petition-status")).to_have_text("Mới nhận, chờ phân loại")

    # The officer accepts and answers it.
    officer = page.context.browser.new_context(base_url=page.url.split("/p/")[0], locale="vi-VN").new_page()
    browser_login(officer, "officer.a")
    officer.goto("/u/xa-dong-lien/don-thu/")
    officer.fill("#q", code.replace("-", "").lower())
    expect(officer.locator("#petition-table tbody tr")).to_have_count(1)
    officer.click(f"#petition-table >> text={code}")
    officer.check("input[name=outcome][value=accept]")
    officer.click("#classify-form button[type=submit]")
    expect(officer.locator("#petition-status")).to_have_text("Đã thụ lý, đang giải quyết")
    officer.fill("#answer_text", "Bổ sung bà Nguyễn Thị Lan vào danh sách Lao động tiên tiến năm 2020.")
    officer.click("#answer-form button[type=submit]")
    expect(officer.locator("#petition-status")).to_have_text("Đã có quyết định giải quyết")
    officer.context.close()

    # The citizen comes back with the code and reads the answer.
    page.goto("/p/xa-dong-lien/don-thu/tra-cuu")
    page.fill("#code", code)
    page.click("#lookup-form button[type=submit]")
    expect(page.locator("#petition-answer")).to_contain_text("Bổ sung bà Nguyễn Thị Lan")
    expect(page.locator("#answer-title")).to_contain_text("01/QĐ-UBND")
    # the one 422 answer (the malformed email) is expected; nothing else went wrong in the page
    assert [e for e in page.console_errors if "422" not in e] == []
