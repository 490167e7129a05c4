"""Every kind of page of the demo world passes axe-core with no serious or critical violation.

The crawler of the security tests finds the pages a commune officer, the city's supervisor and a
citizen reach; one page per route is checked in a real browser.
"""
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.e2e.conftest import browser_login
from tests.e2e.test_accessibility import _violations, axe_page  # noqa: F401 - the fixture
from tests.helpers import UserClient
from tests.security.crawler import crawl

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "ThiDua@2021"


def _one_page_per_route(app, urls):
    adapter = app.url_map.bind("localhost")
    chosen = {}
    for url in urls:
        parts = urlsplit(url)
        try:
            endpoint, _ = adapter.match(parts.path)
        except HTTPException:
            continue
        chosen.setdefault(endpoint, url)
    return chosen


@pytest.fixture(scope="module")
def demo_pages(app):
    from tests.conftest import _clear_tables
    from thiduaweb.extensions import db, limiter

    with app.app_context():
        _clear_tables()
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        pages = {}
        for username in ("donglien.canbo", "noivu"):
            client = UserClient(app)
            landing = client.login(username, DEMO_PASSWORD).headers["Location"]
            urls, _forms = crawl(client, landing, limit=250)
            pages[username] = _one_page_per_route(app, urls)
        public, _ = crawl(UserClient(app), "/p/xa-dong-lien/don-thu/", limit=30)
        public += crawl(UserClient(app), "/p/xa-dong-lien/khen-thuong/", limit=30)[0]
        pages[None] = _one_page_per_route(app, public)
        db.session.remove()
        limiter.reset()
    yield pages
    with app.app_context():
        _clear_tables()


@pytest.fixture
def db(app):  # noqa: PT004 - the module's demo world outlives each test here
    with app.app_context():
        yield


def test_every_kind_of_page_has_no_serious_accessibility_violation(axe_page, demo_pages):
    problems = {}
    checked = 0
    for username, pages in demo_pages.items():
        axe_page.context.clear_cookies()
        if username:
            browser_login(axe_page, username, DEMO_PASSWORD)
        for endpoint, url in sorted(pages.items()):
            if any(mark in url for mark in ("docx", "xlsx", "/files/", "export")) or url.endswith("/in"):
                continue  # downloads and print views
            try:
                response = axe_page.goto(url)
            except Exception as error:  # noqa: BLE001 - a link that downloads a file
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            checked += 1
            found = _violations(axe_page)
            if found:
                problems[f"{username}: {url}"] = found
    assert checked >= 40
    assert problems == {}, "\n".join(f"{page}: {found}" for page, found in problems.items())
