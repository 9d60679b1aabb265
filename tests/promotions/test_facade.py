"""The facade checkout calls: loading candidates, coupon usage, redeeming and releasing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.promotions import api
from omni.promotions.domain import PercentOff
from omni.promotions.events import CouponRedeemed, CouponReleased
from tests.catalog.channels import make_channel
from tests.catalog.helpers import events_named
from tests.promotions.helpers import (
    PROMOTIONS,
    add_coupon,
    coupon,
    coupon_promotion,
    create_promotion,
    percent_off,
    redemptions,
)

NOW = datetime(2030, 6, 1, tzinfo=UTC)


async def candidates(database, channel_id, codes=(), at=NOW) -> dict[str, api.Promotion]:  # type: ignore[no-untyped-def]
    async with database.reader() as session:
        found = await api.active_promotions(session, channel_id, at, codes)
    return {promotion.id: promotion for promotion in found}


async def usage(database, codes, customer_id) -> dict[str, api.CouponUsage]:  # type: ignore[no-untyped-def]
    async with database.reader() as session:
        found = await api.coupon_usage(session, codes, customer_id)
    return {u.code: u for u in found}


async def redeem(database, codes, customer_id, order_id=None) -> str:  # type: ignore[no-untyped-def]
    order_id = order_id or new_id("ord")
    async with database.uow() as uow:
        await api.redeem_coupons(uow, codes, customer_id, order_id)
        await uow.commit()
    return order_id


async def release(database, order_id) -> None:  # type: ignore[no-untyped-def]
    async with database.uow() as uow:
        await api.release_coupons(uow, order_id)
        await uow.commit()


async def test_automatic_promotions_are_those_running_on_the_channel(
    client, merch, admin_headers, channel_id, database
):
    other_channel = await make_channel(client, admin_headers)
    here = await create_promotion(client, merch, channel_id, benefit=percent_off("15"))
    elsewhere = await create_promotion(client, merch, other_channel)
    ended = await create_promotion(client, merch, channel_id, ends_at="2030-01-01T00:00:00Z")
    inactive = await create_promotion(client, merch, channel_id, active=False)
    coupon_only = await coupon_promotion(client, merch, conditions={"channel_ids": [channel_id]})

    found = await candidates(database, channel_id)

    assert here["id"] in found
    assert {elsewhere["id"], ended["id"], inactive["id"], coupon_only["id"]}.isdisjoint(found)
    promotion = found[here["id"]]
    assert promotion.benefit == PercentOff(Decimal("15"))
    assert promotion.conditions.channel_ids == frozenset({channel_id})
    assert promotion.coupon_codes == frozenset()


async def test_coupon_promotions_come_with_just_the_entered_codes(
    client, merch, channel_id, database
):
    promotion = await coupon_promotion(client, merch, ends_at="2030-01-01T00:00:00Z")
    first = (await add_coupon(client, merch, promotion["id"]))["code"]
    second = (await add_coupon(client, merch, promotion["id"]))["code"]
    await add_coupon(client, merch, promotion["id"])
    off = (await add_coupon(client, merch, promotion["id"]))["code"]
    deactivated = await client.post(
        f"{PROMOTIONS}/{promotion['id']}/coupons/{off}/deactivate", headers=merch
    )
    assert deactivated.status_code == 200

    found = await candidates(database, channel_id, [f" {first.lower()} ", second, off, "NOPE"])

    # Loaded although it has ended, so the engine can say "expired" rather than "unknown".
    assert found[promotion["id"]].coupon_codes == frozenset({first, second})
    assert promotion["id"] not in await candidates(database, channel_id)
    basket = api.Basket(
        currency="USD",
        channel_id=channel_id,
        at=NOW,
        lines=(api.BasketLine("l1", "var_x", "prd_x", 1, Money(1000, "USD")),),
        coupon_codes=(first, off),
    )
    async with database.reader() as session:
        result = await api.evaluate_basket(session, basket)
    reasons = {c.code: c.reason for c in result.rejected_coupons}
    assert reasons[first] == api.CouponRejection.EXPIRED
    assert reasons[off] == api.CouponRejection.UNKNOWN


async def test_coupon_usage_reports_exhausted_and_used_codes_and_omits_unknown_ones(
    client, merch, database
):
    promotion = await coupon_promotion(client, merch, conditions={"customer_required": True})
    single = (await add_coupon(client, merch, promotion["id"], max_uses=1))["code"]
    twice_each = (await add_coupon(client, merch, promotion["id"], max_uses_per_customer=2))["code"]
    free = (await add_coupon(client, merch, promotion["id"]))["code"]
    customer = new_id("cus")

    before = await usage(database, [single, twice_each, free, "UNKNOWN"], customer)
    assert set(before) == {single, twice_each, free}
    assert not any(u.exhausted or u.used_by_customer for u in before.values())

    await redeem(database, [single, twice_each], customer)
    await redeem(database, [twice_each.lower()], customer)
    after = await usage(database, [single, twice_each, free], customer)
    assert after[single].exhausted and not after[free].exhausted
    assert after[twice_each].used_by_customer and not after[twice_each].exhausted
    other = await usage(database, [twice_each], new_id("cus"))
    assert not other[twice_each].used_by_customer


async def test_redeeming_counts_each_code_once_and_records_the_facts(client, merch, database):
    promotion = await coupon_promotion(client, merch)
    code = (await add_coupon(client, merch, promotion["id"], max_uses=5))["code"]
    customer = new_id("cus")

    order = await redeem(database, [code, code.lower(), f" {code} "], customer)

    stored = await coupon(database, code)
    assert stored is not None and stored.uses == 1
    assert await redemptions(database, code) == [(order, customer, False)]
    [event] = await events_named(database, CouponRedeemed.name, order_id=order)
    assert event == {
        "code": code,
        "promotion_id": promotion["id"],
        "order_id": order,
        "customer_id": customer,
    }
    with pytest.raises(Conflict):
        await redeem(database, [code], customer, order_id=order)
    stored = await coupon(database, code)
    assert stored is not None and stored.uses == 1


async def test_a_used_up_code_refuses_and_the_order_transaction_counts_nothing(
    client, merch, database
):
    promotion = await coupon_promotion(client, merch)
    single = (await add_coupon(client, merch, promotion["id"], max_uses=1))["code"]
    plenty = (await add_coupon(client, merch, promotion["id"]))["code"]
    await redeem(database, [single], None)

    with pytest.raises(api.CouponExhausted) as refused:
        await redeem(database, [plenty, single], None)

    assert refused.value.status == 409 and refused.value.code == "coupon_exhausted"
    assert refused.value.extra["coupon_code"] == single
    stored = await coupon(database, plenty)
    assert stored is not None and stored.uses == 0  # rolled back with the order
    assert await redemptions(database, plenty) == []


async def test_per_customer_limits_hold_and_guests_cannot_use_such_codes(client, merch, database):
    promotion = await coupon_promotion(client, merch, conditions={"customer_required": True})
    code = (await add_coupon(client, merch, promotion["id"], max_uses_per_customer=1))["code"]
    customer = new_id("cus")
    await redeem(database, [code], customer)

    with pytest.raises(api.CouponAlreadyUsed) as again:
        await redeem(database, [code], customer)
    assert again.value.code == "coupon_already_used"
    with pytest.raises(api.CouponCustomerRequired):
        await redeem(database, [code], None)
    await redeem(database, [code], new_id("cus"))

    stored = await coupon(database, code)
    assert stored is not None and stored.uses == 2


async def test_a_deactivated_code_cannot_be_redeemed(client, merch, database):
    promotion = await coupon_promotion(client, merch)
    code = (await add_coupon(client, merch, promotion["id"]))["code"]
    await client.post(f"{PROMOTIONS}/{promotion['id']}/coupons/{code}/deactivate", headers=merch)
    with pytest.raises(api.CouponExhausted):
        await redeem(database, [code], None)


async def test_a_cancelled_order_gives_its_uses_back_once(client, merch, database):
    promotion = await coupon_promotion(client, merch, conditions={"customer_required": True})
    code = (await add_coupon(client, merch, promotion["id"], max_uses=1, max_uses_per_customer=1))[
        "code"
    ]
    customer = new_id("cus")
    order = await redeem(database, [code], customer)

    await release(database, order)
    await release(database, order)  # a second cancellation finds nothing to give back

    stored = await coupon(database, code)
    assert stored is not None and stored.uses == 0
    assert await redemptions(database, code) == [(order, customer, True)]
    assert len(await events_named(database, CouponReleased.name, order_id=order)) == 1
    assert not (await usage(database, [code], customer))[code].used_by_customer
    again = await redeem(database, [code], customer)  # the same customer may use it again
    assert (await redemptions(database, code))[-1] == (again, customer, False)


async def test_nothing_to_redeem_or_release_is_a_no_op(database):
    await redeem(database, [], None)
    await redeem(database, ["  "], None)
    await release(database, new_id("ord"))
