"""Tax regions and rates through HTTP: create, read, change with If-Match, delete, the
quote — every refusal changes nothing — and who may do what."""

from __future__ import annotations

import pytest

from omni.http.access_check import access_declaration, api_routes
from omni.taxes.events import TaxRatesChanged, TaxRegionCreated
from omni.taxes.routes import router
from tests.catalog.helpers import audit_actions, events_named
from tests.taxes.helpers import (
    QUOTE,
    REGIONS,
    create_region,
    fresh_region,
    rate,
    region_snapshot,
    regions_with_code,
)


async def test_a_region_is_created_with_its_rates(client, merch, database):
    code = fresh_region()
    body = {
        "code": f" {code.lower()} ",
        "name": "New York",
        "rounding": "order",
        "rates": [
            rate("standard", "8.8750", name="NY sales tax"),
            rate("clothing_under_110", "0", name="Clothing exempt"),
        ],
    }
    response = await client.post(REGIONS, json=body, headers=merch)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["code"] == code
    assert response.headers["etag"] == '"v1"'
    assert response.headers["location"].endswith(f"/tax/regions/{code}")
    assert (created["rounding"], created["prices_include_tax"]) == ("order", False)
    assert created["shipping_tax_class"] == "standard"
    assert sorted((r["tax_class"], r["percent"]) for r in created["rates"]) == [
        ("clothing_under_110", "0"),
        ("standard", "8.875"),
    ]
    assert await events_named(database, TaxRegionCreated.name, region_code=code)
    assert await audit_actions(database, code) == ["tax.region_created"]


@pytest.mark.parametrize(
    "fields",
    [
        {"code": "XX-YY"},
        {"code": "ZZ"},
        {"rates": [rate(percent="120")]},
        {"rates": [rate(percent="-1")]},
        {"rates": [rate(percent="8.1234567")]},
        {"rates": [rate(tax_class="Standard")]},
        {"rates": [rate(valid_from="2025-02-01T00:00:00Z", valid_to="2025-01-01T00:00:00Z")]},
        {"rates": [rate(valid_from="2025-02-01T00:00:00")]},
        {"rates": [rate(), rate(percent="7")]},  # two standard rates at once
        {
            "rates": [
                rate(valid_to="2025-07-01T00:00:00Z"),
                rate(percent="16", valid_from="2025-06-01T00:00:00Z"),
            ]
        },
        {"rounding": "nearest"},
        {"shipping_tax_class": "Not A Class"},
        {"version": 3},
    ],
)
async def test_bad_regions_are_refused_and_nothing_is_stored(client, merch, database, fields):
    code = fresh_region()
    body = {"code": code, "name": "Bad", "rates": [rate()], **fields}
    response = await client.post(REGIONS, json=body, headers=merch)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert await regions_with_code(database, code) == 0


async def test_rates_may_follow_each_other_in_time(client, merch):
    created = await create_region(
        client,
        merch,
        rates=[
            rate(percent="19", valid_to="2020-07-01T00:00:00Z"),
            rate(percent="16", valid_from="2020-07-01T00:00:00Z", valid_to="2021-01-01T00:00:00Z"),
            rate(percent="19", valid_from="2021-01-01T00:00:00Z"),
        ],
    )
    assert len(created["rates"]) == 3


async def test_a_taken_code_is_a_conflict(client, merch, database):
    existing = await create_region(client, merch)
    response = await client.post(
        REGIONS, json={"code": existing["code"], "name": "Again"}, headers=merch
    )
    assert response.status_code == 409
    assert response.json()["field"] == "code"
    assert await regions_with_code(database, existing["code"]) == 1


async def test_regions_are_read_and_listed_with_their_rates(client, merch, analyst):
    first = await create_region(client, merch)
    one = await client.get(f"{REGIONS}/{first['code'].lower()}", headers=analyst)
    assert one.status_code == 200
    assert one.headers["etag"] == '"v1"'
    assert one.json() == first
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(REGIONS, params=params, headers=analyst)).json()
        seen += [region["code"] for region in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert first["code"] in seen and seen == sorted(seen)
    assert (await client.get(f"{REGIONS}/ZZ-ZZ", headers=analyst)).status_code == 404


async def test_patch_with_if_match_changes_the_region(client, merch, database):
    created = await create_region(client, merch)
    response = await client.patch(
        f"{REGIONS}/{created['code']}",
        json={"prices_include_tax": True, "shipping_tax_class": None, "rounding": "order"},
        headers={**merch, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v2"'
    changed = response.json()
    assert (changed["prices_include_tax"], changed["shipping_tax_class"]) == (True, None)
    assert changed["rates"] == created["rates"]
    before = await region_snapshot(database, created["code"])
    for body, headers, status in [
        ({"name": "Stale"}, {"If-Match": '"v1"'}, 412),
        ({"name": None}, {}, 422),
        ({"rounding": None}, {}, 422),
        ({"code": "DE"}, {}, 422),
    ]:
        refused = await client.patch(
            f"{REGIONS}/{created['code']}", json=body, headers={**merch, **headers}
        )
        assert refused.status_code == status, (body, refused.text)
    assert await region_snapshot(database, created["code"]) == before


async def test_rates_are_added_changed_and_removed_and_bump_the_region(client, merch, database):
    created = await create_region(client, merch)
    code = created["code"]
    added = await client.post(
        f"{REGIONS}/{code}/rates",
        json=rate("reduced", "7"),
        headers={**merch, "If-Match": '"v1"'},
    )
    assert added.status_code == 201, added.text
    assert added.headers["etag"] == '"v2"'
    reduced = added.json()
    changed = await client.patch(
        f"{REGIONS}/{code}/rates/{reduced['id']}",
        json={"percent": "5.5", "valid_to": "2040-01-01T00:00:00Z"},
        headers=merch,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["percent"], changed.headers["etag"]) == ("5.5", '"v3"')
    events = await events_named(database, TaxRatesChanged.name, region_code=code)
    assert [e["tax_classes"] for e in events] == [["reduced"], ["reduced"]]

    before = await region_snapshot(database, code)
    standard_id = created["rates"][0]["id"]
    refusals = [
        ("post", f"{REGIONS}/{code}/rates", rate("standard", "20"), 422),  # overlaps
        ("post", f"{REGIONS}/{code}/rates", rate("reduced", "7"), 422),  # overlaps
        ("post", f"{REGIONS}/{code}/rates", {**rate(), "If-Match": 1}, 422),
        ("patch", f"{REGIONS}/{code}/rates/{standard_id}", {"percent": None}, 422),
        (
            "patch",
            f"{REGIONS}/{code}/rates/{standard_id}",
            {"valid_from": "2050-01-01T00:00:00Z", "valid_to": "2049-01-01T00:00:00Z"},
            422,
        ),
        ("patch", f"{REGIONS}/{code}/rates/txr_missing", {"percent": "1"}, 404),
        ("post", f"{REGIONS}/ZZ-ZZ/rates", rate(), 404),
    ]
    for method, url, body, status in refusals:
        response = await client.request(method, url, json=body, headers=merch)
        assert response.status_code == status, (url, body, response.text)
    stale = await client.post(
        f"{REGIONS}/{code}/rates", json=rate("zero", "0"), headers={**merch, "If-Match": '"v1"'}
    )
    assert stale.status_code == 412
    assert await region_snapshot(database, code) == before

    removed = await client.delete(f"{REGIONS}/{code}/rates/{reduced['id']}", headers=merch)
    assert removed.status_code == 204 and removed.headers["etag"] == '"v4"'
    after = (await client.get(f"{REGIONS}/{code}", headers=merch)).json()
    assert [r["tax_class"] for r in after["rates"]] == ["standard"]


async def test_deleting_a_region_deletes_its_rates(client, merch, database):
    created = await create_region(client, merch)
    stale = await client.delete(
        f"{REGIONS}/{created['code']}", headers={**merch, "If-Match": '"v7"'}
    )
    assert stale.status_code == 412
    response = await client.delete(f"{REGIONS}/{created['code']}", headers=merch)
    assert response.status_code == 204
    assert await region_snapshot(database, created["code"]) == (None, [])
    again = await client.delete(f"{REGIONS}/{created['code']}", headers=merch)
    assert again.status_code == 404


async def test_the_quote_taxes_exclusive_and_inclusive_prices(client, merch, analyst):
    ny = await create_region(client, merch, rates=[rate("standard", "8.875")])
    response = await client.post(
        QUOTE,
        json={
            "region": ny["code"].lower(),
            "currency": "usd",
            "lines": [{"line_id": "l1", "amount": 1000}, {"line_id": "l2", "amount": 1200}],
        },
        headers=analyst,
    )
    assert response.status_code == 200, response.text
    quote = response.json()
    # 88.75 ¢ → 89 ¢; 106.5 ¢ → 107 ¢ (half-up).
    assert [line["tax"] for line in quote["lines"]] == [89, 107]
    assert (quote["tax_total"], quote["gross_total"]) == (196, 2396)

    de = await create_region(
        client,
        merch,
        prices_include_tax=True,
        rates=[rate("standard", "19"), rate("reduced", "7")],
    )
    response = await client.post(
        QUOTE,
        json={
            "region": de["code"],
            "currency": "EUR",
            "lines": [
                {"line_id": "l1", "amount": 5398},
                {"line_id": "l2", "amount": 1350, "tax_class": "reduced"},
            ],
            "shipping": 490,
        },
        headers=analyst,
    )
    quote = response.json()
    assert quote["prices_include_tax"] is True  # the region's default
    assert (quote["net_total"], quote["tax_total"], quote["gross_total"]) == (6210, 1028, 7238)
    assert quote["shipping"]["tax"] == 78


async def test_the_quote_refuses_what_is_not_configured(client, merch, analyst):
    region = await create_region(client, merch)
    cases = [
        ({"region": "ZZ-ZZ"}, "tax_region_unknown"),
        ({"lines": [{"line_id": "l1", "amount": 100, "tax_class": "luxury"}]}, "tax_rate_unknown"),
        ({"lines": [{"line_id": "l1", "amount": 1}, {"line_id": "l1", "amount": 2}]}, "invalid"),
    ]
    for fields, code in cases:
        body = {
            "region": region["code"],
            "currency": "EUR",
            "lines": [{"line_id": "l1", "amount": 100}],
            **fields,
        }
        response = await client.post(QUOTE, json=body, headers=analyst)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == code


async def test_readers_read_and_only_writers_write(client, merch, staff_headers):
    created = await create_region(client, merch)
    analyst = await staff_headers("analyst")
    assert (await client.get(REGIONS, headers=analyst)).status_code == 200
    for role in ("analyst", "planner", "associate", "store_manager", "agent"):
        headers = await staff_headers(role)
        refused = await client.patch(
            f"{REGIONS}/{created['code']}", json={"name": "x"}, headers=headers
        )
        assert refused.status_code == 403, role
        assert refused.json()["required"] == ["taxes.write"]
    for role in ("planner", "associate", "store_manager", "agent"):
        headers = await staff_headers(role)
        assert (await client.get(REGIONS, headers=headers)).status_code == 403, role


def test_every_route_declares_its_permission():
    declared = {
        (sorted(route.methods)[0], route.path): access_declaration(route)["permissions"]  # type: ignore[index]
        for route in api_routes([router])
    }
    read, write = ("taxes.read",), ("taxes.write",)
    assert declared == {
        ("GET", "/tax/regions"): read,
        ("POST", "/tax/regions"): write,
        ("GET", "/tax/regions/{code}"): read,
        ("PATCH", "/tax/regions/{code}"): write,
        ("DELETE", "/tax/regions/{code}"): write,
        ("POST", "/tax/regions/{code}/rates"): write,
        ("PATCH", "/tax/regions/{code}/rates/{rate_id}"): write,
        ("DELETE", "/tax/regions/{code}/rates/{rate_id}"): write,
        ("POST", "/tax/quote"): read,
    }
