"""Where the workspace keeps its files: the data folder, its secret key and its SQLite database.

The data folder comes from the environment variable ``JUNHENG_DATA_DIR`` (``junheng serve --data DIR``
sets it), else the user's data directory (platformdirs: ``~/.local/share/junheng`` on Linux).
The secret key is generated on first start into ``<data>/secret_key`` (mode 600); it is never in
the repository.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from platformdirs import user_data_dir

DATA_ENV = "JUNHENG_DATA_DIR"
DATABASE_ENV = "JUNHENG_DATABASE_URL"


def data_dir() -> Path:
    """The data folder (created when missing)."""
    path = Path(os.environ.get(DATA_ENV) or user_data_dir("junheng", appauthor=False)).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """The secret key stored in ``folder/secret_key``, generated (50 random URL-safe characters) on first use."""
    path = folder / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def database(url: str | None, folder: Path) -> dict:
    """Django's database settings for a database URL (dj-database-url), default SQLite in ``folder``.

    SQLite is set for many writers on one file: write-ahead log, a 20 s wait for the lock instead of
    an error, and the write lock taken at the start of a transaction (two readers upgrading to
    writers would otherwise fail)."""
    import dj_database_url

    db = dj_database_url.parse(url or f"sqlite:///{folder / 'junheng.sqlite3'}", conn_max_age=60)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    return db
