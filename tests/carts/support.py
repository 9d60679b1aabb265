"""A small shop for cart tests: a priced product published on a web and an app channel
selling from a store with stock — all made through the modules' own APIs."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tests.catalog.helpers import create_product, unique_sku
from tests.inventory.http_support import make_channel, make_store, receive
from tests.pricing.helpers import create_list, put_prices, variants

CARTS = "/api/v1/carts"
PRODUCTS = "/api/v1/catalog/products"
PRICES = (1500, 2500, 990)


@dataclass(frozen=True)
class Shop:
    channel_id: str  # web
    app_channel_id: str  # same price list, same pool
    store_id: str
    variants: list[str]  # priced at PRICES, 5 units each in the store
    unpublished: str  # priced, active, but not published on either channel


async def open_shop(client: httpx.AsyncClient, admin: dict[str, str]) -> Shop:
    price_list = await create_list(client, admin)
    store = await make_store(client, admin)
    web = await make_channel(client, admin, {store: (0, 0)}, price_list_id=price_list["id"])
    app = await make_channel(
        client, admin, {store: (0, 0)}, price_list_id=price_list["id"], kind="app"
    )
    product = await create_product(
        client,
        admin,
        status="active",
        option_names=["size"],
        variants=[{"sku": unique_sku(), "option_values": {"size": s}} for s in ("S", "M", "L")],
    )
    for channel in (web, app):
        published = await client.put(
            f"{PRODUCTS}/{product['id']}/publications/{channel}", headers=admin
        )
        assert published.status_code == 200, published.text
    sold = [variant["id"] for variant in product["variants"]]
    [hidden] = await variants(client, admin, 1)
    rows = [{"variant_id": v, "amount": a} for v, a in zip(sold, PRICES, strict=True)]
    await put_prices(
        client, admin, price_list["id"], [*rows, {"variant_id": hidden, "amount": 100}]
    )
    await receive(client, admin, store, {v: 5 for v in sold})
    return Shop(web, app, store, sold, hidden)


async def guest_cart(client: httpx.AsyncClient, shop: Shop) -> tuple[str, dict[str, str]]:
    response = await client.post(CARTS, json={"channel_id": shop.channel_id})
    assert response.status_code == 201, response.text
    cart = response.json()
    return cart["id"], {"X-Cart-Token": cart["guest_token"]}


async def add(
    client: httpx.AsyncClient, cart_id: str, headers: dict[str, str], variant_id: str, quantity: int
) -> httpx.Response:
    return await client.post(
        f"{CARTS}/{cart_id}/lines",
        json={"variant_id": variant_id, "quantity": quantity},
        headers=headers,
    )
