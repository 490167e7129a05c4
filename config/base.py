"""Safe defaults shared by every environment. No secrets here."""
from datetime import timedelta


class BaseConfig:
    #: Overridden by SECRET_KEY in the environment; production refuses to start without it.
    SECRET_KEY = "dev-only-not-secret"
    #: None means "SQLite in the instance folder" (set in create_app, where the path is known).
    SQLALCHEMY_DATABASE_URI: str | None = None
    #: Connections are pinged before use only after POOL_PING_AFTER_IDLE seconds idle (core/dbpool.py),
    #: not on every request as pool_pre_ping would.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    POOL_PING_AFTER_IDLE = 10
    REDIS_URL: str | None = None
    #: Production refuses SQLite unless this is set (a single-machine deployment).
    ALLOW_SQLITE_IN_PRODUCTION = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "10 per minute"

    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    PAGE_SIZE = 25
    #: Argon2id cost; testing lowers it so the suite stays fast.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536
    #: A deployment may lock units that ceased to exist (valid_to passed: merged in the 2025 reform)
    #: once their open work has moved to the successor: their pages become read-only for everyone
    #: (units.services.access_for). Off: they stay open (the demo world, and a transition period).
    LOCK_MERGED_UNITS = False
    #: Excel exports of this many rows or more run as a background job (core.jobs); the file is
    #: written into EXPORT_DIR (None: instance/exports) and kept a day. With REDIS_URL the jobs go
    #: to the RQ queue EXPORT_QUEUE (worker: `flask --app app jobs worker`), else to a thread.
    #: How long each process keeps reference data (the award catalogue's names, rule parameters)
    #: before reading it again; a write in the same process forgets it at once (core.reference).
    REFERENCE_CACHE_SECONDS = 300
    #: Rendered parts of unit pages (the city dashboard's table, the home's panels, the lists' tables)
    #: kept per process under the unit's revisions (core/revisions.py); 0: none.
    PAGE_CACHE_ENTRIES = 1024
    #: … and at most this many characters of HTML in all (a part of 500 petitions is about 300,000).
    PAGE_CACHE_CHARS = 32_000_000
    EXPORT_BACKGROUND_FROM = 5000
    EXPORT_DIR: str | None = None
    EXPORT_QUEUE = "thiduaweb"
