"""Helpers for catalog tests: unique data, snapshots, counts and recorded facts."""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from stdnum import ean

from omni.catalog.models import Product
from omni.db.database import Database
from omni.db.platform_models import AuditEntry, OutboxEvent

CATALOG = "/api/v1/catalog"
PRODUCTS = f"{CATALOG}/products"
VARIANTS = f"{CATALOG}/variants"
CATEGORIES = f"{CATALOG}/categories"


def unique(stem: str = "tee") -> str:
    return f"{stem}-{uuid.uuid4().hex[:10]}"


def unique_sku(stem: str = "SKU") -> str:
    return f"{stem}-{uuid.uuid4().hex[:10].upper()}"


def unique_gtin() -> str:
    """A valid EAN-13 (random body, computed check digit)."""
    body = "".join(random.choice("0123456789") for _ in range(12))
    return body + ean.calc_check_digit(body)


def product_body(**fields: Any) -> dict[str, Any]:
    """A draft tee in two sizes, unique handle and SKUs."""
    body: dict[str, Any] = {
        "handle": unique("tee"),
        "name": "Organic Tee",
        "brand": "Northwind",
        "option_names": ["size", "color"],
        "attributes": {"material": "organic cotton", "care": "machine wash 30C"},
        "tax_class": "standard",
        "variants": [
            {"sku": unique_sku(), "option_values": {"size": "M", "color": "Navy"}},
            {"sku": unique_sku(), "option_values": {"size": "L", "color": "Navy"}},
        ],
    }
    body.update(fields)
    return body


async def create_product(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    response = await client.post(PRODUCTS, json=product_body(**fields), headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def snapshot(
    client: httpx.AsyncClient, headers: dict[str, str], product_id: str
) -> tuple[dict[str, Any], str]:
    """The product as staff see it, and its ETag: compare before and after a refusal."""
    response = await client.get(f"{PRODUCTS}/{product_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json(), response.headers["etag"]


async def products_with_handle(database: Database, handle: str) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(Product).where(Product.handle == handle)
        )
    return int(count or 0)


async def count_rows(database: Database, model: Any, *where: Any) -> int:
    async with database.reader() as session:
        count = await session.scalar(select(func.count()).select_from(model).where(*where))
    return int(count or 0)


async def events_named(database: Database, name: str, **payload: str) -> list[dict[str, Any]]:
    # Oldest first: ids made in the same millisecond do not sort by time, so order by time.
    query = (
        select(OutboxEvent.payload)
        .where(OutboxEvent.name == name)
        .order_by(OutboxEvent.occurred_at, OutboxEvent.id)
    )
    for key, value in payload.items():
        query = query.where(OutboxEvent.payload[key].as_string() == value)
    async with database.reader() as session:
        return list(await session.scalars(query))


async def audit_actions(database: Database, object_id: str) -> list[str]:
    async with database.reader() as session:
        rows = await session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_id == object_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return list(rows)
