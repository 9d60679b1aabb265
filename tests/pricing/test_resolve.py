"""Price resolution through HTTP (public for the storefront) and through pricing.api."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from omni.pricing import api as pricing_api
from tests.pricing.helpers import RESOLVE, create_list, put_prices, variants


async def _resolve(client, headers=None, **params):  # type: ignore[no-untyped-def]
    response = await client.get(
        RESOLVE, params={"currency": "USD", **params}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    return response.json()["prices"]


async def test_a_shopper_gets_the_price_of_a_live_variant_on_their_channel(
    client, merch, channel_id, shopper_headers
):
    [tee] = await variants(client, merch, channel_id=channel_id)
    base = await create_list(client, merch, prices_include_tax=True)
    await put_prices(
        client,
        merch,
        base["id"],
        [
            {"variant_id": tee, "amount": 2500, "compare_at_amount": 3000},
            {"variant_id": tee, "min_quantity": 3, "amount": 2200},
        ],
    )
    _, shopper = await shopper_headers()
    for headers in ({}, shopper):
        one = await _resolve(client, headers, variant_ids=tee, channel_id=channel_id)
        assert one[tee]["unit_amount"] == 2500
        assert one[tee]["compare_at_unit_amount"] == 3000
        assert one[tee]["price_list_id"] == base["id"]
        assert one[tee]["prices_include_tax"] is True
    three = await _resolve(client, variant_ids=tee, channel_id=channel_id, quantity=3)
    assert (three[tee]["unit_amount"], three[tee]["line_amount"]) == (2200, 6600)
    assert three[tee]["compare_at_line_amount"] is None


async def test_storefront_callers_get_no_price_for_hidden_variants(client, merch, channel_id):
    [live] = await variants(client, merch, channel_id=channel_id)
    [draft] = await variants(client, merch, status="draft", channel_id=channel_id)
    [unpublished] = await variants(client, merch)
    base = await create_list(client, merch)
    rows = [{"variant_id": v, "amount": 1000} for v in (live, draft, unpublished)]
    await put_prices(client, merch, base["id"], rows)
    ids = f"{live},{draft},{unpublished},var_missing"

    public = await _resolve(client, variant_ids=ids, channel_id=channel_id)
    assert public[live]["unit_amount"] == 1000
    assert public[draft] is None
    assert public[unpublished] is None
    assert public["var_missing"] is None

    staff = await _resolve(client, merch, variant_ids=ids, channel_id=channel_id)
    assert {v for v, p in staff.items() if p} == {live, draft, unpublished}


async def test_the_channel_list_wins_on_its_channel_only(client, merch, channel_id, admin_headers):
    from tests.catalog.channels import make_channel

    other_channel = await make_channel(client, admin_headers)
    [tee] = await variants(client, merch, channel_id=channel_id)
    base = await create_list(client, merch)
    web = await create_list(client, merch, channel_ids=[channel_id])
    await put_prices(client, merch, base["id"], [{"variant_id": tee, "amount": 2000}])
    await put_prices(client, merch, web["id"], [{"variant_id": tee, "amount": 2100}])
    on_web = await _resolve(client, merch, variant_ids=tee, channel_id=channel_id)
    elsewhere = await _resolve(client, merch, variant_ids=tee, channel_id=other_channel)
    assert on_web[tee]["price_list_id"] == web["id"]
    assert elsewhere[tee]["price_list_id"] == base["id"]


async def test_staff_may_price_for_a_segment_tier_or_time(client, merch, analyst):
    [tee] = await variants(client, merch)
    base = await create_list(client, merch)
    vip = await create_list(client, merch, customer_segment="vip")
    gold = await create_list(client, merch, loyalty_tier="gold", priority=1)
    later = datetime.now(UTC) + timedelta(days=30)
    sale = await create_list(
        client,
        merch,
        priority=50,
        valid_from=later.isoformat(),
        valid_to=(later + timedelta(days=1)).isoformat(),
    )
    for price_list, amount in ((base, 2000), (vip, 1800), (gold, 1700), (sale, 1000)):
        await put_prices(client, merch, price_list["id"], [{"variant_id": tee, "amount": amount}])

    assert (await _resolve(client, analyst, variant_ids=tee))[tee]["unit_amount"] == 2000
    assert (await _resolve(client, analyst, variant_ids=tee, segment="vip"))[tee][
        "unit_amount"
    ] == 1800
    both = await _resolve(client, analyst, variant_ids=tee, segment="vip", loyalty_tier="gold")
    assert both[tee]["unit_amount"] == 1700
    at_sale = await _resolve(
        client, analyst, variant_ids=tee, at=(later + timedelta(hours=1)).isoformat()
    )
    assert at_sale[tee]["unit_amount"] == 1000


async def test_shoppers_cannot_claim_a_segment_tier_or_time(client, shopper_headers):
    _, shopper = await shopper_headers()
    for params in ({"segment": "vip"}, {"loyalty_tier": "gold"}, {"at": "2030-01-01T00:00:00Z"}):
        for headers in ({}, shopper):
            response = await client.get(
                RESOLVE,
                params={"currency": "USD", "variant_ids": "var_x", **params},
                headers=headers,
            )
            assert response.status_code == 403, (params, response.text)


async def test_malformed_resolve_requests_are_refused(client, merch):
    cases = [
        {"currency": "XYZ", "variant_ids": "var_x"},
        {"currency": "USD", "variant_ids": ","},
        {"currency": "USD", "variant_ids": ",".join(f"var_{n}" for n in range(101))},
        {"currency": "USD", "variant_ids": "var_x", "quantity": 0},
        {"currency": "USD", "variant_ids": "var_x", "channel_id": "chn_missing"},
        {"currency": "USD"},
        {"variant_ids": "var_x"},
    ]
    for params in cases:
        response = await client.get(RESOLVE, params=params, headers=merch)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    naive = await client.get(
        RESOLVE,
        params={"currency": "USD", "variant_ids": "var_x", "at": "2030-01-01T00:00:00"},
        headers=merch,
    )
    assert naive.status_code == 422


async def test_resolve_prices_uses_one_query_for_many_variants(client, merch, database):
    ids = await variants(client, merch, 5)
    base = await create_list(client, merch)
    tiered = await create_list(client, merch, priority=1)
    await put_prices(
        client,
        merch,
        base["id"],
        [{"variant_id": v, "amount": 1000 + n} for n, v in enumerate(ids)],
    )
    await put_prices(
        client, merch, tiered["id"], [{"variant_id": ids[0], "min_quantity": 2, "amount": 900}]
    )
    statements: list[str] = []
    context = pricing_api.PricingContext(currency="USD", at=datetime.now(UTC), quantity=2)
    async with database.reader() as session:
        mine = (await session.connection()).sync_connection

        def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if conn is mine:  # not the background dispatcher's queries
                statements.append(statement)

        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            resolved = await pricing_api.resolve_prices(session, [*ids, "var_missing"], context)
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert resolved["var_missing"] is None
    assert resolved[ids[0]] is not None and resolved[ids[0]].unit_amount == 900
    assert [resolved[v].unit_amount for v in ids[1:]] == [1001, 1002, 1003, 1004]  # type: ignore[union-attr]
    assert resolved[ids[1]].line_amount == 2002  # type: ignore[union-attr]


async def test_inactive_lists_and_other_currencies_do_not_price(client, merch, database):
    [tee] = await variants(client, merch)
    off = await create_list(client, merch, active=False, priority=100)
    eur = await create_list(client, merch, currency="EUR")
    await put_prices(client, merch, off["id"], [{"variant_id": tee, "amount": 1}])
    await put_prices(client, merch, eur["id"], [{"variant_id": tee, "amount": 1500}])
    assert (await _resolve(client, merch, variant_ids=tee))[tee] is None
    in_eur = await _resolve(client, merch, variant_ids=tee, currency="EUR")
    assert (in_eur[tee]["currency"], in_eur[tee]["unit_amount"]) == ("EUR", 1500)
    async with database.reader() as session:
        assert await pricing_api.price_list_exists(session, off["id"])
        assert not await pricing_api.price_list_exists(session, "prl_missing")
