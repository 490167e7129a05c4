"""The application as a whole: health, configuration, errors, security headers, htmx seam."""
import pytest

from tests.helpers import UserClient, text_of
from thiduaweb import create_app


def test_healthz_answers_ok_with_the_database(app):
    response = UserClient(app).get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    broken = create_app("testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] != "ok"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://x@localhost/x")


def test_production_refuses_sqlite_unless_told(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        create_app("production", SQLALCHEMY_DATABASE_URI="sqlite:///x.sqlite3")
    app = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite:///x.sqlite3", ALLOW_SQLITE_IN_PRODUCTION=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_overrides_the_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/thidua")
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/thidua"


def test_every_response_carries_security_headers(app):
    response = UserClient(app).get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_missing_page_is_a_vietnamese_404(app):
    response = UserClient(app).get("/khong-co-trang-nay")
    assert response.status_code == 404 and "Không tìm thấy" in text_of(response)


def test_an_htmx_page_request_gets_its_fragment_and_a_history_restore_the_whole_page(world, login):
    client = login("officer_a")
    fragment = client.get("/u/xa-dong-lien/audit/", htmx=True)
    assert "<html" not in fragment.get_data(as_text=True) and 'id="audit-table"' in fragment.get_data(as_text=True)
    restore = client.get("/u/xa-dong-lien/audit/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]


def test_nothing_is_loaded_from_a_cdn(app):
    import re
    from pathlib import Path

    from thiduaweb import ROOT

    remote = re.compile(r"""(src|href|url)\s*[=(]\s*["']?https?://|import\s+["']https?://""")
    files = list(Path(ROOT, "templates").rglob("*.html")) + list(Path(ROOT, "static", "js").rglob("*.js")) + \
        list(Path(ROOT, "static", "css").rglob("*.css"))
    for path in files:
        assert not remote.search(path.read_text(encoding="utf-8")), path


def test_the_interface_speaks_vietnamese_and_switches_to_english(world, login):
    client = login("officer_a")
    assert "Đăng xuất" in text_of(client.get("/u/xa-dong-lien/"))
    assert client.post("/lang/en", {"next": "/u/xa-dong-lien/"}).status_code == 302
    page = text_of(client.get("/u/xa-dong-lien/"))
    assert "Log out" in page and "Audit trail" in page


def test_an_htmx_request_that_fails_gets_a_small_error_and_a_toast(world, login):
    response = login("officer_b").get("/u/xa-dong-lien/bodies", htmx=True)
    assert response.status_code == 404
    assert "<html" not in response.get_data(as_text=True)
    assert "toast" in response.headers["HX-Trigger"]
