"""Marketplace orders (ORD2): imported once per marketplace order id — retried, raced or
re-sent with another key, still one order, one reservation, one payment — priced by the
server for the marketplace channel, and refused whole when it cannot be fulfilled."""

import asyncio
import json
import uuid

import pytest
from typer.testing import CliRunner

from omni.cli import app
from omni.settings import get_settings
from tests.catalog.helpers import create_product, unique_sku
from tests.inventory.http_support import level, make_channel, make_store, receive
from tests.orders.checkout_support import SOHO, ensure_new_york_taxes, key
from tests.orders.support import ORDERS
from tests.pricing.helpers import create_list, put_prices

IMPORTS = f"{ORDERS}/imports"
PRICE = 4200


@pytest.fixture
async def market(client, admin_headers):
    """A marketplace channel selling one published, priced variant from a NY store."""
    await ensure_new_york_taxes(client, admin_headers)
    price_list = await create_list(client, admin_headers)
    store = await make_store(client, admin_headers)
    channel = await make_channel(
        client,
        admin_headers,
        {store: (0, 0)},
        kind="marketplace",
        price_list_id=price_list["id"],
        fulfillment_methods=["ship"],
    )
    sku = unique_sku()
    product = await create_product(
        client,
        admin_headers,
        status="active",
        option_names=["size"],
        variants=[{"sku": sku, "option_values": {"size": "M"}}],
    )
    published = await client.put(
        f"/api/v1/catalog/products/{product['id']}/publications/{channel}", headers=admin_headers
    )
    assert published.status_code == 200, published.text
    variant = product["variants"][0]["id"]
    await put_prices(
        client, admin_headers, price_list["id"], [{"variant_id": variant, "amount": PRICE}]
    )
    await receive(client, admin_headers, store, {variant: 3})
    return {"channel": channel, "store": store, "sku": sku, "variant": variant}


def body(market, external_id=None, quantity=1, **fields):
    payload = {
        "channel_id": market["channel"],
        "external_id": external_id or f"MKT-{uuid.uuid4().hex[:10]}",
        "items": [{"sku": market["sku"], "quantity": quantity}],
        "shipping_address": SOHO,
        "buyer": {"email": "relay@marketplace.example", "name": "A Buyer"},
    }
    payload.update(fields)
    return payload


async def test_an_imported_order_is_priced_by_the_server_and_paid_by_the_marketplace(
    client, database, market, admin_headers
):
    response = await client.post(
        IMPORTS, json=body(market, quantity=2), headers=admin_headers | key()
    )

    assert response.status_code == 201, response.text
    imported = response.json()
    assert (imported["status"], imported["created"]) == ("placed", True)
    order = (await client.get(f"{ORDERS}/{imported['order_id']}", headers=admin_headers)).json()
    goods = 2 * PRICE
    assert order["channel_kind"] == "marketplace"
    assert order["external_id"].startswith("MKT-")
    # Tax is rounded per line and on shipping, half up: 745.5 → 746, 61.68 → 62.
    assert order["total"] == goods + 695 + 746 + 62
    payments = await client.get(
        "/api/v1/payments", params={"order_id": imported["order_id"]}, headers=admin_headers
    )
    [payment] = payments.json()["items"]
    assert (payment["tender"], payment["status"], payment["captured"]) == (
        "marketplace",
        "captured",
        order["total"],
    )
    assert (await level(database, market["variant"], market["store"]))[1] == 2


async def test_the_same_marketplace_order_sent_again_is_the_same_order(
    client, database, market, admin_headers
):
    payload = body(market)
    first = await client.post(IMPORTS, json=payload, headers=admin_headers | key())
    again = await client.post(IMPORTS, json=payload, headers=admin_headers | key())

    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.json()["order_id"] == first.json()["order_id"]
    assert again.json()["created"] is False
    assert (await level(database, market["variant"], market["store"]))[1] == 1


async def test_racing_imports_of_one_marketplace_order_make_one_order(
    client, database, market, admin_headers
):
    payload = body(market)
    answers = await asyncio.gather(
        *(client.post(IMPORTS, json=payload, headers=admin_headers | key()) for _ in range(6))
    )

    assert sorted(a.status_code for a in answers) == [200] * 5 + [201], [a.text for a in answers]
    assert len({a.json()["order_id"] for a in answers}) == 1
    assert (await level(database, market["variant"], market["store"]))[1] == 1


@pytest.mark.parametrize(
    ("change", "status", "code_or_field"),
    [
        ({"items": [{"sku": "NOT-A-SKU"}]}, 422, "items[0]"),
        ({"items": [{"sku": "X", "quantity": 1}], "total": 1}, 422, "total"),
        ({"items": [{"sku": "X", "unit_price": 1}]}, 422, "unit_price"),
        ({"method": "carry_out"}, 422, "method"),
        ({"shipping_address": None}, 422, "shipping_address"),
    ],
)
async def test_a_bad_import_is_refused_and_changes_nothing(
    client, database, market, admin_headers, change, status, code_or_field
):
    before = await level(database, market["variant"], market["store"])
    response = await client.post(IMPORTS, json=body(market) | change, headers=admin_headers | key())
    assert response.status_code == status, response.text
    assert code_or_field in response.text
    assert await level(database, market["variant"], market["store"]) == before


async def test_more_than_the_pool_holds_is_refused_with_the_shortfall(
    client, market, admin_headers
):
    response = await client.post(
        IMPORTS, json=body(market, quantity=4), headers=admin_headers | key()
    )
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "cannot_source"


async def test_only_marketplace_channels_import_and_shoppers_cannot(
    client, market, admin_headers, shopper_headers
):
    _, shopper = await shopper_headers()
    assert (await client.post(IMPORTS, json=body(market), headers=shopper | key())).status_code in (
        403,
        404,
    )
    web = await make_channel(client, admin_headers, {market["store"]: (0, 0)})
    response = await client.post(
        IMPORTS, json=body(market, channel_id=web), headers=admin_headers | key()
    )
    assert response.status_code == 422, response.text
    assert "channel_id" in response.text


async def test_the_command_line_imports_a_file_once_however_often_it_runs(
    market, settings, tmp_path, monkeypatch
):
    good = body(market)
    lines = [good, good, body(market, items=[{"sku": "NOT-A-SKU"}]), "not json"]
    orders = tmp_path / "orders.jsonl"
    orders.write_text("\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines))
    monkeypatch.setenv("OMNI_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        runs = [
            await asyncio.to_thread(CliRunner().invoke, app, ["import-orders", str(orders)])
            for _ in range(2)
        ]
    finally:
        get_settings.cache_clear()

    first, second = (run.output for run in runs)
    assert [run.exit_code for run in runs] == [1, 1]
    assert "line 1: created W-" in first
    assert "line 2: existing W-" in first
    assert "line 3: refused" in first and "items[0]" in first
    assert "line 4: refused not JSON" in first
    assert "line 1: existing" in second
