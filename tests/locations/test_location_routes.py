"""Creating, reading and listing locations through HTTP."""

from __future__ import annotations

from sqlalchemy import func, select

from omni.db.platform_models import AuditEntry, OutboxEvent
from omni.locations.models import Location
from tests.locations.support import create_location, location_body, unique_code

URL = "/api/v1/locations"


async def count_with_code(database, code: str) -> int:
    async with database.reader() as session:
        return await session.scalar(
            select(func.count()).select_from(Location).where(Location.code == code.upper())
        )


async def test_planner_creates_a_store_and_reads_it_back(client, database, staff_headers):
    planner = await staff_headers("planner")
    body = location_body(code="soho-" + unique_code())

    created = await client.post(URL, json=body, headers=planner)

    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"v1"'
    location = created.json()
    assert location["id"].startswith("loc_")
    assert location["code"] == body["code"].upper()
    assert location["phone"] == "+12122263126"
    assert location["opening_hours"]["sun"] == [["11:00", "18:00"]]
    assert location["capacity"]["orders_per_day"] == 200
    fetched = await client.get(f"{URL}/{location['id']}", headers=planner)
    assert fetched.status_code == 200
    assert fetched.headers["etag"] == '"v1"'
    assert fetched.json() == location
    async with database.reader() as session:
        event = await session.scalar(
            select(OutboxEvent).where(
                OutboxEvent.name == "location.created",
                OutboxEvent.payload["location_id"].as_string() == location["id"],
            )
        )
        audit = await session.scalar(
            select(AuditEntry).where(AuditEntry.object_id == location["id"])
        )
    assert event is not None and event.payload["code"] == location["code"]
    assert audit is not None and audit.action == "location.created"


async def test_a_code_is_unique_whatever_its_case(client, database, admin_headers):
    code = unique_code()
    await create_location(client, admin_headers, code=code)

    again = await client.post(URL, json=location_body(code=code.lower()), headers=admin_headers)

    assert again.status_code == 409
    assert again.json()["field"] == "code"
    assert await count_with_code(database, code) == 1


async def test_invalid_values_are_all_reported_and_nothing_is_created(
    client, database, admin_headers
):
    body = location_body(
        address=location_body()["address"] | {"country": "ZZ"},
        time_zone="Mars/Olympus_Mons",
        phone="12345",
    )

    response = await client.post(URL, json=body, headers=admin_headers)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} == {
        "address.country",
        "time_zone",
        "phone",
    }
    assert await count_with_code(database, body["code"]) == 0


async def test_a_locker_cannot_sell_in_store(client, database, admin_headers):
    body = location_body(kind="locker", capabilities=["pickup", "sell_in_store"])

    response = await client.post(URL, json=body, headers=admin_headers)

    assert response.status_code == 422
    assert response.json()["field"] == "capabilities"
    assert "sell_in_store" in response.json()["detail"]
    assert await count_with_code(database, body["code"]) == 0


async def test_a_warehouse_cannot_offer_curbside(client, database, admin_headers):
    body = location_body(kind="warehouse", capabilities=["ship_to_customer", "curbside"])

    response = await client.post(URL, json=body, headers=admin_headers)

    assert response.status_code == 422
    assert response.json()["field"] == "capabilities"
    assert await count_with_code(database, body["code"]) == 0


async def test_overlapping_hours_are_refused(client, database, admin_headers):
    body = location_body(opening_hours={"fri": [["20:00", "04:00"]], "sat": [["03:00", "12:00"]]})

    response = await client.post(URL, json=body, headers=admin_headers)

    assert response.status_code == 422
    assert response.json()["field"] == "opening_hours"
    assert await count_with_code(database, body["code"]) == 0


async def test_malformed_bodies_are_refused(client, database, admin_headers):
    unknown_field = location_body(colour="green")
    bad_latitude = location_body(latitude=91)
    bad_kind = location_body(kind="castle")
    bad_day = location_body(special_days={"someday": []})

    for body in (unknown_field, bad_latitude, bad_kind, bad_day):
        response = await client.post(URL, json=body, headers=admin_headers)
        assert response.status_code == 422, body
        assert response.json()["code"] == "validation_failed"
        assert await count_with_code(database, body["code"]) == 0


async def test_only_location_writers_create_locations(
    client, database, staff_headers, shopper_headers
):
    body = location_body()
    _, shopper = await shopper_headers()
    callers = {
        401: [{}],
        403: [
            await staff_headers("merchandiser"),
            await staff_headers("associate", stores=["loc_any"]),
            await staff_headers("store_manager", stores=["loc_any"]),
            shopper,
        ],
    }

    for status, headers_list in callers.items():
        for headers in headers_list:
            response = await client.post(URL, json=body, headers=headers)
            assert response.status_code == status
    assert await count_with_code(database, body["code"]) == 0


async def test_reading_needs_the_locations_read_permission(
    client, admin_headers, staff_headers, shopper_headers
):
    location = await create_location(client, admin_headers)
    _, shopper = await shopper_headers()
    one = f"{URL}/{location['id']}"

    assert (await client.get(URL)).status_code == 401
    assert (await client.get(one)).status_code == 401
    assert (await client.get(URL, headers=shopper)).status_code == 403
    assert (await client.get(one, headers=shopper)).status_code == 403
    associate = await staff_headers("associate", stores=[location["id"]])
    assert (await client.get(one, headers=associate)).status_code == 200


async def test_an_unknown_location_is_not_found(client, admin_headers):
    response = await client.get(f"{URL}/loc_00000000000000000000000000", headers=admin_headers)
    assert response.status_code == 404


async def test_list_filters_by_kind_status_capability_metro_country_and_text(client, admin_headers):
    metro = unique_code("METRO")
    store = await create_location(client, admin_headers, metro=metro, name="Omni Flatiron")
    warehouse = await create_location(
        client,
        admin_headers,
        metro=metro,
        kind="warehouse",
        name="Omni DC East",
        capabilities=["ship_to_customer"],
        address=location_body()["address"] | {"city": "Secaucus"},
    )
    closed = await create_location(
        client,
        admin_headers,
        metro=metro,
        status="inactive",
        capabilities=["sell_in_store"],
        address=location_body()["address"] | {"country": "CA", "city": "Toronto"},
        phone=None,
        time_zone="America/Toronto",
    )

    async def ids(**params: str) -> set[str]:
        response = await client.get(URL, params={"metro": metro, **params}, headers=admin_headers)
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await ids() == {store["id"], warehouse["id"], closed["id"]}
    assert await ids(kind="warehouse") == {warehouse["id"]}
    assert await ids(status="inactive") == {closed["id"]}
    assert await ids(capability="curbside") == {store["id"]}
    assert await ids(country="ca") == {closed["id"]}
    assert await ids(q="flatiron") == {store["id"]}
    assert await ids(q="secaucus") == {warehouse["id"]}
    assert await ids(q="100%") == set()
    bad = await client.get(URL, params={"capability": "teleport"}, headers=admin_headers)
    assert bad.status_code == 422


async def test_lists_page_by_cursor_without_repeats(client, admin_headers):
    metro = unique_code("METRO")
    created = {(await create_location(client, admin_headers, metro=metro))["id"] for _ in range(3)}

    first = await client.get(URL, params={"metro": metro, "limit": 2}, headers=admin_headers)
    cursor = first.json()["next_cursor"]
    second = await client.get(
        URL, params={"metro": metro, "limit": 2, "cursor": cursor}, headers=admin_headers
    )

    assert len(first.json()["items"]) == 2 and cursor
    assert second.json()["next_cursor"] is None
    seen = [item["id"] for item in first.json()["items"] + second.json()["items"]]
    assert sorted(seen) == sorted(created)
    broken = await client.get(URL, params={"cursor": "not-a-cursor"}, headers=admin_headers)
    assert broken.status_code == 422
