"""Helpers for channel tests: valid bodies, created channels, stores and price lists."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from omni.db.database import Database

URL = "/api/v1/channels"


def unique_code(prefix: str = "web") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def channel_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": unique_code(),
        "name": "Web shop US",
        "kind": "web",
        "currency": "USD",
        "locale": "en-US",
        "tax_region": "US-NY",
        "fulfillment_methods": ["ship", "pickup", "curbside"],
    }
    body.update(overrides)
    return body


async def create_channel(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post(URL, json=channel_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_price_list(database: Database, currency: str = "USD") -> str:
    """A price list made through the pricing module's own use case."""
    from omni.pricing.price_lists import create_price_list as create
    from omni.pricing.schemas import PriceListIn

    price_list = await create(
        database.uow(),
        PriceListIn(code=unique_code("list"), name="Test list", currency=currency),
    )
    return price_list.id
