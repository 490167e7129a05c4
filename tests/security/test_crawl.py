"""Every URL a demo user reaches is closed to other communes, to strangers, and to forged posts.

The crawler logs in as each demo role, follows every link it can reach from the home page, and
collects the pages and forms. Then each page is requested as a user of another commune (404,
except what is meant to be shared), as an anonymous visitor (login or 404), and each form is sent
without its CSRF token (refused). Hostile text in every field is shown as text, never run, and
never answers 500.
"""
import re

import pytest

from tests.helpers import UserClient
from tests.security.crawler import crawl

DEMO_PASSWORD = "ThiDua@2021"
DONG_LIEN_ROLES = ["donglien.canbo", "donglien.chutich", "donglien.hoidong"]
CITY_ROLES = ["noivu", "admin"]
#: Pages every logged-in user has, whatever their unit.
SHARED_PREFIXES = ("/account/", "/p/", "/healthz", "/login")
HOSTILE = [
    "<script>alert('xss')</script>",
    '" onmouseover="alert(1)" x="',
    "'; DROP TABLE unit; --",
    "A" * 5000,
    "dòng\x00một\x1bhai\u202e",
]


@pytest.fixture(scope="module")
def demo_crawl(app):
    """Seed the demo world once for the module and crawl it as every demo role."""
    with app.app_context():
        from tests.conftest import _clear_tables
        from thiduaweb.extensions import db

        _clear_tables()
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        results = {}
        for username in DONG_LIEN_ROLES + CITY_ROLES + ["tancuong.canbo"]:
            client = UserClient(app)
            landing = client.login(username, DEMO_PASSWORD).headers["Location"]
            results[username] = crawl(client, landing)
        db.session.remove()
    yield results
    with app.app_context():
        _clear_tables()


@pytest.fixture
def db(app):  # noqa: PT004 - the module's demo world outlives each test here
    from thiduaweb.extensions import limiter

    limiter.reset()  # these tests log in many times; the login limit is tested elsewhere
    with app.app_context():
        yield


def _client(app, username):
    client = UserClient(app)
    client.login(username, DEMO_PASSWORD)
    return client


def test_the_crawl_reaches_the_pages_of_every_role(demo_crawl):
    for username, (urls, _forms) in demo_crawl.items():
        assert len(urls) >= 5, (username, urls)


def test_another_communes_officer_gets_404_for_every_page_of_dong_lien(app, demo_crawl):
    stranger = _client(app, "tancuong.canbo")
    for username in DONG_LIEN_ROLES:
        for url in demo_crawl[username][0]:
            if url.startswith(SHARED_PREFIXES):
                continue
            assert url.startswith("/u/xa-dong-lien/"), url
            assert stranger.get(url).status_code == 404, url


def test_a_commune_officer_gets_404_for_every_page_of_the_city(app, demo_crawl):
    officer = _client(app, "donglien.canbo")
    for username in CITY_ROLES:
        for url in demo_crawl[username][0]:
            if url.startswith(SHARED_PREFIXES) or not url.startswith("/u/tp-thai-nguyen/"):
                continue
            assert officer.get(url).status_code == 404, url


def test_an_anonymous_visitor_is_sent_to_login_or_gets_404(app, demo_crawl):
    visitor = UserClient(app)
    for username, (urls, _forms) in demo_crawl.items():
        for url in urls:
            if url.startswith("/p/"):
                continue
            response = visitor.get(url)
            assert response.status_code in (302, 404), url
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login"), url


def test_every_form_sent_without_its_csrf_token_is_refused(app, demo_crawl):
    for username, (_urls, forms) in demo_crawl.items():
        client = _client(app, username)
        for form in forms:
            if form.method != "post":
                continue
            fields = {k: v for k, v in form.fields.items() if k != "csrf_token"}
            response = client.post(form.action, fields, csrf=False)
            assert response.status_code == 400, (username, form.action, response.status_code)


def test_hostile_text_in_every_field_is_stored_as_text_and_never_a_500(app, demo_crawl):
    for username in ["donglien.canbo", "noivu"]:
        client = _client(app, username)
        for form in demo_crawl[username][1]:
            if form.method != "post" or not form.text_fields or "password" in form.action:
                continue
            for value in HOSTILE:
                data = dict(form.fields)
                data.update({name: value for name in form.text_fields if "password" not in name})
                data.pop("csrf_token", None)
                response = client.post(form.action, data)
                assert response.status_code < 500, (form.action, value[:30], response.status_code)
                assert "<script>alert('xss')</script>" not in response.get_data(as_text=True), form.action
            page = client.get(form.page.replace("http://localhost", ""))
            assert page.status_code < 500
            body = page.get_data(as_text=True)
            assert "<script>alert('xss')</script>" not in body
            assert not re.search(r'<[^>]+" onmouseover="alert\(1\)"', body), form.page
