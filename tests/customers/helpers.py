"""Helpers for customer tests: unique test data, profile snapshots, recorded facts."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from omni.customers.models import Customer
from omni.db.database import Database
from omni.db.platform_models import AuditEntry, OutboxEvent

CUSTOMERS = "/api/v1/customers"


def unique_last_name(stem: str = "Lovelace") -> str:
    return f"{stem}-{uuid.uuid4().hex[:10]}"


def unique_phone() -> str:
    """A valid US number (New York area code), different each call."""
    digits = int(uuid.uuid4().hex[:8], 16)
    return f"+1 212 {200 + digits % 800} {digits // 800 % 10000:04d}"


def unique_loyalty_card() -> str:
    return str(int(uuid.uuid4().hex[:12], 16)).rjust(12, "0")[:12]


async def create_customer(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body = {"first_name": "Ada", "last_name": unique_last_name(), **fields}
    response = await client.post(CUSTOMERS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def snapshot(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> tuple[dict[str, Any], str]:
    """The profile as staff see it, and its ETag: compare before and after a refusal."""
    response = await client.get(f"{CUSTOMERS}/{customer_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json(), response.headers["etag"]


async def customers_named(database: Database, last_name: str) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(Customer).where(Customer.last_name == last_name)
        )
    return int(count or 0)


async def events_of(database: Database, customer_id: str, name: str) -> list[dict[str, Any]]:
    async with database.reader() as session:
        rows = await session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.name == name)
            .where(OutboxEvent.payload["customer_id"].as_string() == customer_id)
            .order_by(OutboxEvent.id)
        )
        return [row.payload for row in rows]


async def audit_of(database: Database, customer_id: str, action: str) -> list[AuditEntry]:
    async with database.reader() as session:
        rows = await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "customer", AuditEntry.object_id == customer_id)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return list(rows)
