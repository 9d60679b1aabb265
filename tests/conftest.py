"""Shared fixtures: a fresh database per test run (SQLite, or PostgreSQL when
``OMNI_TEST_POSTGRES_URL`` is set), the app over HTTP, and signed-in callers.

Tests share one database per run and create their own uniquely named data, so they
never depend on what other tests left behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from omni.db.all_models import metadata
from omni.db.database import Database
from omni.main import create_app
from omni.settings import Settings
from tests import support

POSTGRES_URL = os.environ.get("OMNI_TEST_POSTGRES_URL")
# Cheap password hashing for tests (process-wide: the hasher reads the global settings);
# production keeps the RFC 9106 defaults.
os.environ["OMNI_ARGON2_TIME_COST"] = "1"
os.environ["OMNI_ARGON2_MEMORY_KIB"] = "1024"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests (row-lock races, pgbench) are deselected on SQLite runs —
    deselected, not skipped: CI runs the suite again on PostgreSQL, where they run."""
    if POSTGRES_URL:
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    dropped = [item for item in items if item.get_closest_marker("postgres") is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_report_header() -> str:
    return f"omni test database: {'postgresql' if POSTGRES_URL else 'sqlite'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if POSTGRES_URL:
        name = f"omni_test_{uuid.uuid4().hex[:12]}"
        support.create_postgres_database(POSTGRES_URL, name)
        return (
            make_url(POSTGRES_URL)
            .set(drivername="postgresql+asyncpg", database=name)
            .render_as_string(hide_password=False)
        )
    path: Path = tmp_path_factory.mktemp("db") / "omni.db"
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    mailbox = tmp_path_factory.mktemp("mail") / "notifications.jsonl"
    return support.test_settings(database_url, str(mailbox))


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = Database(settings)
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield db
    await db.dispose()
    if POSTGRES_URL:
        await support.drop_postgres_database(
            POSTGRES_URL, make_url(settings.database_url).database or ""
        )


@pytest.fixture(scope="session")
async def app(settings: Settings, database: Database):  # type: ignore[no-untyped-def]
    application = create_app(settings, db=database)
    yield application
    await application.state.dispatcher.drain()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://omni.test") as http:
        yield http


@pytest.fixture
def staff_headers(database: Database) -> Callable[..., Awaitable[dict[str, str]]]:
    """``await staff_headers("merchandiser")`` or ``("associate", stores=[loc_id])``."""

    async def make(*roles: str, stores: list[str] | None = None) -> dict[str, str]:
        token = await support.staff_token(database, list(roles), stores or [])
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
async def admin_headers(staff_headers) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return await staff_headers("admin")


@pytest.fixture
def shopper_headers(
    client: httpx.AsyncClient,
) -> Callable[..., Awaitable[tuple[str, dict[str, str]]]]:
    """``customer_id, headers = await shopper_headers()`` — a freshly signed-up shopper."""

    async def make() -> tuple[str, dict[str, str]]:
        return await support.sign_up_shopper(client)

    return make
