"""Helpers for pricing tests: price lists, sellable variants, counts."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from omni.db.database import Database
from omni.pricing.models import Price, PriceList
from tests.catalog.helpers import PRODUCTS, create_product, unique_sku

PRICE_LISTS = "/api/v1/pricing/price-lists"
RESOLVE = "/api/v1/pricing/resolve"


def unique_code(stem: str = "list") -> str:
    return f"{stem}-{uuid.uuid4().hex[:10]}"


async def create_list(
    client: httpx.AsyncClient, headers: dict[str, str], **fields: Any
) -> dict[str, Any]:
    body = {"code": unique_code(), "name": "Base USD", "currency": "USD", **fields}
    response = await client.post(PRICE_LISTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def put_prices(
    client: httpx.AsyncClient, headers: dict[str, str], list_id: str, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    response = await client.put(
        f"{PRICE_LISTS}/{list_id}/prices", json={"prices": rows}, headers=headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def variants(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    count: int = 1,
    *,
    status: str = "active",
    channel_id: str | None = None,
) -> list[str]:
    """Variants of one new product; published on ``channel_id`` when given."""
    product = await create_product(
        client,
        headers,
        status=status,
        option_names=["size"],
        variants=[{"sku": unique_sku(), "option_values": {"size": str(n)}} for n in range(count)],
    )
    if channel_id:
        published = await client.put(
            f"{PRODUCTS}/{product['id']}/publications/{channel_id}", headers=headers
        )
        assert published.status_code == 200, published.text
    return [v["id"] for v in product["variants"]]


async def price_rows(database: Database, list_id: str) -> list[tuple[str, int, int]]:
    async with database.reader() as session:
        rows = await session.execute(
            select(Price.variant_id, Price.min_quantity, Price.amount)
            .where(Price.price_list_id == list_id)
            .order_by(Price.variant_id, Price.min_quantity)
        )
        return [(v, q, a) for v, q, a in rows]


async def lists_with_code(database: Database, code: str) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(PriceList).where(PriceList.code == code)
        )
    return int(count or 0)
