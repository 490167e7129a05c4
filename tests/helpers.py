"""Test helpers: a client that logs in and sends the CSRF token, htmx requests, SQL counting."""
from __future__ import annotations

import contextvars
import re
from contextlib import contextmanager

from sqlalchemy import event

PASSWORD = "Mat-khau-2021"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def _isolated(call, *args, **kwargs):
    """Run a request outside the test's app context, as a real request would run.

    Flask reuses an app context that is already pushed, which would share `g` (and the
    database session) between the test and every request it makes.
    """
    from flask.globals import _cv_app, _cv_request

    def run():
        _cv_app.set(None)
        _cv_request.set(None)
        return call(*args, **kwargs)

    response = contextvars.copy_context().run(run)
    try:
        from thiduaweb.extensions import db

        db.session.expire_all()
    except RuntimeError:  # no app context in the test
        pass
    return response


class UserClient:
    """Flask's test client with a login step and CSRF tokens added to every unsafe request."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.token: str | None = None

    def refresh_token(self, page: str = "/login") -> str:
        body = _isolated(self.client.get, page).get_data(as_text=True)
        match = _TOKEN.search(body)
        assert match, f"no CSRF token on {page}"
        self.token = match.group(1) or match.group(2)
        return self.token

    def login(self, username: str, password: str = PASSWORD):
        self.refresh_token()
        response = _isolated(self.client.post, "/login", data={"username": username, "password": password,
                                                     "csrf_token": self.token})
        assert response.status_code == 303, f"login as {username} failed: {response.status_code}"
        self.refresh_token(response.headers["Location"])
        return response

    def get(self, url: str, htmx: bool = False, **kwargs):
        if htmx:
            kwargs.setdefault("headers", {})["HX-Request"] = "true"
        return _isolated(self.client.get, url, **kwargs)

    def post(self, url: str, data: dict | None = None, htmx: bool = False, csrf: bool = True, **kwargs):
        data = dict(data or {})
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        if csrf:
            if self.token is None:
                self.refresh_token()
            data.setdefault("csrf_token", self.token)
        return _isolated(self.client.post, url, data=data, headers=headers, **kwargs)


def text_of(response) -> str:
    """The visible text of a response, tags removed and whitespace folded."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def page_text(response) -> str:
    """The page's HTML with its CSRF tokens blanked: a token is signed with the second it was made, so
    two visits of an unchanged page differ by it when they straddle a second."""
    return _TOKEN.sub("csrf_token", response.get_data(as_text=True))


@contextmanager
def count_queries(engine):
    """Count the SQL statements sent while the block runs: `with count_queries(db.engine) as n: ...; n()`."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        # The unit scope pushed to PostgreSQL at each transaction's start is one fixed statement
        # per transaction, not work that grows with the data.
        if "set_config('app." not in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield lambda: len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", before)


def statements_of_page(client, url: str) -> list[str]:
    """The SQL statements the page `url` sent (asserting it answered 200)."""
    from thiduaweb.extensions import db

    sent: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return sent


def fresh_database(tmp_path, name: str = "fresh"):
    """An empty database of the kind under test: (url, drop). SQLite file, or a new PostgreSQL database."""
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / (name + '.sqlite3')}", lambda: None
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url)
    database = f"{base.database}_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=database).render_as_string(hide_password=False), drop
