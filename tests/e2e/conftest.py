"""Browser tests: the test app served on a local port, driven by Debian's Chromium via Playwright.

Without /usr/bin/chromium (or Playwright) every browser test is skipped with the reason printed
in the summary (`-ra`), never silently.
"""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.helpers import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-dev-shm-usage", "--no-first-run", "--disable-sync"]


def _skip_reason() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"Bỏ qua kiểm thử trình duyệt: không có Chromium tại {CHROMIUM} (apt-get install -y chromium)."
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Bỏ qua kiểm thử trình duyệt: chưa cài gói playwright."
    return None


@pytest.fixture(scope="session")
def live_url(app):
    """The session's test app served by a real HTTP server in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def _browser():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_url):
    context = _browser.new_context(base_url=live_url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def browser_login(page, username: str, password: str = PASSWORD):
    """Log in through the login form and wait for the unit's home page."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/u/**")
    return page


@pytest.fixture
def login_page(page):
    return lambda username, password=PASSWORD: browser_login(page, username, password)
