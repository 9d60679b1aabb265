"""The delivery promise over HTTP (ORD7): POST /carts/{id}/delivery-options lists every
method the channel offers with its earliest time and charge, or why it is not offered.

The shop lives in a random map area of its own (tests share one database): store A at
the area's point (every capability, stock of items 0 and 1), store B ~20 km north
(pickup only, item 0), a DC ~780 km north (items 0, 1 and 2). All open Mon-Sat
09:00-21:00 and Sun 11:00-18:00, New York time. 2027-01-06 is a Wednesday.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from omni.db.database import Database
from omni.kernel.clock import Clock, FixedClock
from tests.carts.support import CARTS, add, guest_cart
from tests.catalog.helpers import create_product, unique_sku
from tests.inventory.http_support import make_channel, receive
from tests.locations.support import create_location, random_area
from tests.pricing.helpers import create_list, put_prices

NY = ZoneInfo("America/New_York")
METHODS = ["ship", "pickup", "curbside", "same_day", "ship_to_store"]
ALL = ["sell_in_store", "pickup", "curbside", "ship_from_store", "same_day_delivery"]


@dataclass(frozen=True)
class PromiseShop:
    channel_id: str
    store_a: str
    store_b: str
    dc: str
    variants: list[str]
    point: tuple[float, float]


@contextmanager
def clock_at(db: Database, at: datetime) -> Iterator[None]:
    real: Clock = db.clock
    db.clock = FixedClock(at)
    try:
        yield
    finally:
        db.clock = real


def ny(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=NY)


async def open_promise_shop(
    client: httpx.AsyncClient, admin: dict[str, str], methods: list[str] = METHODS
) -> PromiseShop:
    lat, lon = random_area()
    lat = max(min(lat, 50.0), -50.0)  # keep the DC, 7° north, on the map

    async def place(dlat: float, **fields: Any) -> str:
        created = await create_location(
            client, admin, latitude=round(lat + dlat, 6), longitude=lon, **fields
        )
        return str(created["id"])

    store_a = await place(0.0, capabilities=[*ALL, "receive_transfers"])
    store_b = await place(0.18, capabilities=["pickup"])
    dc = await place(7.0, kind="warehouse", capabilities=["ship_to_customer"])
    price_list = await create_list(client, admin)
    channel = await make_channel(
        client,
        admin,
        {store_a: (0, 0), store_b: (0, 0), dc: (0, 0)},
        price_list_id=price_list["id"],
        fulfillment_methods=methods,
    )
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
    await receive(client, admin, store_a, {sold[0]: 5, sold[1]: 5})
    await receive(client, admin, store_b, {sold[0]: 5})
    await receive(client, admin, dc, {v: 50 for v in sold})
    return PromiseShop(channel, store_a, store_b, dc, sold, (lat, lon))


@pytest.fixture
async def shop(client, admin_headers) -> PromiseShop:
    return await open_promise_shop(client, admin_headers)


async def cart_with(
    client: httpx.AsyncClient, shop: PromiseShop, indexes: list[int]
) -> tuple[str, dict[str, str]]:
    class _Shop:  # guest_cart needs only the channel
        channel_id = shop.channel_id

    cart_id, token = await guest_cart(client, _Shop)  # type: ignore[arg-type]
    for index in indexes:
        response = await add(client, cart_id, token, shop.variants[index], 1)
        assert response.status_code == 200, response.text
    return cart_id, token


async def options(
    client: httpx.AsyncClient,
    database: Database,
    cart_id: str,
    headers: dict[str, str],
    at: datetime | None,
    body: dict[str, Any],
) -> httpx.Response:
    if at is None:  # the real clock (staff tokens expire by it)
        return await client.post(f"{CARTS}/{cart_id}/delivery-options", json=body, headers=headers)
    with clock_at(database, at):
        return await client.post(f"{CARTS}/{cart_id}/delivery-options", json=body, headers=headers)


def by_method(payload: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for option in payload["options"]:
        found.setdefault(option["method"], []).append(option)
    return found


def local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(NY)


def point(shop: PromiseShop, dlat: float = 0.0) -> dict[str, float]:
    return {"latitude": shop.point[0] + dlat, "longitude": shop.point[1]}


async def test_every_offered_method_with_its_earliest_time(client, database, shop) -> None:
    cart_id, token = await cart_with(client, shop, [0, 1])
    response = await options(
        client, database, cart_id, token, ny("2027-01-06", "10:00"), point(shop)
    )
    assert response.status_code == 200, response.text
    found = by_method(response.json())
    assert set(found) == set(METHODS)

    [same_day] = found["same_day"]
    assert same_day["available"] and same_day["location_id"] == shop.store_a
    assert local(same_day["earliest"]) == ny("2027-01-06", "21:00")
    assert same_day["charge"] == {"amount": 1495, "currency": "USD"}

    # Only store A holds both items; store B (item 0 only) is not offered.
    for method in ("pickup", "curbside"):
        [option] = found[method]
        assert option["location_id"] == shop.store_a and option["reason"] is None
        assert local(option["earliest"]) == ny("2027-01-06", "12:00")
        assert option["charge"]["amount"] == 0

    [ship] = found["ship"]
    # The DC is cheaper to ship from (sourcing's choice): ~780 km, 2 transit days.
    assert ship["available"] and ship["sourced_from"] == [shop.dc]
    assert local(ship["earliest"]) == ny("2027-01-08", "20:00")  # before 14:00: ships today
    assert ship["charge"]["amount"] == 695

    [to_store] = found["ship_to_store"]
    assert to_store["location_id"] == shop.store_a
    # As checkout would source it: from the DC (cheaper), transferred, then prepared.
    expected = {shop.store_a: ny("2027-01-06", "12:00"), shop.dc: ny("2027-01-08", "11:00")}
    [source] = to_store["sourced_from"]
    assert local(to_store["earliest"]) == expected[source]


async def test_cut_offs_move_or_withdraw_options(client, database, shop) -> None:
    cart_id, token = await cart_with(client, shop, [0])
    response = await options(
        client, database, cart_id, token, ny("2027-01-06", "20:30"), point(shop)
    )
    assert response.status_code == 200, response.text
    found = by_method(response.json())
    [same_day] = found["same_day"]
    assert not same_day["available"] and same_day["reason"] == "past_cutoff"
    assert same_day["earliest"] is None
    # Both stores hold item 0: nearest first, ready when they open tomorrow + 2 h.
    assert [o["location_id"] for o in found["pickup"]] == [shop.store_a, shop.store_b]
    assert {local(o["earliest"]) for o in found["pickup"]} == {ny("2027-01-07", "11:00")}
    [ship] = found["ship"]
    # After 14:00: ships tomorrow; 1 transit day from store A, 2 from the DC.
    expected = {shop.store_a: ny("2027-01-08", "20:00"), shop.dc: ny("2027-01-09", "20:00")}
    [source] = ship["sourced_from"]
    assert local(ship["earliest"]) == expected[source]


async def test_items_only_the_dc_holds(client, database, shop) -> None:
    cart_id, token = await cart_with(client, shop, [2])
    response = await options(
        client, database, cart_id, token, ny("2027-01-06", "10:00"), point(shop)
    )
    assert response.status_code == 200, response.text
    found = by_method(response.json())
    [pickup] = found["pickup"]
    assert (pickup["available"], pickup["reason"], pickup["location_id"]) == (
        False,
        "no_stock",
        shop.store_a,
    )
    [same_day] = found["same_day"]
    assert same_day["reason"] == "no_stock"
    [ship] = found["ship"]
    assert ship["sourced_from"] == [shop.dc]
    assert local(ship["earliest"]) == ny("2027-01-08", "20:00")  # ~780 km: 2 transit days
    [to_store] = found["ship_to_store"]
    assert to_store["sourced_from"] == [shop.dc]
    assert local(to_store["earliest"]) == ny("2027-01-08", "11:00")  # transfer, then 2 h


async def test_far_away_destination(client, database, shop) -> None:
    cart_id, token = await cart_with(client, shop, [0])
    far = point(shop, dlat=-1.0)  # ~110 km south of store A, ~890 km from the DC
    response = await options(client, database, cart_id, token, ny("2027-01-09", "10:00"), far)
    assert response.status_code == 200, response.text
    found = by_method(response.json())
    assert [o["reason"] for o in found["pickup"]] == ["no_store_nearby"]
    assert [o["reason"] for o in found["same_day"]] == ["out_of_range"]
    [ship] = found["ship"]
    # Saturday before the cut-off: ships today; no Sunday delivery; 1 day within
    # 300 km (store A), 2 days beyond (the DC) — whichever sourcing chose.
    expected = {shop.store_a: ny("2027-01-11", "20:00"), shop.dc: ny("2027-01-12", "20:00")}
    [source] = ship["sourced_from"]
    assert local(ship["earliest"]) == expected[source]


async def test_only_the_channels_methods(client, database, admin_headers) -> None:
    shop = await open_promise_shop(client, admin_headers, methods=["ship", "pickup"])
    cart_id, token = await cart_with(client, shop, [0])
    response = await options(
        client, database, cart_id, token, ny("2027-01-06", "10:00"), point(shop)
    )
    assert response.status_code == 200, response.text
    assert set(by_method(response.json())) == {"ship", "pickup"}


async def test_a_us_address_is_placed_by_its_zip_code(client, database, shop) -> None:
    cart_id, token = await cart_with(client, shop, [0])
    address = {"line1": "1 Main St", "city": "New York", "postal_code": "10012", "country": "US"}
    response = await options(
        client, database, cart_id, token, ny("2027-01-06", "10:00"), {"address": address}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert round(body["latitude"]) == 41 and round(body["longitude"]) == -74
    assert by_method(body)["ship"][0]["available"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"latitude": 40.7},
        {"address": {"line1": "1 Rue", "city": "Paris", "postal_code": "75001", "country": "FR"}},
    ],
)
async def test_a_destination_is_required(client, database, shop, body) -> None:
    cart_id, token = await cart_with(client, shop, [0])
    response = await options(client, database, cart_id, token, ny("2027-01-06", "10:00"), body)
    assert response.status_code == 422, response.text


async def test_only_who_may_check_the_cart_out_may_ask(
    client, database, shop, admin_headers
) -> None:
    cart_id, _ = await cart_with(client, shop, [0])
    _, other = await cart_with(client, shop, [0])
    at = ny("2027-01-06", "10:00")
    for headers in ({}, other):
        response = await options(client, database, cart_id, headers, at, point(shop))
        assert response.status_code == 404, response.text
    staff = await options(client, database, cart_id, admin_headers, None, point(shop))
    assert staff.status_code == 200, staff.text


async def test_an_empty_cart_has_no_promise(client, database, shop) -> None:
    cart_id, token = await cart_with(client, shop, [])
    response = await options(
        client, database, cart_id, token, ny("2027-01-06", "10:00"), point(shop)
    )
    assert response.status_code == 422, response.text
