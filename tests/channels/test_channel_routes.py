"""Creating, reading, listing and changing channels through HTTP."""

from __future__ import annotations

from sqlalchemy import func, select

from omni.channels.models import Channel
from omni.db.platform_models import AuditEntry, OutboxEvent
from tests.channels.support import URL, channel_body, create_channel, create_price_list
from tests.locations.support import create_location


async def count_with_code(database, code: str) -> int:
    async with database.reader() as session:
        return await session.scalar(
            select(func.count()).select_from(Channel).where(Channel.code == code.lower())
        )


async def test_admin_creates_a_web_channel_and_staff_read_it(
    client, database, admin_headers, staff_headers
):
    price_list_id = await create_price_list(database)
    body = channel_body(code="Web-" + channel_body()["code"], price_list_id=price_list_id)

    created = await client.post(URL, json=body, headers=admin_headers)

    assert created.status_code == 201, created.text
    assert created.headers["etag"] == '"v1"'
    channel = created.json()
    assert channel["id"].startswith("chn_")
    assert channel["code"] == body["code"].lower()
    assert channel["fulfillment_methods"] == ["curbside", "pickup", "ship"]
    assert channel["price_list_id"] == price_list_id
    assert (channel["default_buffer_units"], channel["default_buffer_percent"]) == (0, 0)
    merchandiser = await staff_headers("merchandiser")
    fetched = await client.get(f"{URL}/{channel['id']}", headers=merchandiser)
    assert fetched.status_code == 200 and fetched.json() == channel
    assert fetched.headers["etag"] == '"v1"'
    async with database.reader() as session:
        event = await session.scalar(
            select(OutboxEvent).where(
                OutboxEvent.name == "channel.created",
                OutboxEvent.payload["channel_id"].as_string() == channel["id"],
            )
        )
        audit = await session.scalar(
            select(AuditEntry).where(AuditEntry.object_id == channel["id"])
        )
    assert event is not None and audit is not None and audit.action == "channel.created"


async def test_a_pos_channel_belongs_to_one_store_and_offers_carry_out(client, admin_headers):
    store = await create_location(client, admin_headers)
    response = await client.post(
        URL,
        json=channel_body(
            code=f"pos-{store['code'].lower()}",
            kind="pos",
            location_id=store["id"],
            fulfillment_methods=["carry_out", "ship", "pickup"],
        ),
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["location_id"] == store["id"]
    shared = await client.post(
        URL,
        json=channel_body(kind="pos", fulfillment_methods=["carry_out"]),
        headers=admin_headers,
    )
    assert shared.status_code == 201 and shared.json()["location_id"] is None


async def test_invalid_markets_and_methods_are_all_reported_and_nothing_is_created(
    client, database, admin_headers
):
    body = channel_body(
        currency="XYZ", locale="xx-QQ", tax_region="US-XX", fulfillment_methods=["carry_out"]
    )

    response = await client.post(URL, json=body, headers=admin_headers)

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "currency",
        "locale",
        "tax_region",
        "fulfillment_methods",
    }
    assert await count_with_code(database, body["code"]) == 0


async def test_store_and_price_list_references_are_checked(client, database, admin_headers):
    warehouse = await create_location(
        client, admin_headers, kind="warehouse", capabilities=["ship_to_customer"]
    )
    store = await create_location(client, admin_headers)
    cases = [
        (channel_body(location_id=store["id"]), "only POS"),
        (
            channel_body(kind="pos", location_id=warehouse["id"], fulfillment_methods=["ship"]),
            "store",
        ),
        (
            channel_body(
                kind="pos",
                location_id="loc_00000000000000000000000000",
                fulfillment_methods=["ship"],
            ),
            "unknown location",
        ),
        (channel_body(price_list_id="prl_00000000000000000000000000"), "unknown price list"),
    ]

    for body, message in cases:
        response = await client.post(URL, json=body, headers=admin_headers)
        assert response.status_code == 422, body
        assert message in response.json()["detail"]
        assert await count_with_code(database, body["code"]) == 0


async def test_a_code_is_unique_whatever_its_case(client, database, admin_headers):
    channel = await create_channel(client, admin_headers)
    again = await client.post(
        URL, json=channel_body(code=channel["code"].upper()), headers=admin_headers
    )
    assert again.status_code == 409
    assert await count_with_code(database, channel["code"]) == 1


async def test_malformed_bodies_are_refused(client, database, admin_headers):
    for body in (
        channel_body(colour="blue"),
        channel_body(kind="fax"),
        channel_body(fulfillment_methods=[]),
        channel_body(default_buffer_percent=101),
        channel_body(code="not a slug"),
    ):
        response = await client.post(URL, json=body, headers=admin_headers)
        assert response.status_code == 422, body
        assert await count_with_code(database, body["code"]) == 0


async def test_only_admins_write_channels_and_staff_read_them(
    client, database, admin_headers, staff_headers, shopper_headers
):
    channel = await create_channel(client, admin_headers)
    body = channel_body()
    _, shopper = await shopper_headers()
    not_admins = [
        await staff_headers("merchandiser"),
        await staff_headers("planner"),
        await staff_headers("store_manager", stores=["loc_any"]),
        shopper,
    ]
    one = f"{URL}/{channel['id']}"

    assert (await client.post(URL, json=body)).status_code == 401
    assert (await client.patch(one, json={"name": "X"})).status_code == 401
    for headers in not_admins:
        assert (await client.post(URL, json=body, headers=headers)).status_code == 403
        assert (await client.patch(one, json={"name": "X"}, headers=headers)).status_code == 403
    assert await count_with_code(database, body["code"]) == 0
    assert (await client.get(one, headers=admin_headers)).json()["name"] == channel["name"]
    assert (await client.get(URL)).status_code == 401
    assert (await client.get(one, headers=shopper)).status_code == 403
    associate = await staff_headers("associate", stores=["loc_any"])
    assert (await client.get(one, headers=associate)).status_code == 200


async def test_admin_changes_a_channel_with_if_match(client, database, admin_headers):
    channel = await create_channel(client, admin_headers)
    one = f"{URL}/{channel['id']}"

    changed = await client.patch(
        one,
        json={"locale": "es_us", "fulfillment_methods": ["ship"], "default_buffer_units": 2},
        headers=admin_headers | {"If-Match": '"v1"'},
    )
    stale = await client.patch(
        one, json={"name": "Too late"}, headers=admin_headers | {"If-Match": '"v1"'}
    )

    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"v2"'
    assert changed.json()["locale"] == "es-US"
    assert changed.json()["fulfillment_methods"] == ["ship"]
    assert stale.status_code == 412
    current = (await client.get(one, headers=admin_headers)).json()
    assert current["name"] == channel["name"] and current["version"] == 2
    async with database.reader() as session:
        event = await session.scalar(
            select(OutboxEvent).where(
                OutboxEvent.name == "channel.updated",
                OutboxEvent.payload["channel_id"].as_string() == channel["id"],
            )
        )
    assert event is not None
    assert event.payload["fields"] == ["default_buffer_units", "fulfillment_methods", "locale"]


async def test_invalid_changes_change_nothing(client, admin_headers):
    channel = await create_channel(client, admin_headers)
    one = f"{URL}/{channel['id']}"
    for body in (
        {"fulfillment_methods": ["carry_out"]},
        {"currency": "ABC"},
        {"price_list_id": "prl_00000000000000000000000000"},
        {"code": "renamed"},
        {"kind": "app"},
    ):
        response = await client.patch(one, json=body, headers=admin_headers)
        assert response.status_code == 422, body
    assert (await client.get(one, headers=admin_headers)).json() == channel


async def test_unknown_channels_are_not_found(client, admin_headers):
    unknown = f"{URL}/chn_00000000000000000000000000"
    assert (await client.get(unknown, headers=admin_headers)).status_code == 404
    patched = await client.patch(unknown, json={"name": "X"}, headers=admin_headers)
    assert patched.status_code == 404


async def test_list_filters_and_pages(client, admin_headers):
    store = await create_location(client, admin_headers)
    tag = channel_body()["code"]
    first = await create_channel(client, admin_headers, code=f"{tag}-a")
    second = await create_channel(client, admin_headers, code=f"{tag}-b", active=False)
    pos = await create_channel(
        client,
        admin_headers,
        code=f"{tag}-pos",
        kind="pos",
        location_id=store["id"],
        fulfillment_methods=["carry_out"],
    )

    async def ids(**params) -> list[str]:
        response = await client.get(URL, params={"q": tag, **params}, headers=admin_headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids() == [first["id"], second["id"], pos["id"]]
    assert await ids(kind="pos") == [pos["id"]]
    assert await ids(active="false") == [second["id"]]
    assert await ids(location_id=store["id"]) == [pos["id"]]
    page = await client.get(URL, params={"q": tag, "limit": 2}, headers=admin_headers)
    rest = await client.get(
        URL,
        params={"q": tag, "limit": 2, "cursor": page.json()["next_cursor"]},
        headers=admin_headers,
    )
    assert [c["id"] for c in page.json()["items"] + rest.json()["items"]] == await ids()


async def test_storefronts_read_their_public_channel_by_code(client, admin_headers):
    channel = await create_channel(client, admin_headers, default_buffer_units=3)
    inactive = await create_channel(client, admin_headers, active=False)

    response = await client.get(f"{URL}/public/{channel['code'].upper()}")

    assert response.status_code == 200
    assert response.json() == {
        "id": channel["id"],
        "code": channel["code"],
        "kind": "web",
        "currency": "USD",
        "locale": "en-US",
        "fulfillment_methods": ["curbside", "pickup", "ship"],
    }
    assert (await client.get(f"{URL}/public/{inactive['code']}")).status_code == 404
    assert (await client.get(f"{URL}/public/no-such-channel")).status_code == 404


async def test_a_patch_that_changes_nothing_keeps_the_version(client, admin_headers):
    channel = await create_channel(client, admin_headers)
    response = await client.patch(
        f"{URL}/{channel['id']}",
        json={"name": channel["name"], "locale": "en_US"},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v1"'
    assert response.json() == channel
