"""Helpers for tests: settings, databases, signed-in callers."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from omni.access.domain import SESSION_TOKEN_PREFIX, hash_secret, new_secret
from omni.access.models import AuthSession, StaffUser
from omni.access.passwords import hash_password_sync
from omni.db.database import Database
from omni.kernel.ids import new_id
from omni.settings import Settings

TEST_PASSWORD = "correct horse battery staple"


def test_settings(database_url: str, mailbox: str = "var/test-notifications.jsonl") -> Settings:
    return Settings(
        notify_transport="file",
        notify_file_path=mailbox,
        database_url=database_url,
        environment="test",
        log_json=False,
        log_level="WARNING",
        # Cheap hashing keeps sign-in tests fast; production uses the defaults.
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        dispatcher_enabled=False,
    )


def _admin_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_postgres_database_async(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(_admin_dsn(admin_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def create_postgres_database(admin_url: str, name: str) -> None:
    asyncio.run(create_postgres_database_async(admin_url, name))


async def drop_postgres_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(_admin_dsn(admin_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


_PASSWORD_HASH: str | None = None


def password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password_sync(TEST_PASSWORD)
    return _PASSWORD_HASH


async def create_staff_user(db: Database, roles: list[str], stores: list[str]) -> StaffUser:
    async with db.uow() as uow:
        user = StaffUser(
            id=new_id("stf"),
            email=f"staff-{uuid.uuid4().hex[:10]}@omni.test",
            name="Test Staff",
            password_hash=password_hash(),
            roles=roles,
            store_ids=stores,
            active=True,
            failed_sign_ins=0,
            created_at=uow.clock.now(),
            version=1,
        )
        uow.session.add(user)
        await uow.commit()
    return user


async def staff_token(db: Database, roles: list[str], stores: list[str]) -> str:
    user = await create_staff_user(db, roles, stores)
    token = new_secret(SESSION_TOKEN_PREFIX)
    async with db.uow() as uow:
        now = uow.clock.now()
        uow.session.add(
            AuthSession(
                token_hash=hash_secret(token),
                principal_kind="staff",
                principal_id=user.id,
                created_at=now,
                expires_at=now + timedelta(hours=1),
            )
        )
        await uow.commit()
    return token


def unique_email(prefix: str = "shopper") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def read_mailbox(settings: Settings, to: str) -> list[dict[str, str]]:
    """Messages the file transport delivered to ``to`` (the fake inbox at the email edge)."""
    path = Path(settings.notify_file_path)
    if not path.exists():
        return []
    messages = [json.loads(line) for line in path.read_text().splitlines()]
    return [message for message in messages if message["to"] == to]


async def sign_up_shopper(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    response = await client.post(
        "/api/v1/auth/sign-up",
        json={
            "email": unique_email(),
            "password": TEST_PASSWORD,
            "first_name": "Test",
            "last_name": "Shopper",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return body["principal_id"], {"Authorization": f"Bearer {body['access_token']}"}
