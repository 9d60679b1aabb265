"""The dry run: a basket of variant ids and quantities, priced by the server, discounted
by the engine with the stored promotions and coupon usage — exactly as checkout will."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omni.promotions import api
from tests.catalog.helpers import CATEGORIES, create_product, unique, unique_sku
from tests.pricing.helpers import create_list, put_prices, variants
from tests.promotions.helpers import (
    EVALUATE,
    add_coupon,
    coupon_promotion,
    create_promotion,
    percent_off,
)


@dataclass
class Shop:
    channel_id: str
    shirt: str  # $25.00
    socks: str  # $5.00


async def open_shop(client, merch, channel_id) -> Shop:  # type: ignore[no-untyped-def]
    shirt, socks = await variants(client, merch, 2)
    price_list = await create_list(client, merch, channel_ids=[channel_id])
    await put_prices(
        client,
        merch,
        price_list["id"],
        [{"variant_id": shirt, "amount": 2500}, {"variant_id": socks, "amount": 500}],
    )
    return Shop(channel_id, shirt, socks)


async def dry_run(client, headers, shop: Shop, **fields: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    body = {
        "channel_id": shop.channel_id,
        "lines": [
            {"variant_id": shop.shirt, "quantity": 2},
            {"variant_id": shop.socks, "quantity": 3},
        ],
        **fields,
    }
    response = await client.post(EVALUATE, json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_the_dry_run_prices_on_the_server_and_applies_promotions_and_codes(
    client, merch, analyst, channel_id
):
    shop = await open_shop(client, merch, channel_id)
    shirts = await create_promotion(
        client,
        merch,
        channel_id,
        name="20% off shirts",
        benefit=percent_off("20", variant_ids=[shop.shirt]),
        priority=10,
    )
    socks = await create_promotion(
        client,
        merch,
        channel_id,
        name="Socks 3 for 2",
        benefit={
            "kind": "buy_x_get_y",
            "buy_quantity": 2,
            "get_quantity": 1,
            "buy_target": {"variant_ids": [shop.socks]},
        },
    )
    welcome = await coupon_promotion(
        client,
        merch,
        name="$10 off",
        currency="USD",
        benefit={"kind": "amount_off", "amount": 1000},
    )
    code = (await add_coupon(client, merch, welcome["id"]))["code"]
    free_ship = await coupon_promotion(
        client, merch, benefit={"kind": "free_shipping"}, stacking="exclusive"
    )
    ship_code = (await add_coupon(client, merch, free_ship["id"]))["code"]

    result = await dry_run(
        client, analyst, shop, coupon_codes=[code.lower(), ship_code, "BOGUS"], shipping=895
    )

    assert (result["currency"], result["channel_id"]) == ("USD", channel_id)
    assert result["subtotal"] == 2 * 2500 + 3 * 500
    assert [line["unit_price"] for line in result["lines"]] == [2500, 500]
    applied = {p["promotion_id"]: p["amount"] for p in result["applied"]}
    # 20 % of $50.00, one pair free, then $10.00 off what is left ($40 + $10 = $50).
    assert applied == {shirts["id"]: 1000, socks["id"]: 500, welcome["id"]: 1000}
    assert result["discount_total"] == 2500 and result["total"] == 6500 - 2500 + 895
    rejected = {c["code"]: c["reason"] for c in result["rejected_coupons"]}
    assert rejected == {ship_code: "not_combinable", "BOGUS": "unknown"}


async def test_clients_cannot_send_prices_and_bad_lines_are_named(
    client, merch, analyst, channel_id
):
    shop = await open_shop(client, merch, channel_id)
    [unpriced] = await variants(client, merch)
    priced_line = {"variant_id": shop.shirt, "quantity": 1, "unit_price": 1}
    sent_price = await client.post(
        EVALUATE, json={"channel_id": channel_id, "lines": [priced_line]}, headers=analyst
    )
    assert sent_price.status_code == 422
    response = await client.post(
        EVALUATE,
        json={
            "channel_id": channel_id,
            "lines": [
                {"variant_id": shop.shirt, "quantity": 1},
                {"variant_id": "var_missing", "quantity": 1},
                {"variant_id": unpriced, "quantity": 1},
            ],
        },
        headers=analyst,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "lines.1.variant_id",
        "lines.2.variant_id",
    ]
    unknown_channel = await client.post(
        EVALUATE,
        json={"channel_id": "chn_missing", "lines": [{"variant_id": shop.shirt, "quantity": 1}]},
        headers=analyst,
    )
    assert unknown_channel.status_code == 422
    assert unknown_channel.json()["field"] == "channel_id"


async def test_a_category_promotion_covers_products_in_its_subcategories(
    client, merch, analyst, channel_id
):
    tops = (await client.post(CATEGORIES, json={"name": unique("Tops")}, headers=merch)).json()
    tees = (
        await client.post(
            CATEGORIES, json={"name": unique("Tees"), "parent_id": tops["id"]}, headers=merch
        )
    ).json()
    product = await create_product(
        client,
        merch,
        status="active",
        category_ids=[tees["id"]],
        option_names=["size"],
        variants=[{"sku": unique_sku(), "option_values": {"size": "M"}}],
    )
    tee = product["variants"][0]["id"]
    shop = await open_shop(client, merch, channel_id)
    price_list = await create_list(client, merch, channel_ids=[channel_id], priority=1)
    await put_prices(client, merch, price_list["id"], [{"variant_id": tee, "amount": 2000}])
    promotion = await create_promotion(
        client, merch, channel_id, benefit=percent_off("25", category_ids=[tops["id"]])
    )

    result = await dry_run(client, analyst, shop, lines=[{"variant_id": tee, "quantity": 1}])

    assert result["applied"] == [
        {
            "promotion_id": promotion["id"],
            "name": promotion["name"],
            "kind": "percent_off",
            "level": "line",
            "amount": 500,
            "coupon_code": None,
        }
    ]


async def test_the_dry_run_reports_codes_used_up_and_promotions_outside_their_window(
    client, merch, analyst, channel_id, database
):
    shop = await open_shop(client, merch, channel_id)
    promotion = await coupon_promotion(
        client, merch, benefit=percent_off("10"), conditions={"customer_required": True}
    )
    single = (await add_coupon(client, merch, promotion["id"], max_uses=1))["code"]
    once_each = (await add_coupon(client, merch, promotion["id"], max_uses_per_customer=1))["code"]
    async with database.uow() as uow:
        await api.redeem_coupons(uow, [single, once_each], "cus_evaluate", "ord_evaluate")
        await uow.commit()
    later = await create_promotion(
        client, merch, channel_id, starts_at="2099-01-01T00:00:00Z", benefit=percent_off("50")
    )

    customer = {"customer_id": "cus_evaluate"}
    result = await dry_run(client, analyst, shop, coupon_codes=[single], customer=customer)
    assert result["rejected_coupons"][0]["reason"] == "exhausted"
    result = await dry_run(client, analyst, shop, coupon_codes=[once_each], customer=customer)
    assert result["rejected_coupons"][0]["reason"] == "already_used_by_customer"
    result = await dry_run(
        client, analyst, shop, coupon_codes=[once_each], customer={"customer_id": "cus_other"}
    )
    assert [p["coupon_code"] for p in result["applied"]] == [once_each]
    guest = await dry_run(client, analyst, shop, coupon_codes=[once_each])
    assert guest["rejected_coupons"][0]["reason"] == "customer_required"

    assert later["id"] not in [p["promotion_id"] for p in result["applied"]]
    future = await dry_run(client, analyst, shop, at="2099-06-01T00:00:00Z")
    assert later["id"] in [p["promotion_id"] for p in future["applied"]]


async def test_only_promotion_readers_may_run_it(client, staff_headers, merch, channel_id):
    shop = await open_shop(client, merch, channel_id)
    body = {"channel_id": channel_id, "lines": [{"variant_id": shop.shirt, "quantity": 1}]}
    for role, status in (("associate", 200), ("planner", 200), ("merchandiser", 200)):
        response = await client.post(EVALUATE, json=body, headers=await staff_headers(role))
        assert response.status_code == status, role
    nobody = await client.post(EVALUATE, json=body, headers=await staff_headers())
    assert nobody.status_code == 403
    anonymous = await client.post(EVALUATE, json=body)
    assert anonymous.status_code == 401
