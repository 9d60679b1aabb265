"""Transfers between locations (INV7): ship → in transit → receive, discrepancies, every
refused transition changing nothing, who may act where, idempotent POSTs."""

from __future__ import annotations

import asyncio

import pytest

from omni.inventory import reservations, transfers
from omni.inventory.domain import ReservationKind
from omni.inventory.reservations import ReserveLine, ReserveRequest
from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id
from tests.inventory.documents_support import (
    audit_actions,
    events,
    levels,
    make_items,
    make_location,
    movements_of,
    post,
    stock,
)
from tests.inventory.helpers import assert_ledger_balanced

URL = "/api/v1/inventory/transfers"


@pytest.fixture
async def planner(staff_headers):
    return await staff_headers("planner")


async def draft(client, headers, source, destination, *lines, **fields):
    body = {
        "from_location_id": source,
        "to_location_id": destination,
        "lines": [{"variant_id": item.id, "quantity": q} for item, q in lines],
        **fields,
    }
    response = await post(client, URL, headers, body)
    assert response.status_code == 201, response.text
    return response.json()


async def read(client, headers, transfer_id):
    response = await client.get(f"{URL}/{transfer_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def setup(client, database, admin, stocked=(10, 5)):
    """Two locations and two items, with ``stocked`` units of each at the first."""
    source = await make_location(client, admin)
    destination = await make_location(client, admin)
    items = await make_items(client, admin, len(stocked))
    for item, quantity in zip(items, stocked, strict=True):
        await stock(database, item, source, quantity)
    return source, destination, items


async def test_ship_then_receive_in_parts_with_damage_and_a_shortfall(
    client, database, admin_headers, planner
):
    source, destination, (tee, cap) = await setup(client, database, admin_headers)
    transfer = await draft(
        client, planner, source, destination, (tee, 4), (cap, 5), expected_on="2026-12-01"
    )
    assert transfer["status"] == "draft" and transfer["in_transit"] == 0
    assert await levels(database, destination) == {}

    shipped = await post(client, f"{URL}/{transfer['id']}/ship", planner, {"carrier": "DHL"})
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["status"] == "shipped" and shipped.json()["in_transit"] == 9
    assert await levels(database, source) == {tee.id: (6, 0, 0, 0), cap.id: (0, 0, 0, 0)}
    assert await levels(database, destination) == {tee.id: (0, 0, 4, 0), cap.id: (0, 0, 5, 0)}

    receipt = {
        "lines": [
            {"variant_id": tee.id, "quantity": 4},
            {"variant_id": cap.id, "quantity": 3, "damaged": 1},
        ]
    }
    first = await post(client, f"{URL}/{transfer['id']}/receipts", planner, receipt)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["status"] == "partially_received" and body["in_transit"] == 1
    cap_line = next(line for line in body["lines"] if line["variant_id"] == cap.id)
    assert (cap_line["received"], cap_line["damaged"], cap_line["in_transit"]) == (3, 1, 1)
    assert await levels(database, destination) == {tee.id: (4, 0, 0, 0), cap.id: (4, 0, 1, 1)}

    last = await post(client, f"{URL}/{transfer['id']}/receipts", planner, {"final": True})
    assert last.status_code == 200, last.text
    body = last.json()
    assert body["status"] == "received" and body["in_transit"] == 0
    assert [r["final"] for r in body["receipts"]] == [False, True]
    assert body["receipts"][1]["lines"] == [
        {"variant_id": cap.id, "quantity": 0, "damaged": 0, "over": 0, "short": 1}
    ]
    assert await levels(database, destination) == {tee.id: (4, 0, 0, 0), cap.id: (4, 0, 0, 1)}
    assert await levels(database, source) == {tee.id: (6, 0, 0, 0), cap.id: (0, 0, 0, 0)}
    kinds = sorted(kind for kind, *_ in await movements_of(database, transfer["id"]))
    assert kinds == sorted(
        ["transfer_out"] * 2 + ["incoming"] * 3 + ["transfer_in"] * 2 + ["damage"]
    )
    assert (
        len(await events(database, "inventory.transfer_shipped", "transfer_id", transfer["id"]))
        == 1
    )
    received = await events(database, "inventory.transfer_received", "transfer_id", transfer["id"])
    assert [e["status"] for e in received] == ["partially_received", "received"]
    assert await audit_actions(database, transfer["id"]) == [
        "inventory.transfer_created",
        "inventory.transfer_shipped",
        "inventory.transfer_received",
        "inventory.transfer_received",
    ]
    await assert_ledger_balanced(database)


async def test_a_full_receipt_completes_the_transfer_and_over_delivery_only_adds_on_hand(
    client, database, admin_headers, planner
):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(5,))
    transfer = await draft(client, planner, source, destination, (tee, 2))
    await post(client, f"{URL}/{transfer['id']}/ship", planner)
    response = await post(
        client,
        f"{URL}/{transfer['id']}/receipts",
        planner,
        {"lines": [{"variant_id": tee.id, "quantity": 3}]},
    )
    body = response.json()
    assert body["status"] == "received"
    assert body["lines"][0]["over"] == 1 and body["receipts"][0]["lines"][0]["over"] == 1
    assert await levels(database, destination) == {tee.id: (3, 0, 0, 0)}
    await assert_ledger_balanced(database)


async def test_a_transfer_never_takes_reserved_units_and_a_refusal_ships_nothing(
    client, database, admin_headers, planner
):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(5,))
    async with database.uow() as uow:
        await reservations.reserve(
            uow,
            ReserveRequest([ReserveLine(tee.id, source, 3)], ReservationKind.ORDER, new_id("ord")),
        )
        await uow.commit()
    transfer = await draft(client, planner, source, destination, (tee, 3))
    before = (await levels(database, source), await levels(database, destination))

    refused = await post(client, f"{URL}/{transfer['id']}/ship", planner)

    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "insufficient_stock"
    assert (problem["available"], problem["requested"]) == (2, 3)
    assert (await levels(database, source), await levels(database, destination)) == before
    assert (await read(client, planner, transfer["id"]))["status"] == "draft"
    assert await movements_of(database, transfer["id"]) == []
    await assert_ledger_balanced(database)


async def test_every_refused_transition_answers_409_and_changes_nothing(
    client, database, admin_headers, planner
):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(50,))
    in_status = {}
    for status in ("draft", "shipped", "partially_received", "received", "cancelled"):
        transfer = await draft(client, planner, source, destination, (tee, 2))
        if status == "cancelled":
            await post(client, f"{URL}/{transfer['id']}/cancel", planner)
        if status in ("shipped", "partially_received", "received"):
            await post(client, f"{URL}/{transfer['id']}/ship", planner)
        if status in ("partially_received", "received"):
            line = {"variant_id": tee.id, "quantity": 1 if status == "partially_received" else 2}
            await post(client, f"{URL}/{transfer['id']}/receipts", planner, {"lines": [line]})
        in_status[status] = transfer["id"]
        assert (await read(client, planner, transfer["id"]))["status"] == status
    allowed = {
        "ship": {"draft"},
        "cancel": {"draft"},
        "receipts": {"shipped", "partially_received"},
    }
    receipt = {"lines": [{"variant_id": tee.id, "quantity": 1}]}
    for action, statuses in allowed.items():
        for status, transfer_id in in_status.items():
            if status in statuses:
                continue
            before = (
                await read(client, planner, transfer_id),
                await levels(database, source),
                await levels(database, destination),
            )
            response = await post(
                client,
                f"{URL}/{transfer_id}/{action}",
                planner,
                receipt if action == "receipts" else None,
            )
            assert response.status_code == 409, (action, status, response.text)
            assert response.json()["code"] == "invalid_transition"
            after = (
                await read(client, planner, transfer_id),
                await levels(database, source),
                await levels(database, destination),
            )
            assert after == before, (action, status)
    await assert_ledger_balanced(database)


async def test_cancelling_a_draft_moves_no_stock(client, database, admin_headers, planner):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(4,))
    transfer = await draft(client, planner, source, destination, (tee, 4))
    response = await post(client, f"{URL}/{transfer['id']}/cancel", planner)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert await levels(database, source) == {tee.id: (4, 0, 0, 0)}
    assert await movements_of(database, transfer["id"]) == []
    assert await events(database, "inventory.transfer_cancelled", "transfer_id", transfer["id"])


async def test_bad_transfers_are_refused_with_422_and_nothing_is_created(
    client, database, admin_headers, planner
):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(4,))
    no_dock = await make_location(client, admin_headers, receives=False)
    line = [{"variant_id": tee.id, "quantity": 1}]
    bad = [
        {"from_location_id": source, "to_location_id": source, "lines": line},
        {"from_location_id": source, "to_location_id": no_dock, "lines": line},
        {"from_location_id": source, "to_location_id": new_id("loc"), "lines": line},
        {
            "from_location_id": source,
            "to_location_id": destination,
            "lines": [{"variant_id": new_id("var"), "quantity": 1}],
        },
        {
            "from_location_id": source,
            "to_location_id": destination,
            "lines": [{"variant_id": tee.id, "quantity": 0}],
        },
    ]
    for body in bad:
        response = await post(client, URL, planner, body)
        assert response.status_code == 422, (body, response.text)
    listed = await client.get(URL, params={"location_id": source}, headers=planner)
    assert listed.json()["items"] == []


async def test_receiving_an_item_that_is_not_on_the_transfer_is_refused(
    client, database, admin_headers, planner
):
    source, destination, (tee, cap) = await setup(client, database, admin_headers)
    transfer = await draft(client, planner, source, destination, (tee, 2))
    await post(client, f"{URL}/{transfer['id']}/ship", planner)
    before = await levels(database, destination)
    response = await post(
        client,
        f"{URL}/{transfer['id']}/receipts",
        planner,
        {"lines": [{"variant_id": cap.id, "quantity": 1}]},
    )
    assert response.status_code == 422
    assert await levels(database, destination) == before
    assert (await read(client, planner, transfer["id"]))["status"] == "shipped"


async def test_in_transit_units_are_listed_as_incoming_at_the_destination(
    client, database, admin_headers, planner
):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(3,))
    transfer = await draft(client, planner, source, destination, (tee, 3), expected_on="2026-12-24")
    await post(client, f"{URL}/{transfer['id']}/ship", planner)
    response = await client.get(
        f"/api/v1/inventory/locations/{destination}/incoming", headers=planner
    )
    assert response.status_code == 200
    assert response.json() == [
        {
            "variant_id": tee.id,
            "quantity": 3,
            "expected_on": "2026-12-24",
            "document_type": "transfer",
            "document_id": transfer["id"],
            "reference": source,
        }
    ]
    listed = await client.get(
        URL, params={"status": "shipped", "location_id": destination}, headers=planner
    )
    assert [t["in_transit"] for t in listed.json()["items"]] == [3]


async def test_two_clerks_shipping_the_same_transfer_ship_it_once(client, database, admin_headers):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(10,))
    transfer_id = await transfers.create_transfer(
        database.uow(), transfers.NewTransfer(source, destination, [(tee.id, 4)])
    )
    outcomes = await asyncio.gather(
        *(transfers.ship_transfer(database.uow(), transfer_id) for _ in range(2)),
        return_exceptions=True,
    )
    assert sum(outcome is None for outcome in outcomes) == 1
    assert sum(isinstance(outcome, Conflict) for outcome in outcomes) == 1
    assert await levels(database, source) == {tee.id: (6, 0, 0, 0)}
    await assert_ledger_balanced(database)


async def test_opposite_transfers_shipped_at_once_both_complete(client, database, admin_headers):
    """A→B and B→A lock the same two rows; taken in id order they cannot deadlock."""
    east, west = (
        await make_location(client, admin_headers),
        await make_location(client, admin_headers),
    )
    (tee,) = await make_items(client, admin_headers, 1)
    await stock(database, tee, east, 5)
    await stock(database, tee, west, 5)
    ids = [
        await transfers.create_transfer(database.uow(), transfers.NewTransfer(a, b, [(tee.id, 2)]))
        for a, b in ((east, west), (west, east))
    ]
    await asyncio.gather(*(transfers.ship_transfer(database.uow(), i) for i in ids))
    assert await levels(database, east) == {tee.id: (3, 0, 2, 0)}
    assert await levels(database, west) == {tee.id: (3, 0, 2, 0)}
    await assert_ledger_balanced(database)


async def test_who_may_do_what_with_transfers(client, database, admin_headers, staff_headers):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(10,))
    elsewhere = await make_location(client, admin_headers)
    transfer = await draft(client, admin_headers, source, destination, (tee, 2))
    ship_url = f"{URL}/{transfer['id']}/ship"

    assert (await post(client, URL, {}, {})).status_code == 401
    for role in ("associate", "analyst"):
        headers = await staff_headers(role, stores=[source])
        assert (await client.get(f"{URL}/{transfer['id']}", headers=headers)).status_code == 200
        assert (await post(client, ship_url, headers)).status_code == 403

    other_manager = await staff_headers("store_manager", stores=[elsewhere])
    assert (await post(client, ship_url, other_manager)).status_code == 404
    body = {
        "from_location_id": source,
        "to_location_id": destination,
        "lines": [{"variant_id": tee.id, "quantity": 1}],
    }
    assert (await post(client, URL, other_manager, body)).status_code == 404
    destination_manager = await staff_headers("store_manager", stores=[destination])
    assert (await post(client, ship_url, destination_manager)).status_code == 404
    assert (await read(client, admin_headers, transfer["id"]))["status"] == "draft"

    source_manager = await staff_headers("store_manager", stores=[source])
    assert (await post(client, ship_url, source_manager)).status_code == 200
    receipt = {"lines": [{"variant_id": tee.id, "quantity": 2}]}
    receipt_url = f"{URL}/{transfer['id']}/receipts"
    assert (await post(client, receipt_url, source_manager, receipt)).status_code == 404
    assert (await post(client, receipt_url, destination_manager, receipt)).status_code == 200


async def test_shipping_needs_an_idempotency_key_and_a_retry_ships_once(
    client, database, admin_headers, planner
):
    source, destination, (tee,) = await setup(client, database, admin_headers, stocked=(10,))
    transfer = await draft(client, planner, source, destination, (tee, 3))
    url = f"{URL}/{transfer['id']}/ship"
    assert (await client.post(url, headers=planner)).status_code == 400
    headers = planner | {"Idempotency-Key": f"ship-{transfer['id']}"}
    first = await client.post(url, headers=headers)
    again = await client.post(url, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    assert await levels(database, source) == {tee.id: (7, 0, 0, 0)}
