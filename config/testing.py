"""The test suite: in-memory SQLite unless TEST_DATABASE_URL is given, cheap hashing."""
from config.base import BaseConfig


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 1024
    RATELIMIT_ENABLED = True
