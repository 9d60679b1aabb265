"""INV10 through the API: rules, a plan from real demand history, a planner accepting
suggestions into draft purchase orders and transfers — and everything refused."""

import pytest
from sqlalchemy import func, select

from omni.inventory.replenishment_models import ReplenishmentRule
from tests.inventory.http_support import key
from tests.inventory.replenishment_support import PLANS, RULES, build_planned

PURCHASE_ORDERS = "/api/v1/inventory/purchase-orders"
TRANSFERS = "/api/v1/inventory/transfers"


async def count_rules(database) -> int:
    async with database.reader() as session:
        return int(await session.scalar(select(func.count()).select_from(ReplenishmentRule)))


@pytest.fixture
async def planned(client, admin_headers, database):
    return await build_planned(client, admin_headers, database)


async def test_a_plan_rebalances_then_transfers_then_buys_and_a_planner_accepts(
    client, admin_headers, planned
):
    net, item, _other = planned
    scope = {"location_ids": [net.store_a, net.store_b, net.dc], "evaluate": True}
    response = await client.post(PLANS, json=scope, headers=admin_headers)
    assert response.status_code == 201, response.text
    plan = response.json()
    assert response.headers["Location"].endswith(plan["id"])
    assert plan["figures"]["forecast_methods"] == {"holt_winters": 2}
    assert plan["figures"]["backtest"]["series"] == 2
    assert plan["suggestions"] == {"suggested": 3}

    listed = await client.get(f"{PLANS}/{plan['id']}/suggestions", headers=admin_headers)
    by_kind = {s["kind"]: s for s in listed.json()["items"]}
    assert by_kind["rebalance"]["source_location_id"] == net.store_b
    assert by_kind["rebalance"]["quantity"] == 10  # all of B's units: B sells none
    assert by_kind["transfer"]["source_location_id"] == net.dc
    assert by_kind["transfer"]["quantity"] == 20 - 1 - 10
    purchase = by_kind["purchase"]
    assert purchase["supplier_code"] == "ACME" and purchase["location_id"] == net.dc
    assert purchase["position"] == 60 - 9  # after what it ships to store A
    assert purchase["daily_demand"] == pytest.approx(5, rel=0.3)
    assert purchase["quantity"] % 12 == 0
    assert purchase["quantity"] >= purchase["order_up_to"] - purchase["position"]

    pick = [{"id": purchase["id"], "quantity": 120}]
    accepted = await client.post(
        f"{PLANS}/{plan['id']}/accept",
        json={"suggestions": pick},
        headers={**admin_headers, **key()},
    )
    assert accepted.status_code == 200, accepted.text
    [order_id] = accepted.json()["purchase_order_ids"]
    order = (await client.get(f"{PURCHASE_ORDERS}/{order_id}", headers=admin_headers)).json()
    assert order["status"] == "draft" and order["supplier_code"] == "ACME"
    assert [(line["variant_id"], line["ordered"]) for line in order["lines"]] == [(item.id, 120)]

    rest = await client.post(f"{PLANS}/{plan['id']}/accept", headers={**admin_headers, **key()})
    assert rest.status_code == 200, rest.text
    assert rest.json()["purchase_order_ids"] == []
    transfer_ids = rest.json()["transfer_ids"]
    assert len(transfer_ids) == 2
    routes = set()
    for transfer_id in transfer_ids:
        transfer = (await client.get(f"{TRANSFERS}/{transfer_id}", headers=admin_headers)).json()
        assert transfer["status"] == "draft"
        routes.add((transfer["from_location_id"], transfer["to_location_id"]))
    assert routes == {(net.store_b, net.store_a), (net.dc, net.store_a)}

    done = await client.get(f"{PLANS}/{plan['id']}", headers=admin_headers)
    assert done.json()["suggestions"] == {"accepted": 3}
    again = await client.post(
        f"{PLANS}/{plan['id']}/accept",
        json={"suggestions": [{"id": purchase["id"]}]},
        headers={**admin_headers, **key()},
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"


async def test_dismissed_suggestions_cannot_be_accepted(client, admin_headers, planned):
    net, _item, _other = planned
    plan = await client.post(PLANS, json={"location_ids": [net.store_a]}, headers=admin_headers)
    plan_id = plan.json()["id"]
    items = (await client.get(f"{PLANS}/{plan_id}/suggestions", headers=admin_headers)).json()
    ids = [s["id"] for s in items["items"]]
    assert ids
    dismissed = await client.post(
        f"{PLANS}/{plan_id}/dismiss", json={"suggestion_ids": ids}, headers=admin_headers
    )
    assert dismissed.json() == {"dismissed": len(ids)}
    refused = await client.post(
        f"{PLANS}/{plan_id}/accept",
        json={"suggestions": [{"id": ids[0]}]},
        headers={**admin_headers, **key()},
    )
    assert refused.status_code == 409


@pytest.mark.parametrize(
    ("change_rule", "field"),
    [
        ({"max_qty": None}, "rules[0].min_qty"),
        ({"min_qty": 30}, "rules[0].max_qty"),
        ({"supplier_code": "ACME"}, "rules[0].source"),
        (
            {
                "method": "reorder_point",
                "min_qty": None,
                "max_qty": None,
                "source_location_id": None,
            },
            "rules[0].source",
        ),
        ({"variant_id": "var_nope"}, "lines"),
    ],
)
async def test_bad_rules_are_refused_and_nothing_changes(
    client, admin_headers, database, planned, change_rule, field
):
    net, _item, other = planned
    rule = {
        "variant_id": other.id,
        "location_id": net.store_b,
        "method": "min_max",
        "min_qty": 2,
        "max_qty": 10,
        "source_location_id": net.dc,
    }
    good = {**rule, "variant_id": other.id, "location_id": net.store_a}
    before = await count_rules(database)
    response = await client.put(
        RULES, json={"rules": [{**rule, **change_rule}, good]}, headers=admin_headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == field
    assert await count_rules(database) == before


async def test_rules_are_listed_replaced_and_removed(client, admin_headers, planned):
    net, item, _other = planned
    listed = await client.get(RULES, params={"location_id": net.store_a}, headers=admin_headers)
    [rule] = listed.json()["items"]
    assert (rule["variant_id"], rule["max_qty"]) == (item.id, 20)
    replaced = {
        **{k: rule[k] for k in ("variant_id", "location_id", "method", "min_qty")},
        "max_qty": 30,
        "source_location_id": net.dc,
    }
    response = await client.put(RULES, json={"rules": [replaced]}, headers=admin_headers)
    assert response.json()["ids"] == [rule["id"]]
    [again] = (
        await client.get(
            RULES, params={"variant_id": item.id, "location_id": net.store_a}, headers=admin_headers
        )
    ).json()["items"]
    assert again["max_qty"] == 30
    assert (await client.delete(f"{RULES}/{rule['id']}", headers=admin_headers)).status_code == 204
    assert (await client.delete(f"{RULES}/{rule['id']}", headers=admin_headers)).status_code == 404


async def test_store_managers_set_rules_only_for_their_stores_and_do_not_plan(
    client, staff_headers, planned
):
    net, _item, other = planned
    manager = await staff_headers("store_manager", stores=[net.store_a])
    rule = {
        "variant_id": other.id,
        "method": "min_max",
        "min_qty": 1,
        "max_qty": 4,
        "source_location_id": net.dc,
    }
    own = await client.put(
        RULES, json={"rules": [{**rule, "location_id": net.store_a}]}, headers=manager
    )
    assert own.status_code == 200, own.text
    theirs = await client.put(
        RULES, json={"rules": [{**rule, "location_id": net.store_b}]}, headers=manager
    )
    assert theirs.status_code == 404
    planning = await client.post(PLANS, json={"location_ids": [net.store_a]}, headers=manager)
    assert planning.status_code == 403
    associate = await staff_headers("associate", stores=[net.store_a])
    refused = await client.put(
        RULES, json={"rules": [{**rule, "location_id": net.store_a}]}, headers=associate
    )
    assert refused.status_code == 403
    assert (await client.get(PLANS, headers=associate)).status_code == 200


async def test_unknown_plans_answer_404(client, admin_headers):
    for url in (f"{PLANS}/rpl_nope", f"{PLANS}/rpl_nope/suggestions"):
        assert (await client.get(url, headers=admin_headers)).status_code == 404
    accept = await client.post(f"{PLANS}/rpl_nope/accept", headers={**admin_headers, **key()})
    assert accept.status_code == 404
