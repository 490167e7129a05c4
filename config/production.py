"""Production: secrets from the environment; refuses unsafe settings at start-up."""
from config.base import BaseConfig


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    SECRET_KEY = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @staticmethod
    def validate(config) -> None:
        """Raise at start-up, not at the first request, when production is misconfigured."""
        if not config.get("SECRET_KEY"):
            raise RuntimeError("Production needs SECRET_KEY in the environment.")
        uri = config.get("SQLALCHEMY_DATABASE_URI") or ""
        if uri.startswith("sqlite") and not config.get("ALLOW_SQLITE_IN_PRODUCTION"):
            raise RuntimeError(
                "Production uses PostgreSQL: set DATABASE_URL, or ALLOW_SQLITE_IN_PRODUCTION=1 "
                "for a single-machine deployment."
            )
