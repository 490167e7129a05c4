"""Two app servers behind one PostgreSQL and one Redis behave as one application.

Runs in the PostgreSQL pass of the suite (TEST_DATABASE_URL) with Redis on 127.0.0.1:6379.
"""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests import factories
from tests.helpers import PASSWORD, fresh_database
from thiduaweb import ROOT, create_app
from thiduaweb.extensions import db

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), 1).close()
        return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                       reason="Hai máy chủ ứng dụng chỉ kiểm thử trong lượt PostgreSQL (TEST_DATABASE_URL)."),
    pytest.mark.skipif(not _reachable("127.0.0.1", 6379), reason="Không có Redis tại 127.0.0.1:6379."),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One person's browser: one cookie jar, used against either server."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, url: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.request(url)[1]).group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def two_servers(tmp_path):
    url, drop = fresh_database(tmp_path, "scaleout")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        world = factories.make_world()
        db.session.remove()
        db.engine.dispose()
    env = dict(os.environ, THIDUAWEB_ENV="development", DATABASE_URL=url, REDIS_URL=REDIS,
               SECRET_KEY="shared-secret-" + uuid.uuid4().hex, THIDUAWEB_RATELIMIT_KEY_PREFIX=uuid.uuid4().hex,
               THIDUAWEB_PASSWORD_HASH_TIME_COST="1", THIDUAWEB_PASSWORD_HASH_MEMORY_COST="1024")
    ports = [_free_port(), _free_port()]
    servers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for port in ports]
    try:
        for port in ports:
            deadline = time.time() + 20
            while not _reachable("127.0.0.1", port):
                assert time.time() < deadline, "app server did not start"
                time.sleep(0.2)
        yield world, [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
        drop()


def test_a_session_a_rate_limit_and_a_write_cross_both_servers(two_servers):
    _world, (one, two) = two_servers
    person = Browser()
    status, _ = person.request(f"{one}/login", {"username": "officer.a", "password": PASSWORD,
                                                "csrf_token": person.token(f"{one}/login")})
    assert status == 303
    status, page = person.request(f"{two}/u/xa-dong-lien/")
    assert status == 200 and "Xã Đồng Liên" in page  # the session opened on one is valid on two

    token = person.token(f"{two}/u/xa-dong-lien/bodies/new")
    status, _ = person.request(f"{one}/u/xa-dong-lien/bodies/new",
                               {"name": "Xóm Ghi Qua Máy Một", "kind": "village", "csrf_token": token})
    assert status == 303
    assert "Xóm Ghi Qua Máy Một" in person.request(f"{two}/u/xa-dong-lien/bodies")[1]

    attacker = Browser()
    statuses = []
    for attempt in range(11):
        server = one if attempt % 2 else two
        statuses.append(attacker.request(f"{server}/login", {"username": "officer.a", "password": "sai",
                                                             "csrf_token": attacker.token(f"{server}/login")})[0])
    # Ten login posts a minute per address, counted across both servers: the person's successful
    # login above was the first, so the attacker's tenth attempt is refused.
    assert statuses[:9] == [422] * 9 and statuses[9:] == [429, 429]
