"""A store with a till for POS tests: the store's own POS channel (price list, pool),
three priced variants with barcodes and stock, New York taxes, an associate of the
store, and an open register session — all made through the modules' own APIs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.catalog.helpers import create_product, unique_sku
from tests.inventory.http_support import make_channel, make_store, receive
from tests.orders.checkout_support import ensure_new_york_taxes
from tests.pricing.helpers import create_list, put_prices

TILL_SALES = "/api/v1/orders/till-sales"
SESSIONS = "/api/v1/registers/sessions"
PRODUCTS = "/api/v1/catalog/products"
PRICES = (1500, 2500, 990)
STOCK = 10


@dataclass(frozen=True)
class Till:
    store_id: str
    channel_id: str
    price_list_id: str
    variants: list[str]
    skus: list[str]
    gtins: list[str]
    session_id: str
    associate: dict[str, str]


def gtin() -> str:
    """A random EAN-13 with its check digit (what a till's scanner reads)."""
    body = f"{uuid.uuid4().int % 10**12:012d}"
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - weighted % 10) % 10)


async def open_store_with_till(
    client: httpx.AsyncClient, admin: dict[str, str], staff_headers: Any, till: str = "t1"
) -> Till:
    await ensure_new_york_taxes(client, admin)
    price_list = await create_list(client, admin)
    store = await make_store(client, admin)
    channel = await make_channel(
        client,
        admin,
        {store: (0, 0)},
        kind="pos",
        location_id=store,
        price_list_id=price_list["id"],
        fulfillment_methods=["carry_out", "ship"],
    )
    skus, gtins = [unique_sku() for _ in PRICES], [gtin() for _ in PRICES]
    product = await create_product(
        client,
        admin,
        status="active",
        option_names=["size"],
        variants=[
            {"sku": sku, "gtin": code, "option_values": {"size": size}}
            for sku, code, size in zip(skus, gtins, ("S", "M", "L"), strict=True)
        ],
    )
    published = await client.put(
        f"{PRODUCTS}/{product['id']}/publications/{channel}", headers=admin
    )
    assert published.status_code == 200, published.text
    variants = [variant["id"] for variant in product["variants"]]
    rows = [{"variant_id": v, "amount": a} for v, a in zip(variants, PRICES, strict=True)]
    await put_prices(client, admin, price_list["id"], rows)
    await receive(client, admin, store, {v: STOCK for v in variants})
    associate = await staff_headers("associate", stores=[store])
    session_id = await open_session(client, associate, store, till)
    return Till(store, channel, price_list["id"], variants, skus, gtins, session_id, associate)


async def open_session(
    client: httpx.AsyncClient, headers: dict[str, str], store: str, till: str
) -> str:
    response = await client.post(
        SESSIONS,
        json={
            "location_id": store,
            "register_id": till,
            "currency": "USD",
            "opening_float": 10_000,
        },
        headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def sale_body(till: Till, items: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "register_session_id": till.session_id,
        "items": items,
        "payment": [{"kind": "cash", "tendered": 10_000}],
    }
    body.update(fields)
    return body


async def ring(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    body: dict[str, Any],
    key: str | None = None,
) -> httpx.Response:
    return await client.post(
        TILL_SALES, json=body, headers=headers | {"Idempotency-Key": key or uuid.uuid4().hex}
    )
