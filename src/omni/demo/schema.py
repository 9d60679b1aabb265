"""Bring the database schema to head (Alembic) before the demo is built."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from omni.db.migrations import upgrade_to_head


def prepare_schema(database_url: str) -> None:
    """Apply every pending migration, so the demo database is a real, migrated one."""
    _make_sqlite_directory(database_url)
    upgrade_to_head(database_url)


def _make_sqlite_directory(database_url: str) -> None:
    """Alembic opens its own engine, which does not create ``var/`` on a fresh clone."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
