"""Thi đua Web: the application factory."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

import config as config_module

ROOT = Path(__file__).resolve().parent.parent

#: Feature packages, each with a `views.py` defining `bp` (and `unit_bp` when it has both
#: unit pages and pages outside any unit).
FEATURES = ["accounts", "units", "audit", "files", "inspections", "complaints", "plans", "movements", "exemplars", "awards", "clusters", "dashboard", "jobs", "public"]


def create_app(env: str | None = None, **overrides) -> Flask:
    """Build the app: settings → extensions → session listeners → blueprints → CLI → errors."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    settings = config_module.load(env or os.environ.get("THIDUAWEB_ENV"))
    app.config.from_object(settings)
    _read_environment(app)
    app.config.update(overrides)
    _default_database(app)
    if hasattr(settings, "validate"):
        settings.validate(app.config)

    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    from thiduaweb import cli

    cli.register(app)
    from thiduaweb.core import errors

    errors.register(app)
    return app


def _read_environment(app: Flask) -> None:
    env = os.environ
    if env.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("DATABASE_URL") and not app.config.get("TESTING"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(env["DATABASE_URL"])
    if env.get("REDIS_URL"):
        app.config["REDIS_URL"] = env["REDIS_URL"]
        app.config["RATELIMIT_STORAGE_URI"] = env["REDIS_URL"]
    if env.get("ALLOW_SQLITE_IN_PRODUCTION"):
        app.config["ALLOW_SQLITE_IN_PRODUCTION"] = True
    app.config.from_prefixed_env("THIDUAWEB")


def _normalise_db_url(url: str) -> str:
    """postgres:// and postgresql:// both mean psycopg 3 here."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _default_database(app: Flask) -> None:
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        uri = f"sqlite:///{Path(app.instance_path) / 'thiduaweb.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(uri)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}


def _init_extensions(app: Flask) -> None:
    from thiduaweb.core import audit, reads, revisions, tenancy, transactions
    from thiduaweb.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    _ping_idle_connections(app)
    transactions.end_reads_with_commit(app, db)
    with app.app_context():
        tenancy.send_scope_along(db.engine)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        reads.keep_long_queries_converted()
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(ROOT / "translations"))
    login_manager.init_app(app)
    tenancy.install_listeners()
    audit.install_listeners()
    revisions.install_listeners()
    _sqlite_foreign_keys(app)

    import thiduaweb.models  # noqa: F401 - every model registered before the first query

    tenancy.install_row_level_security_ddl()


def _ping_idle_connections(app: Flask) -> None:
    from thiduaweb.core.dbpool import ping_idle_connections
    from thiduaweb.extensions import db

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        with app.app_context():
            ping_idle_connections(db.engine, float(app.config.get("POOL_PING_AFTER_IDLE", 10)))


def _sqlite_foreign_keys(app: Flask) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()


def _select_locale():
    from flask import session

    wanted = session.get("lang")
    return wanted if wanted in ("vi", "en") else "vi"


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for feature in FEATURES:
        views = import_module(f"thiduaweb.{feature}.views")
        for name in ("bp", "unit_bp"):
            if hasattr(views, name):
                app.register_blueprint(getattr(views, name))
    from thiduaweb.core import health

    app.register_blueprint(health.bp)


def _register_hooks(app: Flask) -> None:
    from thiduaweb.core import templating
    from thiduaweb.core.security import add_security_headers

    templating.register(app)
    app.after_request(add_security_headers)
