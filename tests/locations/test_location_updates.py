"""Changing locations: If-Match, merge-patch, and what store managers may touch."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from omni.db.platform_models import OutboxEvent
from tests.locations.support import create_location

URL = "/api/v1/locations"


async def read(client, headers, location_id):
    response = await client.get(f"{URL}/{location_id}", headers=headers)
    assert response.status_code == 200
    return response.json()


async def test_planner_changes_name_and_city_with_if_match(client, database, staff_headers):
    planner = await staff_headers("planner")
    location = await create_location(client, planner)

    response = await client.patch(
        f"{URL}/{location['id']}",
        json={"name": "Omni SoHo Flagship", "address": {"city": "Manhattan"}},
        headers=planner | {"If-Match": '"v1"'},
    )

    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v2"'
    changed = response.json()
    assert changed["name"] == "Omni SoHo Flagship"
    assert changed["address"]["city"] == "Manhattan"
    assert changed["address"]["line1"] == location["address"]["line1"]
    assert changed["version"] == 2
    async with database.reader() as session:
        event = await session.scalar(
            select(OutboxEvent).where(
                OutboxEvent.name == "location.updated",
                OutboxEvent.payload["location_id"].as_string() == location["id"],
            )
        )
    assert event is not None and event.payload["fields"] == ["city", "name"]


async def test_a_stale_if_match_changes_nothing(client, admin_headers):
    location = await create_location(client, admin_headers)
    await client.patch(f"{URL}/{location['id']}", json={"name": "First"}, headers=admin_headers)

    stale = await client.patch(
        f"{URL}/{location['id']}",
        json={"name": "Second"},
        headers=admin_headers | {"If-Match": '"v1"'},
    )

    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"v2"'
    assert (await read(client, admin_headers, location["id"]))["name"] == "First"


async def test_a_malformed_if_match_is_refused(client, admin_headers):
    location = await create_location(client, admin_headers)
    response = await client.patch(
        f"{URL}/{location['id']}",
        json={"name": "Other"},
        headers=admin_headers | {"If-Match": "yesterday"},
    )
    assert response.status_code == 412
    assert (await read(client, admin_headers, location["id"]))["name"] == location["name"]


async def test_hours_and_special_days_are_merged_per_day_and_date(client, admin_headers):
    location = await create_location(
        client, admin_headers, special_days={"2025-12-24": [["09:00", "15:00"]], "2025-12-25": []}
    )

    response = await client.patch(
        f"{URL}/{location['id']}",
        json={
            "opening_hours": {"sun": []},
            "special_days": {"2025-12-24": None, "2026-01-01": []},
            "capacity": {"pickup_slot_minutes": 30},
        },
        headers=admin_headers,
    )

    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["opening_hours"]["sun"] == []
    assert changed["opening_hours"]["mon"] == [["09:00", "21:00"]]
    assert changed["special_days"] == {"2025-12-25": [], "2026-01-01": []}
    assert changed["capacity"]["pickup_slot_minutes"] == 30
    assert changed["capacity"]["orders_per_day"] == 200


async def test_a_patch_that_changes_nothing_keeps_the_version(client, admin_headers):
    location = await create_location(client, admin_headers)
    response = await client.patch(
        f"{URL}/{location['id']}", json={"name": location["name"]}, headers=admin_headers
    )
    assert response.status_code == 200
    assert response.headers["etag"] == '"v1"'


async def test_turning_a_store_into_a_locker_keeps_capabilities_consistent(client, admin_headers):
    location = await create_location(client, admin_headers)

    refused = await client.patch(
        f"{URL}/{location['id']}", json={"kind": "locker"}, headers=admin_headers
    )
    allowed = await client.patch(
        f"{URL}/{location['id']}",
        json={"kind": "locker", "capabilities": ["pickup"]},
        headers=admin_headers,
    )

    assert refused.status_code == 422
    assert refused.json()["field"] == "capabilities"
    assert allowed.status_code == 200
    assert allowed.json()["kind"] == "locker" and allowed.json()["version"] == 2


async def test_the_code_cannot_be_patched(client, admin_headers):
    location = await create_location(client, admin_headers)
    response = await client.patch(
        f"{URL}/{location['id']}", json={"code": "NEW-CODE"}, headers=admin_headers
    )
    assert response.status_code == 422
    assert (await read(client, admin_headers, location["id"]))["code"] == location["code"]


async def test_patching_an_unknown_location_is_not_found(client, admin_headers):
    response = await client.patch(
        f"{URL}/loc_00000000000000000000000000", json={"name": "X"}, headers=admin_headers
    )
    assert response.status_code == 404


async def test_store_manager_changes_hours_special_days_and_capacity_of_their_store(
    client, admin_headers, staff_headers
):
    location = await create_location(client, admin_headers)
    manager = await staff_headers("store_manager", stores=[location["id"]])

    response = await client.patch(
        f"{URL}/{location['id']}",
        json={
            "opening_hours": {"sun": [["10:00", "17:00"]]},
            "special_days": {"2025-07-04": []},
            "capacity": {"orders_per_hour": 12},
        },
        headers=manager | {"If-Match": '"v1"'},
    )

    assert response.status_code == 200, response.text
    assert response.json()["opening_hours"]["sun"] == [["10:00", "17:00"]]
    assert response.json()["special_days"] == {"2025-07-04": []}
    assert response.json()["capacity"]["orders_per_hour"] == 12


async def test_store_manager_of_another_store_gets_not_found_and_nothing_changes(
    client, admin_headers, staff_headers
):
    own = await create_location(client, admin_headers)
    other = await create_location(client, admin_headers)
    manager = await staff_headers("store_manager", stores=[own["id"]])

    response = await client.patch(
        f"{URL}/{other['id']}", json={"capacity": {"orders_per_day": 1}}, headers=manager
    )

    assert response.status_code == 404
    assert (await read(client, admin_headers, other["id"]))["capacity"]["orders_per_day"] == 200


async def test_store_manager_cannot_change_other_fields_of_their_store(
    client, admin_headers, staff_headers
):
    location = await create_location(client, admin_headers)
    manager = await staff_headers("store_manager", stores=[location["id"]])

    response = await client.patch(
        f"{URL}/{location['id']}",
        json={"name": "Renamed", "opening_hours": {"sun": []}},
        headers=manager,
    )

    assert response.status_code == 403
    assert response.json()["fields"] == ["name"]
    unchanged = await read(client, admin_headers, location["id"])
    assert unchanged["name"] == location["name"]
    assert unchanged["opening_hours"] == location["opening_hours"]
    assert unchanged["version"] == 1


async def test_callers_without_write_permissions_cannot_patch(
    client, admin_headers, staff_headers, shopper_headers
):
    location = await create_location(client, admin_headers)
    _, shopper = await shopper_headers()
    associate = await staff_headers("associate", stores=[location["id"]])
    analyst = await staff_headers("analyst")
    one = f"{URL}/{location['id']}"
    body = {"opening_hours": {"sun": []}}

    assert (await client.patch(one, json=body)).status_code == 401
    for headers in (associate, analyst, shopper):
        assert (await client.patch(one, json=body, headers=headers)).status_code == 403
    assert (await read(client, admin_headers, location["id"]))["version"] == 1


async def test_concurrent_patches_from_the_same_version_let_exactly_one_win(client, admin_headers):
    location = await create_location(client, admin_headers)
    one = f"{URL}/{location['id']}"

    responses = await asyncio.gather(
        *(
            client.patch(
                one, json={"name": f"Name {n}"}, headers=admin_headers | {"If-Match": '"v1"'}
            )
            for n in range(4)
        )
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 412, 412, 412]
    winner = next(r for r in responses if r.status_code == 200).json()
    current = await read(client, admin_headers, location["id"])
    assert current["name"] == winner["name"] and current["version"] == 2
