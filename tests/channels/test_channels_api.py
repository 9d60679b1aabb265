"""What other modules call: channel_exists, get_channel, channel_by_code."""

from __future__ import annotations

from omni.channels import api
from tests.channels.support import URL, create_channel
from tests.locations.support import create_location


async def test_channel_lookups_with_effective_pool_buffers(client, database, admin_headers):
    channel = await create_channel(
        client, admin_headers, default_buffer_units=2, default_buffer_percent=10
    )
    store = await create_location(client, admin_headers)
    dc = await create_location(
        client, admin_headers, kind="warehouse", capabilities=["ship_to_customer"]
    )
    await client.put(
        f"{URL}/{channel['id']}/stock-pool",
        json={
            "locations": [
                {"location_id": store["id"]},
                {"location_id": dc["id"], "buffer_units": 0, "buffer_percent": 0},
            ]
        },
        headers=admin_headers,
    )

    async with database.reader() as session:
        assert await api.channel_exists(session, channel["id"])
        assert not await api.channel_exists(session, "chn_00000000000000000000000000")
        info = await api.get_channel(session, channel["id"])
        by_code = await api.channel_by_code(session, channel["code"].upper())
        missing = await api.get_channel(session, "chn_00000000000000000000000000")
        missing_code = await api.channel_by_code(session, "no-such-channel")

    assert info is not None and by_code == info
    assert (info.code, info.kind, info.currency, info.locale, info.tax_region) == (
        channel["code"],
        "web",
        "USD",
        "en-US",
        "US-NY",
    )
    assert info.fulfillment_methods == frozenset({"ship", "pickup", "curbside"})
    assert set(info.pool) == {
        api.PoolEntry(store["id"], 2, 10),
        api.PoolEntry(dc["id"], 0, 0),
    }
    assert missing is None and missing_code is None
