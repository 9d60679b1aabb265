"""What each kind of promotion takes off, one promotion at a time (table-driven)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from omni.promotions.domain import (
    AmountOff,
    BundleComponent,
    BuyXGetY,
    Conditions,
    CustomerContext,
    FixedPriceBundle,
    FreeShipping,
    PercentOff,
    Promotion,
    SpendThreshold,
    ThresholdTier,
)
from omni.promotions.engine import evaluate
from tests.promotions import (
    NOW,
    basket,
    categories,
    line,
    line_discounts,
    pct,
    products,
    promo,
    usd,
    variants,
)

SHIRTS = line("shirt", 2, 2500, ("tops",))  # 50.00
JEANS = line("jeans", 1, 8000, ("bottoms",))  # 80.00
SOCKS = line("socks", 3, 500, ("acc",))  # 15.00
HAT = line("hat", 1, 1999, ("acc",))  # 19.99
DAY = timedelta(days=1)
ODD = [line(name, 1, 333) for name in ("a", "b", "c")]

TIERS = (
    ThresholdTier(usd(10000), amount_off=usd(1000)),
    ThresholdTier(usd(20000), amount_off=usd(3000)),
)

CASES = [
    # (why, lines, promotion, expected discount per line id (non-zero only))
    (
        "10% off everything, split pro rata",
        [SHIRTS, JEANS],
        PercentOff(pct(10)),
        {"shirt": 500, "jeans": 800},
    ),
    (
        "12.5% off one category",
        [SHIRTS, JEANS],
        PercentOff(pct("12.5"), categories("tops")),
        {"shirt": 625},
    ),
    (
        "percent rounds once, then splits exactly",
        ODD,
        PercentOff(pct(10)),
        {"a": 34, "b": 33, "c": 33},
    ),
    ("percent rounds half-up", [line("x", 1, 1010)], PercentOff(pct(15)), {"x": 152}),
    ("100% off is the whole line", [SOCKS], PercentOff(pct(100)), {"socks": 1500}),
    (
        "percent of a variant",
        [SHIRTS, JEANS],
        PercentOff(pct(20), variants("jeans")),
        {"jeans": 1600},
    ),
    (
        "percent of a product",
        [SHIRTS, JEANS],
        PercentOff(pct(20), products("shirt")),
        {"shirt": 1000},
    ),
    ("nothing matches", [SHIRTS], PercentOff(pct(20), products("jeans")), {}),
    ("amount off the order", [SHIRTS, JEANS], AmountOff(usd(1300)), {"shirt": 500, "jeans": 800}),
    ("amount off capped at the subtotal", [line("x", 1, 3000)], AmountOff(usd(5000)), {"x": 3000}),
    (
        "amount off a category, largest remainder",
        [SOCKS, HAT, SHIRTS],
        AmountOff(usd(1000), categories("acc")),
        {"socks": 429, "hat": 571},
    ),
    (
        "amount off each unit",
        [SOCKS, HAT],
        AmountOff(usd(200), products("socks"), per_unit=True),
        {"socks": 600},
    ),
    (
        "amount off each unit capped at the price",
        [SOCKS],
        AmountOff(usd(700), products("socks"), per_unit=True),
        {"socks": 1500},
    ),
    (
        "buy 2 get 1: the cheapest unit is free",
        [SOCKS, HAT],
        BuyXGetY(2, 1, categories("acc")),
        {"socks": 500},
    ),
    ("buy 2 get 1 repeats", [line("socks", 6, 500)], BuyXGetY(2, 1), {"socks": 1000}),
    (
        "buy 2 get 1 at most once",
        [line("socks", 6, 500)],
        BuyXGetY(2, 1, max_applications=1),
        {"socks": 500},
    ),
    ("buy 2 get 1 needs three units", [line("socks", 2, 500)], BuyXGetY(2, 1), {}),
    ("buy 1 get 1 half price", [SHIRTS], BuyXGetY(1, 1, percent=pct(50)), {"shirt": 1250}),
    (
        "cheapest free across lines",
        [line("a", 1, 900), line("b", 1, 300), line("c", 1, 600)],
        BuyXGetY(2, 1),
        {"b": 300},
    ),
    (
        "buy 2 shirts get socks free",
        [SHIRTS, SOCKS],
        BuyXGetY(2, 1, products("shirt"), products("socks")),
        {"socks": 500},
    ),
    (
        "buy 2 shirts get socks: as often as shirts allow",
        [line("shirt", 4, 2500), SOCKS],
        BuyXGetY(2, 1, products("shirt"), products("socks")),
        {"socks": 1000},
    ),
    (
        "two accessories bought, the hat given",
        [SOCKS, HAT],
        BuyXGetY(2, 1, categories("acc"), products("hat")),
        {"hat": 1999},
    ),
    (
        "a unit is bought or given, never both",
        [line("hat", 2, 1999)],
        BuyXGetY(2, 1, products("hat"), products("hat")),
        {},
    ),
    (
        "spend threshold: lowest tier",
        [SHIRTS, JEANS],
        SpendThreshold(TIERS),
        {"shirt": 385, "jeans": 615},
    ),
    (
        "spend threshold: highest tier reached",
        [line("jeans", 3, 8000)],
        SpendThreshold(TIERS),
        {"jeans": 3000},
    ),
    (
        "spend threshold: exactly at the tier",
        [line("x", 1, 10000)],
        SpendThreshold(TIERS),
        {"x": 1000},
    ),
    ("spend threshold: one unit short", [line("x", 1, 9999)], SpendThreshold(TIERS), {}),
    (
        "spend threshold: percent tier",
        [SHIRTS, JEANS],
        SpendThreshold((ThresholdTier(usd(10000), percent_off=pct(5)),)),
        {"shirt": 250, "jeans": 400},
    ),
    (
        "spend threshold on a category",
        [SHIRTS, JEANS],
        SpendThreshold((ThresholdTier(usd(5000), amount_off=usd(500)),), categories("tops")),
        {"shirt": 500},
    ),
    (
        "bundle: 3 socks for $12",
        [SOCKS],
        FixedPriceBundle((BundleComponent(products("socks"), 3),), usd(1200)),
        {"socks": 300},
    ),
    (
        "bundle repeats on complete sets",
        [line("socks", 7, 500)],
        FixedPriceBundle((BundleComponent(products("socks"), 3),), usd(1200)),
        {"socks": 600},
    ),
    (
        "bundle at most once",
        [line("socks", 7, 500)],
        FixedPriceBundle((BundleComponent(products("socks"), 3),), usd(1200), max_applications=1),
        {"socks": 300},
    ),
    (
        "bundle of two products, saving split by value",
        [SHIRTS, JEANS],
        FixedPriceBundle(
            (BundleComponent(products("shirt")), BundleComponent(products("jeans"))), usd(9000)
        ),
        {"shirt": 357, "jeans": 1143},
    ),
    (
        "bundle takes the dearest units first",
        [line("a", 1, 900), line("b", 1, 300), line("c", 1, 600)],
        FixedPriceBundle((BundleComponent(products("a", "b", "c"), 2),), usd(1000)),
        {"a": 300, "c": 200},
    ),
    (
        "bundle not cheaper: no discount",
        [SOCKS],
        FixedPriceBundle((BundleComponent(products("socks"), 3),), usd(2000)),
        {},
    ),
    (
        "bundle incomplete",
        [line("socks", 2, 500)],
        FixedPriceBundle((BundleComponent(products("socks"), 3),), usd(1200)),
        {},
    ),
]


@pytest.mark.parametrize(("why", "lines", "benefit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_one_promotion_discounts_lines(why, lines, benefit, expected) -> None:
    result = evaluate(basket(*lines), [promo("p1", benefit)])
    got = {k.removeprefix("l_"): v for k, v in line_discounts(result).items() if v}
    assert got == expected
    assert result.line_discount.amount == sum(expected.values())
    assert [p.promotion_id for p in result.applied] == (["p1"] if expected else [])


SHIPPING_CASES = [
    # (why, promotion, shipping method, expected shipping discount)
    ("free shipping, any method", promo("s", FreeShipping()), "shm_std", 895),
    (
        "free shipping for this method",
        promo("s", FreeShipping(frozenset({"shm_std"}))),
        "shm_std",
        895,
    ),
    (
        "free shipping for another method",
        promo("s", FreeShipping(frozenset({"shm_exp"}))),
        "shm_std",
        0,
    ),
    (
        "free shipping over $50: met",
        promo("s", FreeShipping(), conditions=Conditions(min_subtotal=usd(5000))),
        "shm_std",
        895,
    ),
    (
        "free shipping over $100: not met",
        promo("s", FreeShipping(), conditions=Conditions(min_subtotal=usd(10000))),
        "shm_std",
        0,
    ),
]


@pytest.mark.parametrize(
    ("why", "promotion", "method", "expected"), SHIPPING_CASES, ids=[c[0] for c in SHIPPING_CASES]
)
def test_free_shipping(why: str, promotion: Promotion, method: str, expected: int) -> None:
    shopper = basket(SHIRTS, shipping=usd(895), shipping_method_id=method)
    result = evaluate(shopper, [promotion])
    assert result.shipping_discount.amount == expected
    assert result.shipping_total.amount == 895 - expected
    assert result.line_discount.amount == 0
    assert result.total.amount == 5000 + 895 - expected


def test_free_shipping_gives_nothing_when_nothing_is_shipped() -> None:
    result = evaluate(basket(SHIRTS), [promo("s", FreeShipping())])
    assert result.applied == ()
    assert result.shipping_discount.amount == 0


@pytest.mark.parametrize(
    ("why", "conditions", "applies"),
    [
        ("min quantity met", Conditions(min_quantity=3), True),
        ("min quantity not met", Conditions(min_quantity=4), False),
        ("min subtotal met", Conditions(min_subtotal=usd(1500)), True),
        ("min subtotal not met", Conditions(min_subtotal=usd(1501)), False),
    ],
)
def test_quantity_and_subtotal_conditions_count_the_matching_lines(why, conditions, applies):
    # Socks: 3 units, 15.00 — the shirts do not count toward a socks promotion.
    promotion = promo("p", PercentOff(pct(10), products("socks")), conditions=conditions)
    result = evaluate(basket(SOCKS, SHIRTS), [promotion])
    assert bool(result.applied) is applies


GOLD_VIP = CustomerContext(customer_id="cus_1", segments=frozenset({"vip"}), loyalty_tier="gold")
SILVER = {"customer": CustomerContext("cus_2", loyalty_tier="silver")}
GUEST = {"customer": CustomerContext()}
GOLD = frozenset({"gold"})
VIP = frozenset({"vip"})
AUTOMATIC_CASES = [
    # (why, conditions, basket overrides, applies)
    ("no conditions", Conditions(), {}, True),
    ("gold tier discount for gold", Conditions(loyalty_tiers=GOLD), {}, True),
    ("gold tier discount for silver", Conditions(loyalty_tiers=GOLD), SILVER, False),
    ("vip segment discount", Conditions(segments=VIP), {}, True),
    ("vip segment discount for a guest", Conditions(segments=VIP), GUEST, False),
    ("this channel", Conditions(channel_ids=frozenset({"chn_web", "chn_pos"})), {}, True),
    ("another channel", Conditions(channel_ids=frozenset({"chn_pos"})), {}, False),
    ("inside the window", Conditions(starts_at=NOW - DAY, ends_at=NOW + DAY), {}, True),
    ("the window ends now", Conditions(ends_at=NOW), {}, False),
    ("the window starts tomorrow", Conditions(starts_at=NOW + DAY), {}, False),
]


@pytest.mark.parametrize(
    ("why", "conditions", "overrides", "applies"),
    AUTOMATIC_CASES,
    ids=[c[0] for c in AUTOMATIC_CASES],
)
def test_automatic_promotions_check_when_where_and_who(why, conditions, overrides, applies):
    shopper = basket(SHIRTS, **{"customer": GOLD_VIP, **overrides})
    result = evaluate(shopper, [promo("auto", PercentOff(pct(5)), conditions=conditions)])
    assert bool(result.applied) is applies
    assert result.rejected_coupons == ()  # automatic promotions are never "rejected"
