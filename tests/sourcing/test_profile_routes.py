"""Sourcing profiles per channel through the API (ORD4): read the default, set a whole
profile with If-Match, validation as 422 problems, permissions, audit and event."""

import pytest

from tests.catalog.helpers import audit_actions, events_named
from tests.channels.support import create_channel
from tests.inventory.http_support import make_store
from tests.sourcing.support import PROFILES


async def sourcing_audit(database, channel_id):
    return [a for a in await audit_actions(database, channel_id) if a.startswith("sourcing.")]


@pytest.fixture
async def channel(client, admin_headers):
    return (await create_channel(client, admin_headers))["id"]


async def test_a_channel_without_a_profile_reads_the_default(client, admin_headers, channel):
    response = await client.get(f"{PROFILES}/{channel}", headers=admin_headers)
    assert response.status_code == 200, response.text
    profile = response.json()
    assert (profile["is_default"], profile["version"], profile["name"]) == (True, 0, "default")
    assert (profile["max_splits"], profile["allow_partial"]) == (3, False)
    assert profile["excluded_location_ids"] == [] and profile["max_distance_km"] is None
    assert response.headers["ETag"] == '"v0"'


async def test_a_profile_is_set_read_listed_and_reset(client, admin_headers, channel, database):
    store = await make_store(client, admin_headers)
    body = {
        "name": "web-no-splits",
        "max_splits": 1,
        "max_distance_km": 80,
        "excluded_location_ids": [store, store],
        "excluded_kinds": ["warehouse"],
        "split_penalty": 9.5,
    }
    put = await client.put(
        f"{PROFILES}/{channel}", json=body, headers=admin_headers | {"If-Match": '"v0"'}
    )
    assert put.status_code == 200, put.text
    assert put.headers["ETag"] == '"v1"'
    read = (await client.get(f"{PROFILES}/{channel}", headers=admin_headers)).json()
    assert read == put.json()
    assert (read["is_default"], read["version"], read["name"]) == (False, 1, "web-no-splits")
    assert read["excluded_location_ids"] == [store]  # repeated ids collapse
    assert (read["max_splits"], read["split_penalty"], read["depth_weight"]) == (1, 9.5, 1.5)

    listed = await client.get(PROFILES, params={"limit": 500}, headers=admin_headers)
    assert channel in [p["channel_id"] for p in listed.json()["items"]]

    reset = await client.delete(f"{PROFILES}/{channel}", headers=admin_headers)
    assert reset.status_code == 204
    again = (await client.get(f"{PROFILES}/{channel}", headers=admin_headers)).json()
    assert (again["is_default"], again["max_splits"]) == (True, 3)

    assert await sourcing_audit(database, channel) == [
        "sourcing.profile_set",
        "sourcing.profile_reset",
    ]
    events = await events_named(database, "sourcing.profile_changed", channel_id=channel)
    assert [(e["version"], e["reset"]) for e in events] == [(1, False), (0, True)]
    assert "max_splits" in events[0]["changed"] and "name" in events[0]["changed"]


async def test_a_put_leaving_knobs_out_gets_their_defaults_and_the_channel_code(
    client, admin_headers
):
    channel = await create_channel(client, admin_headers)
    first = await client.put(
        f"{PROFILES}/{channel['id']}", json={"allow_partial": True}, headers=admin_headers
    )
    assert first.json()["name"] == channel["code"]
    second = await client.put(
        f"{PROFILES}/{channel['id']}", json={"max_splits": 2}, headers=admin_headers
    )
    assert (second.json()["allow_partial"], second.json()["max_splits"]) == (False, 2)
    assert second.json()["version"] == 2


async def test_a_stale_if_match_is_refused_and_changes_nothing(client, admin_headers, channel):
    await client.put(f"{PROFILES}/{channel}", json={"max_splits": 2}, headers=admin_headers)
    stale = await client.put(
        f"{PROFILES}/{channel}",
        json={"max_splits": 1},
        headers=admin_headers | {"If-Match": '"v0"'},
    )
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"v1"'
    deleted = await client.delete(
        f"{PROFILES}/{channel}", headers=admin_headers | {"If-Match": '"v7"'}
    )
    assert deleted.status_code == 412
    read = (await client.get(f"{PROFILES}/{channel}", headers=admin_headers)).json()
    assert (read["max_splits"], read["version"]) == (2, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"max_splits": 0}, "max_splits"),
        ({"max_splits": 21}, "max_splits"),
        ({"split_penalty": -1}, "split_penalty"),
        ({"max_distance_km": 0}, "max_distance_km"),
        ({"max_distance_km": 50_000}, "max_distance_km"),
        ({"capacity_headroom": 0}, "capacity_headroom"),
        ({"excluded_kinds": ["locker"]}, "excluded_kinds"),
        ({"transfer_delay_hours": 1_000}, "transfer_delay_hours"),
        ({"shortlist_per_line": 40}, "shortlist_per_line"),  # not a channel setting
        ({"excluded_location_ids": ["loc_nowhere"]}, "excluded_location_ids"),
    ],
)
async def test_bad_profiles_are_refused_with_a_problem(
    client, admin_headers, channel, database, body, field
):
    response = await client.put(f"{PROFILES}/{channel}", json=body, headers=admin_headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text
    read = (await client.get(f"{PROFILES}/{channel}", headers=admin_headers)).json()
    assert read["is_default"] is True
    assert await sourcing_audit(database, channel) == []


async def test_an_unknown_channel_is_not_found(client, admin_headers):
    assert (await client.get(f"{PROFILES}/chn_nope", headers=admin_headers)).status_code == 404
    put = await client.put(f"{PROFILES}/chn_nope", json={}, headers=admin_headers)
    assert put.status_code == 404


async def test_planners_set_profiles_analysts_read_them_others_may_not(
    client, staff_headers, channel
):
    planner = await staff_headers("planner")
    analyst = await staff_headers("analyst")
    merchandiser = await staff_headers("merchandiser")
    url = f"{PROFILES}/{channel}"
    assert (await client.put(url, json={"max_splits": 2}, headers=planner)).status_code == 200
    assert (await client.get(url, headers=analyst)).status_code == 200
    assert (await client.put(url, json={"max_splits": 1}, headers=analyst)).status_code == 403
    assert (await client.delete(url, headers=analyst)).status_code == 403
    assert (await client.get(url, headers=merchandiser)).status_code == 403
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=analyst)).json()["max_splits"] == 2
