"""Nearest locations, the shoppers' store finder, and "is it open?"."""

from __future__ import annotations

from tests.locations.support import create_location, random_area, unique_code

URL = "/api/v1/locations"
PUBLIC_URL = "/api/v1/locations/public"


def near(lat: float, lon: float) -> str:
    return f"{lat},{lon}"


async def test_near_returns_the_nearest_within_the_radius_sorted_by_distance(client, admin_headers):
    lat, lon = random_area()
    # ~1.1 km, ~5.6 km and ~33 km north of the point (0.01° of latitude ≈ 1.11 km).
    one = await create_location(client, admin_headers, latitude=lat + 0.01, longitude=lon)
    five = await create_location(client, admin_headers, latitude=lat + 0.05, longitude=lon)
    far = await create_location(client, admin_headers, latitude=lat + 0.3, longitude=lon)

    response = await client.get(
        URL, params={"near": near(lat, lon), "radius_km": 10}, headers=admin_headers
    )

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["id"] for item in items] == [one["id"], five["id"]]
    assert 1.0 < items[0]["distance_km"] < 1.2
    assert 5.4 < items[1]["distance_km"] < 5.8
    assert response.json()["next_cursor"] is None
    wider = await client.get(
        URL, params={"near": near(lat, lon), "radius_km": 50, "limit": 2}, headers=admin_headers
    )
    assert [item["id"] for item in wider.json()["items"]] == [one["id"], five["id"]]
    everything = await client.get(
        URL, params={"near": near(lat, lon), "radius_km": 50}, headers=admin_headers
    )
    assert far["id"] in {item["id"] for item in everything.json()["items"]}


async def test_near_combines_with_filters(client, admin_headers):
    lat, lon = random_area()
    await create_location(client, admin_headers, latitude=lat, longitude=lon)
    locker = await create_location(
        client,
        admin_headers,
        kind="locker",
        capabilities=["pickup"],
        latitude=lat + 0.02,
        longitude=lon,
    )
    response = await client.get(
        URL, params={"near": near(lat, lon), "kind": "locker"}, headers=admin_headers
    )
    assert [item["id"] for item in response.json()["items"]] == [locker["id"]]


async def test_bad_near_queries_are_refused(client, admin_headers):
    for params in (
        {"near": "somewhere"},
        {"near": "91,0"},
        {"near": "40,-74", "radius_km": 0},
        {"near": "40,-74", "cursor": "IjEi"},
    ):
        response = await client.get(URL, params=params, headers=admin_headers)
        assert response.status_code == 422, params


async def test_shoppers_find_active_stores_and_pickup_points_without_internal_fields(
    client, admin_headers
):
    lat, lon = random_area()
    store = await create_location(client, admin_headers, latitude=lat, longitude=lon)
    locker = await create_location(
        client,
        admin_headers,
        kind="locker",
        capabilities=["pickup"],
        latitude=lat + 0.01,
        longitude=lon,
    )
    await create_location(
        client,
        admin_headers,
        kind="warehouse",
        capabilities=["ship_to_customer"],
        latitude=lat,
        longitude=lon + 0.01,
    )
    await create_location(client, admin_headers, status="inactive", latitude=lat, longitude=lon)
    await create_location(client, admin_headers, status="opening_soon", latitude=lat, longitude=lon)

    response = await client.get(PUBLIC_URL, params={"near": near(lat, lon)})

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [item["id"] for item in items] == [store["id"], locker["id"]]
    assert set(items[0]) == {
        "id",
        "name",
        "kind",
        "address",
        "phone",
        "latitude",
        "longitude",
        "time_zone",
        "opening_hours",
        "special_days",
        "distance_km",
    }
    lockers = await client.get(PUBLIC_URL, params={"near": near(lat, lon), "kind": "locker"})
    assert [item["id"] for item in lockers.json()["items"]] == [locker["id"]]
    curbside = await client.get(
        PUBLIC_URL, params={"near": near(lat, lon), "capability": "curbside"}
    )
    assert [item["id"] for item in curbside.json()["items"]] == [store["id"]]


async def test_shoppers_cannot_ask_for_warehouses(client):
    response = await client.get(PUBLIC_URL, params={"kind": "warehouse"})
    assert response.status_code == 422


async def test_public_list_pages_by_cursor_within_a_metro(client, admin_headers, shopper_headers):
    metro = unique_code("METRO")
    ids = {(await create_location(client, admin_headers, metro=metro))["id"] for _ in range(3)}
    _, shopper = await shopper_headers()

    first = await client.get(PUBLIC_URL, params={"metro": metro, "limit": 2}, headers=shopper)
    second = await client.get(
        PUBLIC_URL,
        params={"metro": metro, "limit": 2, "cursor": first.json()["next_cursor"]},
        headers=shopper,
    )

    seen = [item["id"] for item in first.json()["items"] + second.json()["items"]]
    assert sorted(seen) == sorted(ids)


async def test_open_now_until_when_and_next_opening_in_local_time(client, admin_headers):
    location = await create_location(client, admin_headers)
    one = f"{URL}/{location['id']}/open"

    # Monday 2025-06-02 10:00 EDT: open until 21:00.
    monday = await client.get(one, params={"at": "2025-06-02T14:00:00Z"}, headers=admin_headers)
    # Sunday 2025-06-01 20:00 EDT: closed since 18:00, opens Monday 09:00.
    sunday = await client.get(one, params={"at": "2025-06-02T00:00:00Z"}, headers=admin_headers)

    assert monday.status_code == 200, monday.text
    assert monday.json()["open"] is True
    assert monday.json()["at"] == "2025-06-02T10:00:00-04:00"
    assert monday.json()["closes_at"] == "2025-06-02T21:00:00-04:00"
    assert sunday.json()["open"] is False
    assert sunday.json()["closes_at"] is None
    assert sunday.json()["next_opening"] == "2025-06-02T09:00:00-04:00"


async def test_open_check_across_spring_forward(client, admin_headers):
    location = await create_location(
        client, admin_headers, opening_hours={"sat": [["18:00", "02:00"]]}
    )
    one = f"{URL}/{location['id']}/open"

    before_jump = await client.get(
        one, params={"at": "2024-03-10T01:59:00-05:00"}, headers=admin_headers
    )
    after_jump = await client.get(
        one, params={"at": "2024-03-10T03:00:00-04:00"}, headers=admin_headers
    )

    assert before_jump.json()["open"] is True
    assert before_jump.json()["closes_at"] == "2024-03-10T03:00:00-04:00"
    assert after_jump.json()["open"] is False
    assert after_jump.json()["next_opening"] == "2024-03-16T18:00:00-04:00"


async def test_an_inactive_location_is_never_open(client, admin_headers):
    location = await create_location(client, admin_headers, status="inactive")
    response = await client.get(
        f"{URL}/{location['id']}/open",
        params={"at": "2025-06-02T14:00:00Z"},
        headers=admin_headers,
    )
    assert response.json() | {"at": None} == {
        "location_id": location["id"],
        "at": None,
        "time_zone": "America/New_York",
        "open": False,
        "closes_at": None,
        "next_opening": None,
    }


async def test_open_check_needs_an_offset_a_known_location_and_read_access(client, admin_headers):
    location = await create_location(client, admin_headers)
    one = f"{URL}/{location['id']}/open"

    naive = await client.get(one, params={"at": "2025-06-02T10:00:00"}, headers=admin_headers)
    unknown = await client.get(f"{URL}/loc_00000000000000000000000000/open", headers=admin_headers)
    anonymous = await client.get(one)

    assert naive.status_code == 422 and naive.json()["param"] == "at"
    assert unknown.status_code == 404
    assert anonymous.status_code == 401


async def test_open_check_defaults_to_now(client, admin_headers):
    location = await create_location(
        client,
        admin_headers,
        opening_hours={
            day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    )
    response = await client.get(f"{URL}/{location['id']}/open", headers=admin_headers)
    assert response.status_code == 200
    assert response.json()["open"] is True
