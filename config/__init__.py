"""Settings by environment name: development, testing, production.

`load(name)` returns the settings class; environment variables (DATABASE_URL, SECRET_KEY,
REDIS_URL, ...) override the defaults in `create_app`.
"""
from config.base import BaseConfig
from config.development import DevelopmentConfig
from config.production import ProductionConfig
from config.testing import TestingConfig

CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load(name: str | None) -> type[BaseConfig]:
    """Return the settings class for `name` (development when empty)."""
    try:
        return CONFIGS[name or "development"]
    except KeyError:
        raise RuntimeError(f"Unknown THIDUAWEB_ENV {name!r}: use one of {sorted(CONFIGS)}") from None
