"""The operator commands: migrate, users create, worker."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from omni.access.events import PasswordResetRequested
from omni.access.models import StaffUser
from omni.access.passwords import verify_password
from omni.cli import app
from omni.db.database import Database
from omni.db.platform_models import IdempotencyRecord, OutboxEvent
from omni.kernel.ids import new_id
from omni.settings import get_settings
from omni.worker import run_worker
from tests import support


@pytest.fixture
def cli_database_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("OMNI_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_migrate_then_create_the_first_admin(cli_database_url):
    runner = CliRunner()
    migrated = runner.invoke(app, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    created = runner.invoke(
        app,
        ["users", "create", "--email", "Boss@Example.com", "--name", "The Boss", "--role", "admin"],
        input="a long enough passphrase\na long enough passphrase\n",
    )
    assert created.exit_code == 0, created.output

    async def stored() -> StaffUser | None:
        db = Database(support.test_settings(cli_database_url))
        async with db.reader() as session:
            user = await session.scalar(
                select(StaffUser).where(StaffUser.email == "boss@example.com")
            )
        await db.dispose()
        return user

    user = asyncio.run(stored())
    assert user is not None and user.roles == ["admin"]
    assert asyncio.run(verify_password(user.password_hash, "a long enough passphrase"))


def test_users_create_refuses_a_store_role_without_a_store(cli_database_url):
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    refused = runner.invoke(
        app,
        ["users", "create", "--email", "a@example.com", "--name", "A", "--role", "associate"],
        input="a long enough passphrase\na long enough passphrase\n",
    )
    assert refused.exit_code != 0
    assert "store" in refused.output.lower()


async def test_the_worker_settles_leftover_events_and_purges_expired_keys(settings, database):
    # given an event left undispatched (as after a crash) and an expired idempotency key
    email = support.unique_email()
    now = database.clock.now()
    event = PasswordResetRequested(
        principal_kind="customer",
        principal_id="cus_x",
        email=email,
        token="omni_rt_worker",
        expires_at="",
    )
    async with database.uow() as uow:
        uow.session.add(
            OutboxEvent(id=new_id("evt"), name=event.name, payload=event.payload(), occurred_at=now)
        )
        uow.session.add(
            IdempotencyRecord(
                scope="staff:x",
                key="old",
                request_hash="h",
                locked_at=now - timedelta(days=3),
                expires_at=now - timedelta(days=1),
            )
        )
        await uow.commit()
    # when the worker runs for a moment
    stop = asyncio.Event()
    quick = settings.model_copy(update={"dispatcher_poll_seconds": 0.05})
    worker = asyncio.create_task(run_worker(quick, stop=stop, sweep_older_than=timedelta(0)))
    await asyncio.sleep(1.0)
    stop.set()
    await worker
    # then the message went out once and the old key is gone
    assert [m["to"] for m in support.read_mailbox(settings, email)] == [email]
    async with database.reader() as session:
        assert await session.get(IdempotencyRecord, ("staff:x", "old")) is None
