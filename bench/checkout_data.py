"""The shop the ``checkout`` benchmark sells from, made through the admin API.

Every object goes through the same HTTP routes an operator would use (in-process, over
ASGI): the rules they enforce hold for the data, and the seed keeps working when a
module changes its tables. A few dozen requests: a second or two, plus one password
hash for the admin.

The shop: a New York web channel whose pool is two Manhattan stores and a New Jersey
warehouse, ``products`` x ``sizes`` SKUs priced on the channel's list, every SKU with
ample stock at the warehouse and the first store, the US-NY tax region, and the test
payment provider (the non-production default).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from omni.access.tasks import create_staff_user
from omni.db.database import Database
from omni.main import create_app
from omni.settings import Settings

API = "/api/v1"
ADMIN_EMAIL, ADMIN_PASSWORD = "bench-admin@example.com", "bench-admin-password-0"
UNITS_PER_SKU = 1_000_000  # never runs out, however long the run
NEW_YORK_TAX = {
    "code": "US-NY",
    "name": "New York",
    "rates": [{"tax_class": "standard", "percent": "8.875", "name": "NY sales tax"}],
}
WEEK = {day: [["08:00", "22:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
# (code, kind, latitude, longitude, capabilities): two stores, one warehouse.
PLACES = (
    ("BENCH-SOHO", "store", 40.7247, -73.9981, ["sell_in_store", "pickup", "ship_from_store"]),
    ("BENCH-MIDTOWN", "store", 40.7549, -73.9840, ["sell_in_store", "pickup", "ship_from_store"]),
    ("BENCH-DC-NJ", "warehouse", 40.7357, -74.1724, ["ship_to_customer"]),
)
STOCKED = (0, 2)  # SoHo and the warehouse hold every SKU


@dataclass(frozen=True)
class BenchShop:
    channel_id: str
    variant_ids: list[str]


class SeedFailed(RuntimeError):
    """An admin request was refused: the scenario cannot run on this code."""


async def seed_shop(settings: Settings, *, products: int, sizes: int) -> BenchShop:
    await create_staff_user(settings, ADMIN_EMAIL, "Bench Admin", ["admin"], [], ADMIN_PASSWORD)
    db = Database(settings)
    app = create_app(settings, db=db)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            admin = Admin(client, await _sign_in(client))
            return await _build(admin, products, sizes)
    finally:
        await app.state.dispatcher.drain()
        await db.dispose()


async def _sign_in(client: httpx.AsyncClient) -> dict[str, str]:
    body = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    response = await client.post(f"{API}/auth/staff/sign-in", json=body)
    _check(response, 200)
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class Admin:
    """An admin's requests; every refusal stops the seed with the server's answer."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
        self._client = client
        self._headers = headers

    async def send(self, method: str, path: str, body: Any, expected: int) -> Any:
        headers = self._headers | {"Idempotency-Key": uuid.uuid4().hex}
        response = await self._client.request(method, API + path, json=body, headers=headers)
        _check(response, expected)
        return response.json()


def _check(response: httpx.Response, expected: int) -> None:
    if response.status_code != expected:
        raise SeedFailed(f"{response.request.url.path}: {response.status_code} {response.text}")


async def _build(admin: Admin, products: int, sizes: int) -> BenchShop:
    await admin.send("POST", "/tax/regions", NEW_YORK_TAX, 201)
    places = [await _place(admin, *place) for place in PLACES]
    price_list = await admin.send(
        "POST",
        "/pricing/price-lists",
        {"code": "bench-usd", "name": "Bench USD", "currency": "USD"},
        201,
    )
    channel = await _channel(admin, price_list["id"], places)
    variant_ids: list[str] = []
    for number in range(products):
        variant_ids += await _product(admin, number, sizes, channel)
    await _prices(admin, price_list["id"], variant_ids)
    for index in STOCKED:
        await _receive(admin, places[index], variant_ids)
    return BenchShop(channel, variant_ids)


async def _place(
    admin: Admin, code: str, kind: str, lat: float, lon: float, capabilities: list[str]
) -> str:
    body = {
        "code": code,
        "name": f"Bench {code.title()}",
        "kind": kind,
        "status": "active",
        "address": {
            "line1": "1 Bench Plaza",
            "city": "New York",
            "region": "NY",
            "postal_code": "10012",
            "country": "US",
        },
        "latitude": lat,
        "longitude": lon,
        "time_zone": "America/New_York",
        "opening_hours": WEEK,
        "capabilities": capabilities,
        "capacity": {"orders_per_day": 100_000, "orders_per_hour": 10_000, "pickup_hold_days": 7},
    }
    return str((await admin.send("POST", "/locations", body, 201))["id"])


async def _channel(admin: Admin, price_list_id: str, places: list[str]) -> str:
    body = {
        "code": "bench-web",
        "name": "Bench web shop",
        "kind": "web",
        "currency": "USD",
        "locale": "en-US",
        "tax_region": "US-NY",
        "price_list_id": price_list_id,
        "fulfillment_methods": ["ship", "pickup"],
    }
    channel = str((await admin.send("POST", "/channels", body, 201))["id"])
    pool = {
        "locations": [
            {"location_id": place, "buffer_units": 0, "buffer_percent": 0} for place in places
        ]
    }
    await admin.send("PUT", f"/channels/{channel}/stock-pool", pool, 200)
    return channel


async def _product(admin: Admin, number: int, sizes: int, channel_id: str) -> list[str]:
    body = {
        "handle": f"bench-tee-{number}",
        "name": f"Bench Tee {number}",
        "brand": "Bench",
        "status": "active",
        "tax_class": "standard",
        "option_names": ["size"],
        "variants": [
            {"sku": f"BENCH-{number:04d}-{size:02d}", "option_values": {"size": f"S{size}"}}
            for size in range(sizes)
        ],
    }
    product = await admin.send("POST", "/catalog/products", body, 201)
    await admin.send(
        "PUT", f"/catalog/products/{product['id']}/publications/{channel_id}", None, 200
    )
    return [variant["id"] for variant in product["variants"]]


async def _prices(admin: Admin, price_list_id: str, variant_ids: list[str]) -> None:
    rows = [
        {"variant_id": variant, "amount": 990 + 100 * (index % 40)}
        for index, variant in enumerate(variant_ids)
    ]
    for start in range(0, len(rows), 1000):  # the route's largest batch
        body = {"prices": rows[start : start + 1000]}
        await admin.send("PUT", f"/pricing/price-lists/{price_list_id}/prices", body, 200)


async def _receive(admin: Admin, location_id: str, variant_ids: list[str]) -> None:
    for start in range(0, len(variant_ids), 500):  # the route's largest receipt
        lines = [
            {"variant_id": variant, "quantity": UNITS_PER_SKU}
            for variant in variant_ids[start : start + 500]
        ]
        body = {"location_id": location_id, "lines": lines}
        await admin.send("POST", "/inventory/stock/receipts", body, 201)
