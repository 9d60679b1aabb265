"""A channel's stock pool: which locations it sells from, with buffers, replaced whole."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from omni.db.platform_models import OutboxEvent
from tests.channels.support import URL, create_channel
from tests.locations.support import create_location


async def pool_of(client, headers, channel_id):
    response = await client.get(f"{URL}/{channel_id}/stock-pool", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_admin_replaces_the_pool_and_reads_it_back(client, database, admin_headers):
    channel = await create_channel(client, admin_headers, default_buffer_percent=10)
    store = await create_location(client, admin_headers)
    dc = await create_location(
        client, admin_headers, kind="warehouse", capabilities=["ship_to_customer"]
    )

    response = await client.put(
        f"{URL}/{channel['id']}/stock-pool",
        json={
            "locations": [
                {"location_id": store["id"], "buffer_units": 2, "buffer_percent": 10},
                {"location_id": dc["id"]},
            ]
        },
        headers=admin_headers | {"If-Match": '"v1"'},
    )

    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v2"'
    expected = {
        "channel_id": channel["id"],
        "default_buffer_units": 0,
        "default_buffer_percent": 10,
        "locations": sorted(
            [
                {"location_id": store["id"], "buffer_units": 2, "buffer_percent": 10},
                {"location_id": dc["id"], "buffer_units": None, "buffer_percent": None},
            ],
            key=lambda entry: entry["location_id"],
        ),
    }
    assert response.json() == expected
    assert await pool_of(client, admin_headers, channel["id"]) == expected
    async with database.reader() as session:
        event = await session.scalar(
            select(OutboxEvent).where(
                OutboxEvent.name == "channel.stock_pool_changed",
                OutboxEvent.payload["channel_id"].as_string() == channel["id"],
            )
        )
    assert event is not None
    assert event.payload["location_ids"] == sorted([store["id"], dc["id"]])


async def test_replacing_removes_what_is_not_listed(client, admin_headers):
    channel = await create_channel(client, admin_headers)
    first = await create_location(client, admin_headers)
    second = await create_location(client, admin_headers)
    pool_url = f"{URL}/{channel['id']}/stock-pool"
    await client.put(
        pool_url,
        json={"locations": [{"location_id": first["id"]}, {"location_id": second["id"]}]},
        headers=admin_headers,
    )

    response = await client.put(
        pool_url, json={"locations": [{"location_id": second["id"]}]}, headers=admin_headers
    )
    emptied = await client.put(pool_url, json={"locations": []}, headers=admin_headers)

    assert [e["location_id"] for e in response.json()["locations"]] == [second["id"]]
    assert emptied.json()["locations"] == []
    assert emptied.headers["etag"] == '"v4"'


async def test_an_unchanged_pool_keeps_the_version(client, admin_headers):
    channel = await create_channel(client, admin_headers)
    store = await create_location(client, admin_headers)
    pool_url = f"{URL}/{channel['id']}/stock-pool"
    body = {"locations": [{"location_id": store["id"], "buffer_units": 1}]}
    await client.put(pool_url, json=body, headers=admin_headers)

    again = await client.put(pool_url, json=body, headers=admin_headers)

    assert again.status_code == 200 and again.headers["etag"] == '"v2"'


async def test_a_pool_with_any_bad_location_changes_nothing(client, admin_headers):
    channel = await create_channel(client, admin_headers)
    store = await create_location(client, admin_headers)
    locker = await create_location(client, admin_headers, kind="locker", capabilities=["pickup"])
    pool_url = f"{URL}/{channel['id']}/stock-pool"
    await client.put(
        pool_url, json={"locations": [{"location_id": store["id"]}]}, headers=admin_headers
    )
    before = await pool_of(client, admin_headers, channel["id"])
    unknown = "loc_00000000000000000000000000"

    for entries, message in (
        ([{"location_id": store["id"]}, {"location_id": unknown}], "Unknown locations"),
        ([{"location_id": locker["id"]}], "hold no stock"),
        ([{"location_id": store["id"]}, {"location_id": store["id"]}], "Listed twice"),
    ):
        response = await client.put(pool_url, json={"locations": entries}, headers=admin_headers)
        assert response.status_code == 422, entries
        assert message in response.json()["detail"]
    for entries in (
        [{"location_id": store["id"], "buffer_units": -1}],
        [{"location_id": store["id"], "buffer_percent": 101}],
        [{"location_id": store["id"], "colour": "red"}],
    ):
        response = await client.put(pool_url, json={"locations": entries}, headers=admin_headers)
        assert response.status_code == 422, entries
    assert await pool_of(client, admin_headers, channel["id"]) == before


async def test_a_stale_if_match_changes_nothing(client, admin_headers):
    channel = await create_channel(client, admin_headers)
    store = await create_location(client, admin_headers)
    await client.patch(f"{URL}/{channel['id']}", json={"name": "Renamed"}, headers=admin_headers)

    response = await client.put(
        f"{URL}/{channel['id']}/stock-pool",
        json={"locations": [{"location_id": store["id"]}]},
        headers=admin_headers | {"If-Match": '"v1"'},
    )

    assert response.status_code == 412
    assert (await pool_of(client, admin_headers, channel["id"]))["locations"] == []


async def test_only_admins_replace_pools_and_staff_read_them(
    client, admin_headers, staff_headers, shopper_headers
):
    channel = await create_channel(client, admin_headers)
    store = await create_location(client, admin_headers)
    pool_url = f"{URL}/{channel['id']}/stock-pool"
    body = {"locations": [{"location_id": store["id"]}]}
    _, shopper = await shopper_headers()

    assert (await client.put(pool_url, json=body)).status_code == 401
    for headers in (
        await staff_headers("planner"),
        await staff_headers("store_manager", stores=[store["id"]]),
        shopper,
    ):
        assert (await client.put(pool_url, json=body, headers=headers)).status_code == 403
    assert (await client.get(pool_url)).status_code == 401
    assert (await client.get(pool_url, headers=shopper)).status_code == 403
    planner = await staff_headers("planner")
    assert (await pool_of(client, planner, channel["id"]))["locations"] == []


async def test_pool_of_an_unknown_channel_is_not_found(client, admin_headers):
    pool_url = f"{URL}/chn_00000000000000000000000000/stock-pool"
    assert (await client.get(pool_url, headers=admin_headers)).status_code == 404
    put = await client.put(pool_url, json={"locations": []}, headers=admin_headers)
    assert put.status_code == 404


async def test_concurrent_pool_replacements_from_the_same_version_let_exactly_one_win(
    client, admin_headers
):
    channel = await create_channel(client, admin_headers)
    stores = [await create_location(client, admin_headers) for _ in range(3)]
    pool_url = f"{URL}/{channel['id']}/stock-pool"

    responses = await asyncio.gather(
        *(
            client.put(
                pool_url,
                json={"locations": [{"location_id": store["id"]}]},
                headers=admin_headers | {"If-Match": '"v1"'},
            )
            for store in stores
        )
    )

    assert sorted(r.status_code for r in responses) == [200, 412, 412]
    winner = next(r for r in responses if r.status_code == 200).json()
    assert await pool_of(client, admin_headers, channel["id"]) == winner
