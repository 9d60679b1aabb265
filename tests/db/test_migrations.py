"""A fresh `upgrade head` gives exactly the models' schema, on SQLite and PostgreSQL,
and /readyz tells a migrated database from one that is not."""

import asyncio
import uuid

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import make_url

from omni.db.all_models import metadata
from omni.db.database import Database
from omni.db.migrations import head_revision, upgrade_to_head
from omni.main import create_app
from tests import support
from tests.conftest import POSTGRES_URL


def schema_differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, metadata)


async def assert_head_matches_models(url: str) -> None:
    await asyncio.to_thread(upgrade_to_head, url)
    db = Database(support.test_settings(url))
    try:
        async with db.engine.connect() as connection:
            differences = await connection.run_sync(schema_differences)
        assert differences == []
        app = create_app(db.settings, db=db)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as client:
            ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["revision"] == head_revision()
    finally:
        await db.dispose()


async def test_sqlite_upgrade_head_matches_the_models(tmp_path):
    await assert_head_matches_models(f"sqlite+aiosqlite:///{tmp_path / 'migrated.db'}")


@pytest.mark.postgres
async def test_postgresql_upgrade_head_matches_the_models():
    assert POSTGRES_URL
    name = f"omni_migrate_{uuid.uuid4().hex[:10]}"
    await support.create_postgres_database_async(POSTGRES_URL, name)
    try:
        url = make_url(POSTGRES_URL).set(drivername="postgresql+asyncpg", database=name)
        await assert_head_matches_models(url.render_as_string(hide_password=False))
    finally:
        await support.drop_postgres_database(POSTGRES_URL, name)


async def test_readyz_is_503_on_a_database_that_is_not_migrated(client):
    # The shared test database is built with create_all, so it has no Alembic revision.
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["code"] == "not_ready"
