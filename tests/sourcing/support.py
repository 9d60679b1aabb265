"""A small network for sourcing-at-checkout tests, made through the modules' APIs: a
web channel selling from a SoHo store ("near", next to the test address) and an Upper
West Side store ("far", about 7 km away), both shipping, with priced, published items.

Stock: item 0 in both stores, item 1 only far, item 2 only near — so one order can be
filled by either store, by far alone, or only by splitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.carts.support import CARTS, add
from tests.catalog.helpers import create_product, unique_sku
from tests.inventory.http_support import make_channel, receive
from tests.locations.support import create_location
from tests.orders.checkout_support import CHECKOUT, checkout_body, ensure_new_york_taxes, key
from tests.pricing.helpers import create_list, put_prices

PROFILES = "/api/v1/sourcing/profiles"
CAPACITY = "/api/v1/sourcing/capacity"
SHIPS = ["sell_in_store", "pickup", "ship_from_store"]
UNLIMITED = {"orders_per_day": None, "orders_per_hour": None}


@dataclass(frozen=True)
class Network:
    channel_id: str
    near: str
    far: str
    variants: list[str]


async def open_network(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    *,
    near_capacity: dict[str, Any] | None = None,
) -> Network:
    await ensure_new_york_taxes(client, admin)
    near = await create_location(
        client,
        admin,
        latitude=40.7247,
        longitude=-73.9981,
        capabilities=SHIPS,
        capacity=near_capacity or UNLIMITED,
    )
    far = await create_location(
        client, admin, latitude=40.7870, longitude=-73.9754, capabilities=SHIPS, capacity=UNLIMITED
    )
    price_list = await create_list(client, admin)
    pool = {near["id"]: (0, 0), far["id"]: (0, 0)}
    channel = await make_channel(client, admin, pool, price_list_id=price_list["id"])
    product = await create_product(
        client,
        admin,
        status="active",
        option_names=["size"],
        variants=[{"sku": unique_sku(), "option_values": {"size": s}} for s in ("S", "M", "L")],
    )
    published = await client.put(
        f"/api/v1/catalog/products/{product['id']}/publications/{channel}", headers=admin
    )
    assert published.status_code == 200, published.text
    sold = [variant["id"] for variant in product["variants"]]
    await put_prices(
        client, admin, price_list["id"], [{"variant_id": v, "amount": 1000} for v in sold]
    )
    await receive(client, admin, near["id"], {sold[0]: 5, sold[2]: 5})
    await receive(client, admin, far["id"], {sold[0]: 5, sold[1]: 5})
    return Network(channel, near["id"], far["id"], sold)


async def cart_with(
    client: httpx.AsyncClient,
    network: Network,
    quantities: list[int],
    headers: dict[str, str] | None = None,
) -> tuple[str, dict[str, str]]:
    """A cart (a guest's, or the signed-in shopper's with ``headers``) holding the items."""
    response = await client.post(CARTS, json={"channel_id": network.channel_id}, headers=headers)
    assert response.status_code in (200, 201), response.text
    cart = response.json()
    auth = headers or {"X-Cart-Token": cart["guest_token"]}
    for index, quantity in enumerate(quantities):
        if quantity:
            added = await add(client, cart["id"], auth, network.variants[index], quantity)
            assert added.status_code == 200, added.text
    return cart["id"], auth


async def check_out(
    client: httpx.AsyncClient,
    network: Network,
    quantities: list[int],
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    cart_id, auth = await cart_with(client, network, quantities, headers)
    return await client.post(CHECKOUT, json=checkout_body(cart_id), headers=auth | key())


async def order_groups(
    client: httpx.AsyncClient, admin: dict[str, str], order_id: str
) -> list[str]:
    """The locations fulfilling the order, in group order."""
    order = (await client.get(f"/api/v1/orders/{order_id}", headers=admin)).json()
    return [group["location_id"] for group in order["groups"]]


async def set_profile(
    client: httpx.AsyncClient, admin: dict[str, str], channel_id: str, **knobs: Any
) -> dict[str, Any]:
    response = await client.put(f"{PROFILES}/{channel_id}", json=knobs, headers=admin)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def soon_mid_hour(now: datetime) -> datetime:
    """A moment well inside a clock hour, soon after ``now``: after what the test made
    (published items), before test staff tokens expire (an hour), and far enough from an
    hour's end that orders placed around it all fall in one hour."""
    if now.minute < 30:
        return now.replace(minute=30, second=0, microsecond=0)
    return (now + timedelta(hours=1)).replace(minute=15, second=0, microsecond=0)
