"""Fresh PostgreSQL databases for benchmarks: made for one run, dropped after."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator

import asyncpg
from sqlalchemy.engine import make_url


def _dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _execute(dsn: str, statement: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.contextmanager
def fresh_database(server_url: str, prefix: str) -> Iterator[tuple[str, str]]:
    """Yields (libpq DSN, SQLAlchemy asyncpg URL) of a new empty database."""
    if make_url(server_url).get_backend_name() != "postgresql":
        raise SystemExit("this benchmark needs --database-url postgresql+asyncpg://…")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_execute(_dsn(server_url), f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server_url).set(drivername="postgresql+asyncpg", database=name)
        yield _dsn(server_url, name), url.render_as_string(hide_password=False)
    finally:
        asyncio.run(_execute(_dsn(server_url), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
