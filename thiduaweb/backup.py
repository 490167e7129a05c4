"""Backups of the whole database — uploaded files included, since they live in it.

SQLite uses the online backup API (safe while the app runs); PostgreSQL uses pg_dump's custom
format and pg_restore. `restore` replaces what the target database holds.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from thiduaweb.extensions import db


class BackupError(RuntimeError):
    pass


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return url.database


def _pg_arguments(url) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432), "--username", url.username or "postgres",
            "--dbname", url.database]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"Không tìm thấy lệnh {name}: cài gói postgresql-client.")
    return path


def create_backup(target: str | Path) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    if url.get_backend_name() == "sqlite":
        db.session.remove()
        source = sqlite3.connect(_sqlite_path(url))
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        source.close()
        destination.close()
    else:
        args, env = _pg_arguments(url)
        subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
                       check=True, env=env, capture_output=True)
    return target


def restore_backup(source: str | Path) -> None:
    source = Path(source)
    if not source.exists():
        raise BackupError(f"Không có tệp sao lưu {source}.")
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        backup = sqlite3.connect(source)
        destination = sqlite3.connect(_sqlite_path(url))
        with destination:
            backup.backup(destination)
        backup.close()
        destination.close()
    else:
        args, env = _pg_arguments(url)
        result = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                 *args, str(source)], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore thất bại: {result.stderr.strip()[:500]}")
