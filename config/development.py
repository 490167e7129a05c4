"""Local development: SQLite in instance/, debug off by default (use `flask run --debug`)."""
from config.base import BaseConfig


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
