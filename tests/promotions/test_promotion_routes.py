"""Promotions through HTTP: create, read, list, change with If-Match, deactivate — every
refusal names its field and changes nothing — and who may do what."""

from __future__ import annotations

import pytest

from omni.http.access_check import access_declaration, api_routes
from omni.promotions.events import PromotionCreated, PromotionDeactivated, PromotionUpdated
from omni.promotions.routes import router
from tests.catalog.helpers import audit_actions, events_named
from tests.pricing.helpers import variants
from tests.promotions.helpers import (
    PROMOTIONS,
    create_promotion,
    promotion_body,
    promotion_rows,
    stored_promotion,
)


async def test_a_promotion_is_created_with_its_benefit_and_conditions(
    client, merch, channel_id, database
):
    [shirt] = await variants(client, merch)
    body = promotion_body(
        channel_id,
        name="Spend more, save more",
        description="Tiered",
        currency="usd",
        benefit={
            "kind": "spend_threshold",
            "tiers": [
                {"min_subtotal": 10000, "amount_off": 1000},
                {"min_subtotal": 20000, "percent_off": 12.5},
            ],
            "target": {"variant_ids": [shirt]},
        },
        conditions={"channel_ids": [channel_id], "min_quantity": 2, "segments": ["vip"]},
        starts_at="2025-01-01T00:00:00Z",
        ends_at="2025-02-01T00:00:00+01:00",
        priority=10,
        stacking="group",
        stacking_group="spring",
    )
    response = await client.post(PROMOTIONS, json=body, headers=merch)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"].startswith("prm_")
    assert response.headers["etag"] == '"v1"'
    assert response.headers["location"].endswith(created["id"])
    assert (created["kind"], created["currency"]) == ("spend_threshold", "USD")
    assert created["benefit"] == {
        "kind": "spend_threshold",
        "tiers": [
            {"min_subtotal": 10000, "amount_off": 1000, "percent_off": None},
            {"min_subtotal": 20000, "amount_off": None, "percent_off": "12.5"},
        ],
        "target": {"variant_ids": [shirt], "product_ids": [], "category_ids": []},
    }
    assert created["conditions"] == {
        "channel_ids": [channel_id],
        "min_subtotal": None,
        "min_quantity": 2,
        "segments": ["vip"],
        "loyalty_tiers": [],
        "customer_required": False,
    }
    assert created["ends_at"].startswith("2025-01-31T23:00:00")
    assert created["active"] is True
    assert (created["stacking"], created["stacking_group"]) == ("group", "spring")
    assert await events_named(database, PromotionCreated.name, promotion_id=created["id"])
    assert await audit_actions(database, created["id"]) == ["promotion.created"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"benefit": {"kind": "percent_off", "percent": "0"}}, "benefit"),
        ({"benefit": {"kind": "percent_off", "percent": "120"}}, "benefit"),
        ({"benefit": {"kind": "amount_off", "amount": 500}}, "currency"),
        ({"currency": "USD"}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"benefit": {"kind": "teleport"}}, "benefit"),
        ({"benefit": {"kind": "buy_x_get_y", "buy_quantity": 0, "get_quantity": 1}}, "benefit"),
        (
            {
                "currency": "USD",
                "benefit": {
                    "kind": "spend_threshold",
                    "tiers": [{"min_subtotal": 100, "amount_off": 5, "percent_off": "5"}],
                },
            },
            "benefit",
        ),
        ({"benefit": {"kind": "fixed_price_bundle", "components": [], "price": 5}}, "benefit"),
        ({"stacking": "group"}, "stacking_group"),
        ({"stacking_group": "spring"}, "stacking_group"),
        ({"starts_at": "2025-02-01T00:00:00Z", "ends_at": "2025-01-01T00:00:00Z"}, "ends_at"),
        ({"starts_at": "2025-02-01T00:00:00"}, "starts_at"),
        ({"conditions": {"channel_ids": ["chn_missing"]}}, "conditions.channel_ids"),
        ({"conditions": {"min_subtotal": 500}}, "currency"),
        (
            {"benefit": {"kind": "percent_off", "percent": "5", "target": {"variant_ids": ["x"]}}},
            "benefit.target.variant_ids",
        ),
        (
            {
                "benefit": {
                    "kind": "buy_x_get_y",
                    "buy_quantity": 2,
                    "get_quantity": 1,
                    "get_target": {"category_ids": ["cat_missing"]},
                }
            },
            "benefit.get_target.category_ids",
        ),
        ({"priority": "high"}, "priority"),
        ({"id": "prm_mine"}, "id"),
    ],
)
async def test_bad_promotions_are_refused_naming_the_field_and_nothing_is_stored(
    client, merch, database, fields, field
):
    body = promotion_body(**fields)
    response = await client.post(PROMOTIONS, json=body, headers=merch)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    named = [problem.get("field")] + [
        ".".join(map(str, e["loc"][1:])) for e in problem.get("errors", []) if "loc" in e
    ]
    assert any(name and name.startswith(field) for name in named), problem
    assert await promotion_rows(database, body["name"]) == 0


async def test_every_problem_is_listed_at_once(client, merch, database):
    body = promotion_body(
        stacking="group",
        starts_at="2025-02-01T00:00:00Z",
        ends_at="2025-01-01T00:00:00Z",
        conditions={"channel_ids": ["chn_missing"]},
    )
    response = await client.post(PROMOTIONS, json=body, headers=merch)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"stacking_group", "ends_at", "conditions.channel_ids"}
    assert await promotion_rows(database, body["name"]) == 0


async def test_promotions_are_read_listed_and_filtered(client, merch, analyst):
    automatic = await create_promotion(client, merch, priority=3)
    coupon = await create_promotion(
        client, merch, requires_coupon=True, benefit={"kind": "free_shipping"}
    )
    later = await create_promotion(client, merch, starts_at="2099-01-01T00:00:00Z")
    one = await client.get(f"{PROMOTIONS}/{automatic['id']}", headers=analyst)
    assert one.status_code == 200
    assert one.headers["etag"] == '"v1"'
    assert one.json() == automatic

    listed = await client.get(
        PROMOTIONS, params={"kind": "free_shipping", "requires_coupon": True}, headers=analyst
    )
    ids = [p["id"] for p in listed.json()["items"]]
    assert coupon["id"] in ids and automatic["id"] not in ids
    running = await client.get(
        PROMOTIONS, params={"running_at": "2030-01-01T00:00:00Z", "limit": 500}, headers=analyst
    )
    running_ids = [p["id"] for p in running.json()["items"]]
    assert automatic["id"] in running_ids and later["id"] not in running_ids
    paged = await client.get(PROMOTIONS, params={"limit": 1}, headers=analyst)
    assert len(paged.json()["items"]) == 1 and paged.json()["next_cursor"]
    missing = await client.get(f"{PROMOTIONS}/prm_missing", headers=analyst)
    assert missing.status_code == 404


async def test_patch_with_if_match_changes_the_promotion(client, merch, database):
    created = await create_promotion(client, merch)
    response = await client.patch(
        f"{PROMOTIONS}/{created['id']}",
        json={
            "name": "Twenty off",
            "currency": "USD",
            "benefit": {"kind": "amount_off", "amount": 2000},
            "priority": 7,
        },
        headers={**merch, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v2"'
    changed = response.json()
    assert (changed["kind"], changed["benefit"]["amount"], changed["priority"]) == (
        "amount_off",
        2000,
        7,
    )
    events = await events_named(database, PromotionUpdated.name, promotion_id=created["id"])
    assert events[0]["fields"] == ["benefit", "currency", "kind", "name", "priority"]


async def test_a_stale_etag_or_a_bad_patch_changes_nothing(client, merch, database):
    created = await create_promotion(client, merch)
    before = await stored_promotion(database, created["id"])
    cases = [
        ({"name": "Stale"}, {"If-Match": '"v9"'}, 412),
        ({"name": None}, {}, 422),
        ({"benefit": {"kind": "amount_off", "amount": 100}}, {}, 422),  # no currency
        ({"stacking": "group"}, {}, 422),
        ({"ends_at": "2000-01-01T00:00:00Z", "starts_at": "2001-01-01T00:00:00Z"}, {}, 422),
        ({"kind": "percent_off"}, {}, 422),  # the kind comes with the benefit
    ]
    for body, headers, status in cases:
        response = await client.patch(
            f"{PROMOTIONS}/{created['id']}", json=body, headers={**merch, **headers}
        )
        assert response.status_code == status, (body, response.text)
    assert await stored_promotion(database, created["id"]) == before
    stale = await client.patch(
        f"{PROMOTIONS}/{created['id']}", json={"name": "x"}, headers={**merch, "If-Match": '"v2"'}
    )
    assert stale.json()["current_etag"] == '"v1"'


async def test_deactivating_keeps_the_promotion_and_patch_can_resume_it(
    client, merch, database, channel_id
):
    created = await create_promotion(client, merch, channel_id)
    assert created["active"] is True
    response = await client.post(f"{PROMOTIONS}/{created['id']}/deactivate", headers=merch)
    assert response.status_code == 200
    assert (response.json()["active"], response.headers["etag"]) == (False, '"v2"')
    again = await client.post(f"{PROMOTIONS}/{created['id']}/deactivate", headers=merch)
    assert again.headers["etag"] == '"v2"'  # nothing to change
    assert len(await events_named(database, PromotionDeactivated.name)) >= 1
    resumed = await client.patch(
        f"{PROMOTIONS}/{created['id']}", json={"active": True}, headers=merch
    )
    assert resumed.json()["active"] is True
    stale = await client.post(
        f"{PROMOTIONS}/{created['id']}/deactivate", headers={**merch, "If-Match": '"v1"'}
    )
    assert stale.status_code == 412


async def test_readers_read_and_only_writers_write(client, merch, staff_headers):
    created = await create_promotion(client, merch)
    for role in ("analyst", "planner", "associate", "agent", "store_manager"):
        headers = await staff_headers(role)
        assert (await client.get(PROMOTIONS, headers=headers)).status_code == 200, role
        refused = await client.post(PROMOTIONS, json=promotion_body(), headers=headers)
        assert refused.status_code == 403, role
        assert refused.json()["required"] == ["promotions.write"]
        patched = await client.patch(
            f"{PROMOTIONS}/{created['id']}", json={"name": "x"}, headers=headers
        )
        assert patched.status_code == 403
    no_role = await staff_headers()
    assert (await client.get(PROMOTIONS, headers=no_role)).status_code == 403


def test_every_route_declares_its_permission():
    declared = {
        (sorted(route.methods)[0], route.path): access_declaration(route)["permissions"]  # type: ignore[index]
        for route in api_routes([router])
    }
    read, write = ("promotions.read",), ("promotions.write",)
    assert declared == {
        ("GET", "/promotions"): read,
        ("POST", "/promotions"): write,
        ("POST", "/promotions/evaluate"): read,
        ("GET", "/promotions/{promotion_id}"): read,
        ("PATCH", "/promotions/{promotion_id}"): write,
        ("POST", "/promotions/{promotion_id}/deactivate"): write,
        ("GET", "/promotions/{promotion_id}/coupons"): write,
        ("POST", "/promotions/{promotion_id}/coupons"): write,
        ("POST", "/promotions/{promotion_id}/coupons/batch"): write,
        ("POST", "/promotions/{promotion_id}/coupons/{code}/deactivate"): write,
    }
