"""Price lists through HTTP: create, read, change with If-Match, delete — and who may."""

from __future__ import annotations

from omni.http.access_check import access_declaration, api_routes
from omni.pricing.events import PriceListCreated, PriceListUpdated
from omni.pricing.routes import router
from tests.catalog.helpers import audit_actions, events_named
from tests.pricing.helpers import (
    PRICE_LISTS,
    create_list,
    lists_with_code,
    price_rows,
    put_prices,
    unique_code,
    variants,
)


async def test_a_price_list_is_created_with_its_conditions(client, merch, channel_id, database):
    body = {
        "code": unique_code("web-vip"),
        "name": "Web VIP",
        "currency": "eur",
        "channel_ids": [channel_id],
        "customer_segment": "vip",
        "loyalty_tier": "gold",
        "priority": 20,
        "valid_from": "2025-01-01T00:00:00Z",
        "valid_to": "2025-02-01T00:00:00+01:00",
        "prices_include_tax": True,
    }
    response = await client.post(PRICE_LISTS, json=body, headers=merch)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"].startswith("prl_")
    assert response.headers["etag"] == '"v1"'
    assert response.headers["location"].endswith(created["id"])
    assert created["currency"] == "EUR"
    assert created["channel_ids"] == [channel_id]
    assert created["valid_to"].startswith("2025-01-31T23:00:00")
    assert (created["active"], created["prices_include_tax"]) == (True, True)
    assert await events_named(database, PriceListCreated.name, price_list_id=created["id"])
    assert await audit_actions(database, created["id"]) == ["pricing.price_list_created"]


async def test_bad_price_lists_are_refused_and_nothing_is_created(client, merch, database):
    cases = [
        ({"currency": "XYZ"}, 422),
        ({"currency": "US"}, 422),
        ({"valid_from": "2025-02-01T00:00:00Z", "valid_to": "2025-01-01T00:00:00Z"}, 422),
        ({"valid_from": "2025-02-01T00:00:00"}, 422),
        ({"channel_ids": ["chn_missing"]}, 422),
        ({"code": "has spaces"}, 422),
        ({"priority": "high"}, 422),
        ({"extra": True}, 422),
    ]
    for fields, status in cases:
        code = unique_code()
        body = {"code": code, "name": "Bad", "currency": "USD", **fields}
        if "code" in fields:
            code = fields["code"]
        response = await client.post(PRICE_LISTS, json=body, headers=merch)
        assert response.status_code == status, (fields, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert await lists_with_code(database, code) == 0


async def test_a_taken_code_is_a_conflict(client, merch, database):
    existing = await create_list(client, merch)
    response = await client.post(
        PRICE_LISTS,
        json={"code": existing["code"], "name": "Again", "currency": "USD"},
        headers=merch,
    )
    assert response.status_code == 409
    assert response.json()["field"] == "code"
    assert await lists_with_code(database, existing["code"]) == 1


async def test_price_lists_are_read_listed_and_filtered(client, merch, analyst):
    usd = await create_list(client, merch)
    inactive = await create_list(client, merch, currency="SEK", active=False)
    one = await client.get(f"{PRICE_LISTS}/{usd['id']}", headers=analyst)
    assert one.status_code == 200
    assert one.headers["etag"] == '"v1"'
    assert one.json() == usd
    listed = await client.get(
        PRICE_LISTS, params={"currency": "sek", "active": False}, headers=analyst
    )
    assert inactive["id"] in [p["id"] for p in listed.json()["items"]]
    assert usd["id"] not in [p["id"] for p in listed.json()["items"]]
    paged = await client.get(PRICE_LISTS, params={"limit": 1}, headers=analyst)
    assert len(paged.json()["items"]) == 1
    assert paged.json()["next_cursor"]
    assert (await client.get(f"{PRICE_LISTS}/prl_missing", headers=analyst)).status_code == 404


async def test_patch_with_if_match_changes_the_list(client, merch, database):
    created = await create_list(client, merch)
    response = await client.patch(
        f"{PRICE_LISTS}/{created['id']}",
        json={"name": "Spring sale", "priority": 5, "valid_to": "2030-01-01T00:00:00Z"},
        headers={**merch, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v2"'
    assert (response.json()["name"], response.json()["priority"]) == ("Spring sale", 5)
    events = await events_named(database, PriceListUpdated.name, price_list_id=created["id"])
    assert events[0]["fields"] == ["name", "priority", "valid_to"]


async def test_bad_patches_are_refused_and_change_nothing(client, merch, analyst):
    created = await create_list(client, merch, valid_from="2025-01-01T00:00:00Z")
    other = await create_list(client, merch)
    [variant] = await variants(client, merch)
    await put_prices(client, merch, created["id"], [{"variant_id": variant, "amount": 1000}])
    before = (await client.get(f"{PRICE_LISTS}/{created['id']}", headers=analyst)).json()
    cases = [
        ({"name": "Stale"}, {"If-Match": '"v1"'}, 412),
        ({"currency": "EUR"}, {}, 409),
        ({"code": other["code"]}, {}, 409),
        ({"name": None}, {}, 422),
        ({"valid_to": "2024-12-31T00:00:00Z"}, {}, 422),
        ({"channel_ids": ["chn_missing"]}, {}, 422),
    ]
    for patch, extra_headers, status in cases:
        response = await client.patch(
            f"{PRICE_LISTS}/{created['id']}", json=patch, headers={**merch, **extra_headers}
        )
        assert response.status_code == status, (patch, response.text)
    assert (await client.get(f"{PRICE_LISTS}/{created['id']}", headers=analyst)).json() == before


async def test_the_currency_may_change_while_the_list_has_no_prices(client, merch):
    created = await create_list(client, merch)
    response = await client.patch(
        f"{PRICE_LISTS}/{created['id']}", json={"currency": "EUR"}, headers=merch
    )
    assert response.status_code == 200
    assert response.json()["currency"] == "EUR"


async def test_deleting_a_list_removes_its_prices(client, merch, database):
    created = await create_list(client, merch)
    [variant] = await variants(client, merch)
    await put_prices(client, merch, created["id"], [{"variant_id": variant, "amount": 1000}])
    assert (await client.delete(f"{PRICE_LISTS}/{created['id']}", headers=merch)).status_code == 204
    assert await lists_with_code(database, created["code"]) == 0
    assert await price_rows(database, created["id"]) == []
    assert (await client.delete(f"{PRICE_LISTS}/{created['id']}", headers=merch)).status_code == 404


async def test_every_pricing_route_declares_who_may_call_it():
    rules = {
        (sorted(route.methods)[0], route.path): access_declaration(route)
        for route in api_routes([router])
    }
    summary = {key: (d["permissions"], d["public"]) for key, d in rules.items() if d}
    write, read = (("prices.write",), False), (("prices.read",), False)
    assert summary == {
        ("GET", "/pricing/price-lists"): read,
        ("POST", "/pricing/price-lists"): write,
        ("GET", "/pricing/price-lists/{price_list_id}"): read,
        ("PATCH", "/pricing/price-lists/{price_list_id}"): write,
        ("DELETE", "/pricing/price-lists/{price_list_id}"): write,
        ("GET", "/pricing/price-lists/{price_list_id}/prices"): read,
        ("PUT", "/pricing/price-lists/{price_list_id}/prices"): write,
        ("DELETE", "/pricing/price-lists/{price_list_id}/prices/{price_id}"): write,
        ("GET", "/pricing/resolve"): ((), True),
    }


async def test_refused_callers_change_nothing(client, merch, analyst, shopper_headers, database):
    created = await create_list(client, merch)
    [variant] = await variants(client, merch)
    await put_prices(client, merch, created["id"], [{"variant_id": variant, "amount": 1000}])
    before = (await client.get(f"{PRICE_LISTS}/{created['id']}", headers=merch)).json()
    url = f"{PRICE_LISTS}/{created['id']}"
    code = unique_code()
    writes = [
        ("POST", PRICE_LISTS, {"code": code, "name": "X", "currency": "USD"}),
        ("PATCH", url, {"name": "Hacked"}),
        ("DELETE", url, None),
        ("PUT", f"{url}/prices", {"prices": [{"variant_id": variant, "amount": 1}]}),
        ("DELETE", f"{url}/prices/prc_any", None),
    ]
    reads = [PRICE_LISTS, url, f"{url}/prices"]
    _, shopper = await shopper_headers()
    for headers, write_status, read_status in (
        ({}, 401, 401),
        (shopper, 403, 403),
        (analyst, 403, 200),
    ):
        for method, target, body in writes:
            response = await client.request(method, target, json=body, headers=headers)
            assert response.status_code == write_status, (method, target, headers)
        for target in reads:
            assert (await client.get(target, headers=headers)).status_code == read_status, target
    assert (await client.get(url, headers=merch)).json() == before
    assert await price_rows(database, created["id"]) == [(variant, 1, 1000)]
    assert await lists_with_code(database, code) == 0
