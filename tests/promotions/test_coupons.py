"""Coupon codes: which apply, and a machine-readable reason for every one that does not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from omni.kernel.money import Money
from omni.promotions.domain import (
    AmountOff,
    Conditions,
    CouponRejection,
    CouponUsage,
    CustomerContext,
    FreeShipping,
    PercentOff,
    Stacking,
)
from omni.promotions.engine import evaluate
from tests.promotions import NOW, basket, line, pct, products, promo, usd

R = CouponRejection
DAY = timedelta(days=1)
SHOPPER = CustomerContext(customer_id="cus_1", segments=frozenset({"staff"}), loyalty_tier="silver")


def coupon(code: str, benefit=None, **overrides):
    """A promotion unlocked by ``code``, 10% off unless told otherwise."""
    return promo(
        f"prm_{code.lower()}",
        benefit or PercentOff(pct(10)),
        coupon_codes=frozenset({code}),
        **overrides,
    )


CASES = [
    # (why, promotions, entered codes, usage, basket overrides, applied ids, rejections)
    ("a valid code applies", [coupon("SAVE10")], ["SAVE10"], [], {}, ["prm_save10"], []),
    ("codes ignore case and blanks", [coupon("SAVE10")], ["  save10 "], [], {}, ["prm_save10"], []),
    (
        "a code entered twice counts once",
        [coupon("SAVE10")],
        ["SAVE10", "save10"],
        [],
        {},
        ["prm_save10"],
        [],
    ),
    ("a blank code is ignored", [coupon("SAVE10")], ["   "], [], {}, [], []),
    ("no code, no coupon promotion", [coupon("SAVE10")], [], [], {}, [], []),
    ("unknown code", [coupon("SAVE10")], ["NOPE"], [], {}, [], [("NOPE", R.UNKNOWN)]),
    (
        "expired",
        [coupon("OLD", conditions=Conditions(ends_at=NOW))],
        ["OLD"],
        [],
        {},
        [],
        [("OLD", R.EXPIRED)],
    ),
    (
        "not yet valid",
        [coupon("SOON", conditions=Conditions(starts_at=NOW + DAY))],
        ["SOON"],
        [],
        {},
        [],
        [("SOON", R.NOT_YET_VALID)],
    ),
    (
        "valid from its first instant",
        [coupon("NOW", conditions=Conditions(starts_at=NOW))],
        ["NOW"],
        [],
        {},
        ["prm_now"],
        [],
    ),
    (
        "other channel",
        [coupon("POS", conditions=Conditions(channel_ids=frozenset({"chn_pos"})))],
        ["POS"],
        [],
        {},
        [],
        [("POS", R.NOT_FOR_CHANNEL)],
    ),
    (
        "other currency",
        [coupon("EURO", AmountOff(Money(500, "EUR")))],
        ["EURO"],
        [],
        {},
        [],
        [("EURO", R.NOT_FOR_CURRENCY)],
    ),
    (
        "guests cannot use it",
        [coupon("MEMBER", conditions=Conditions(customer_required=True))],
        ["MEMBER"],
        [],
        {"customer": CustomerContext()},
        [],
        [("MEMBER", R.CUSTOMER_REQUIRED)],
    ),
    (
        "segment not matched",
        [coupon("VIP", conditions=Conditions(segments=frozenset({"vip"})))],
        ["VIP"],
        [],
        {},
        [],
        [("VIP", R.CUSTOMER_NOT_ELIGIBLE)],
    ),
    (
        "segment matched",
        [coupon("STAFF", conditions=Conditions(segments=frozenset({"vip", "staff"})))],
        ["STAFF"],
        [],
        {},
        ["prm_staff"],
        [],
    ),
    (
        "tier not matched",
        [coupon("GOLD", conditions=Conditions(loyalty_tiers=frozenset({"gold"})))],
        ["GOLD"],
        [],
        {},
        [],
        [("GOLD", R.CUSTOMER_NOT_ELIGIBLE)],
    ),
    (
        "exhausted",
        [coupon("ONCE")],
        ["ONCE"],
        [CouponUsage("once", exhausted=True)],
        {},
        [],
        [("ONCE", R.EXHAUSTED)],
    ),
    (
        "already used by this customer",
        [coupon("WELCOME")],
        ["WELCOME"],
        [CouponUsage("WELCOME", used_by_customer=True)],
        {},
        [],
        [("WELCOME", R.ALREADY_USED_BY_CUSTOMER)],
    ),
    (
        "usage of another code does not matter",
        [coupon("SAVE10")],
        ["SAVE10"],
        [CouponUsage("OTHER", exhausted=True)],
        {},
        ["prm_save10"],
        [],
    ),
    (
        "min subtotal not met",
        [coupon("BIG", conditions=Conditions(min_subtotal=usd(20000)))],
        ["BIG"],
        [],
        {},
        [],
        [("BIG", R.MIN_SUBTOTAL_NOT_MET)],
    ),
    (
        "min quantity not met",
        [coupon("MANY", conditions=Conditions(min_quantity=5))],
        ["MANY"],
        [],
        {},
        [],
        [("MANY", R.MIN_QUANTITY_NOT_MET)],
    ),
    (
        "no matching items",
        [coupon("JEANS", PercentOff(pct(10), products("jeans")))],
        ["JEANS"],
        [],
        {},
        [],
        [("JEANS", R.NO_MATCHING_ITEMS)],
    ),
    (
        "free shipping with nothing shipped",
        [coupon("SHIP", FreeShipping())],
        ["SHIP"],
        [],
        {},
        [],
        [("SHIP", R.NO_DISCOUNT)],
    ),
    (
        "free shipping for another method",
        [coupon("SHIP", FreeShipping(frozenset({"shm_exp"})))],
        ["SHIP"],
        [],
        {"shipping": usd(500), "shipping_method_id": "shm_std"},
        [],
        [("SHIP", R.NOT_FOR_SHIPPING_METHOD)],
    ),
    (
        "a better automatic exclusive leaves the coupon out",
        [coupon("SAVE10"), promo("auto30", PercentOff(pct(30)), stacking=Stacking.EXCLUSIVE)],
        ["SAVE10"],
        [],
        {},
        ["auto30"],
        [("SAVE10", R.NOT_COMBINABLE)],
    ),
    (
        "an exclusive coupon that gives more wins",
        [
            coupon("BIG40", PercentOff(pct(40)), stacking=Stacking.EXCLUSIVE),
            promo("auto10", PercentOff(pct(10))),
        ],
        ["BIG40"],
        [],
        {},
        ["prm_big40"],
        [],
    ),
    (
        "two codes of one promotion: the second is a duplicate",
        [promo("prm_batch", PercentOff(pct(10)), coupon_codes=frozenset({"B-1", "B-2"}))],
        ["B-2", "B-1"],
        [],
        {},
        ["prm_batch"],
        [("B-1", R.DUPLICATE)],
    ),
    (
        "an exhausted code, then a fresh code of the same batch",
        [promo("prm_batch", PercentOff(pct(10)), coupon_codes=frozenset({"B-1", "B-2"}))],
        ["B-1", "B-2"],
        [CouponUsage("B-1", exhausted=True)],
        {},
        ["prm_batch"],
        [("B-1", R.EXHAUSTED)],
    ),
    (
        "rejections come back in the order entered",
        [coupon("OLD", conditions=Conditions(ends_at=NOW)), coupon("SAVE10")],
        ["ZZZ", "save10", "OLD", "AAA"],
        [],
        {},
        ["prm_save10"],
        [("ZZZ", R.UNKNOWN), ("OLD", R.EXPIRED), ("AAA", R.UNKNOWN)],
    ),
]


@pytest.mark.parametrize(
    ("why", "promotions", "codes", "usage", "overrides", "applied", "rejections"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_coupon_outcomes(why, promotions, codes, usage, overrides, applied, rejections) -> None:
    values = {"customer": SHOPPER, "coupon_codes": tuple(codes), **overrides}
    result = evaluate(basket(line("x", 1, 10000), **values), promotions, usage)
    assert [p.promotion_id for p in result.applied] == applied
    assert [(c.code, c.reason) for c in result.rejected_coupons] == rejections
    if not applied:
        assert result.line_discount.amount == 0  # a refusal changes nothing


def test_an_applied_coupon_names_its_code() -> None:
    result = evaluate(basket(line("x", 1, 10000), coupon_codes=(" save10",)), [coupon("SAVE10")])
    assert result.applied[0].coupon_code == "SAVE10"
    assert result.applied_codes == ("SAVE10",)
    assert result.as_dict()["applied"][0]["coupon_code"] == "SAVE10"


def test_one_code_may_unlock_several_promotions() -> None:
    welcome = frozenset({"WELCOME"})
    promotions = [
        promo("w_pct", PercentOff(pct(10)), coupon_codes=welcome),
        promo("w_ship", FreeShipping(), coupon_codes=welcome),
    ]
    shopper = basket(line("x", 1, 10000), coupon_codes=("WELCOME",), shipping=usd(500))
    result = evaluate(shopper, promotions)
    assert [p.promotion_id for p in result.applied] == ["w_pct", "w_ship"]
    assert result.discount_total.amount == 1500


def test_a_rejected_coupon_names_its_promotion() -> None:
    result = evaluate(
        basket(line("x", 1, 10000), coupon_codes=("OLD",)),
        [coupon("OLD", conditions=Conditions(ends_at=NOW))],
    )
    assert result.rejected_coupons[0].as_dict() == {
        "code": "OLD",
        "reason": "expired",
        "promotion_id": "prm_old",
    }
