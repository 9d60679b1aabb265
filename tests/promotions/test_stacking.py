"""Stacking, exclusivity and the order promotions apply in (table-driven)."""

from __future__ import annotations

import pytest

from omni.promotions.domain import (
    AmountOff,
    FreeShipping,
    PercentOff,
    SpendThreshold,
    Stacking,
    ThresholdTier,
)
from omni.promotions.engine import MAX_SEARCH_POOL, evaluate
from tests.promotions import basket, line, pct, products, promo, usd

ONE_HUNDRED = line("x", 1, 10000)
EXCLUSIVE = {"stacking": Stacking.EXCLUSIVE}


def group(name: str) -> dict:
    return {"stacking": Stacking.GROUP, "stacking_group": name}


CASES = [
    # (why, promotions, expected applied ids in application order, expected discount)
    (
        "percent applies to the already-discounted amount",
        [promo("a", PercentOff(pct(10))), promo("b", PercentOff(pct(10)))],
        ["a", "b"],
        1900,
    ),
    (
        "line-level applies before order-level, whatever the priority",
        [
            promo("order10", PercentOff(pct(10)), priority=100),
            promo("item10", AmountOff(usd(1000), products("x"))),
        ],
        ["item10", "order10"],
        1900,
    ),
    (
        "higher priority first: 50% then $30",
        [
            promo("half", PercentOff(pct(50)), priority=2),
            promo("thirty", AmountOff(usd(3000)), priority=1),
        ],
        ["half", "thirty"],
        8000,
    ),
    (
        "higher priority first: $30 then 50%",
        [
            promo("half", PercentOff(pct(50)), priority=1),
            promo("thirty", AmountOff(usd(3000)), priority=2),
        ],
        ["thirty", "half"],
        6500,
    ),
    (
        "equal priority: by id",
        [promo("b_half", PercentOff(pct(50))), promo("a_thirty", AmountOff(usd(3000)))],
        ["a_thirty", "b_half"],
        6500,
    ),
    (
        "an exclusive promotion that gives more wins alone",
        [
            promo("ten", PercentOff(pct(10))),
            promo("five", AmountOff(usd(500))),
            promo("thirty", PercentOff(pct(30)), **EXCLUSIVE),
        ],
        ["thirty"],
        3000,
    ),
    (
        "stackables that give more together beat an exclusive",
        [
            promo("ten", PercentOff(pct(10))),
            promo("fifteen_off", AmountOff(usd(1500))),
            promo("twenty", PercentOff(pct(20)), **EXCLUSIVE),
        ],
        ["fifteen_off", "ten"],
        2350,
    ),
    (
        "of two exclusives the bigger wins",
        [
            promo("big", PercentOff(pct(25)), **EXCLUSIVE),
            promo("small", PercentOff(pct(20)), **EXCLUSIVE, priority=9),
        ],
        ["big"],
        2500,
    ),
    (
        "a tie goes to the higher priority",
        [
            promo("a", PercentOff(pct(10)), **EXCLUSIVE),
            promo("b", AmountOff(usd(1000)), priority=1),
        ],
        ["b"],
        1000,
    ),
    (
        "a tie on priority goes to the smaller id",
        [
            promo("b", PercentOff(pct(10)), **EXCLUSIVE),
            promo("a", AmountOff(usd(1000)), **EXCLUSIVE),
        ],
        ["a"],
        1000,
    ),
    (
        "a group stacks within itself, not with stackables",
        [
            promo("g10", PercentOff(pct(10)), **group("spring")),
            promo("g5", PercentOff(pct(5)), **group("spring")),
            promo("s12", PercentOff(pct(12))),
        ],
        ["g10", "g5"],
        1450,
    ),
    (
        "stackables beat a weaker group",
        [
            promo("g10", PercentOff(pct(10)), **group("spring")),
            promo("g4", PercentOff(pct(4)), **group("spring")),
            promo("s15", PercentOff(pct(15))),
        ],
        ["s15"],
        1500,
    ),
    (
        "two groups never mix",
        [
            promo("a1", PercentOff(pct(10)), **group("a")),
            promo("b1", PercentOff(pct(12)), **group("b")),
            promo("a2", PercentOff(pct(10)), **group("a")),
        ],
        ["a1", "a2"],
        1900,
    ),
    (
        "discounts stop at zero",
        [promo("eighty", AmountOff(usd(8000))), promo("fifty", AmountOff(usd(5000)))],
        ["eighty", "fifty"],
        10000,
    ),
    (
        "a promotion that takes nothing is not applied",
        [promo("all", PercentOff(pct(100)), priority=1), promo("more", AmountOff(usd(100)))],
        ["all"],
        10000,
    ),
]


@pytest.mark.parametrize(
    ("why", "promotions", "applied", "discount"), CASES, ids=[c[0] for c in CASES]
)
def test_stacking(why, promotions, applied, discount) -> None:
    result = evaluate(basket(ONE_HUNDRED), promotions)
    assert [p.promotion_id for p in result.applied] == applied
    assert result.line_discount.amount == discount
    assert result.lines[0].total.amount == 10000 - discount


def test_an_item_discount_that_would_disqualify_a_threshold_is_left_out() -> None:
    # 10% off shirts takes the basket from 155.00 to 145.00, under the $20-off-over-$150
    # threshold: the threshold alone (20.00) beats both together (10.00).
    shopper = basket(line("shirt", 1, 10000), line("jeans", 1, 5500))
    shirts_10 = promo("shirts10", PercentOff(pct(10), products("shirt")))
    over_150 = promo("over150", SpendThreshold((ThresholdTier(usd(15000), amount_off=usd(2000)),)))
    result = evaluate(shopper, [shirts_10, over_150])
    assert [p.promotion_id for p in result.applied] == ["over150"]
    assert result.line_discount.amount == 2000


def test_both_apply_when_the_threshold_still_holds() -> None:
    shopper = basket(line("shirt", 1, 10000), line("jeans", 1, 6000))
    shirts_10 = promo("shirts10", PercentOff(pct(10), products("shirt")))
    over_150 = promo("over150", SpendThreshold((ThresholdTier(usd(15000), amount_off=usd(2000)),)))
    result = evaluate(shopper, [shirts_10, over_150])
    assert [p.promotion_id for p in result.applied] == ["shirts10", "over150"]
    assert result.line_discount.amount == 3000


def test_an_exclusive_promotion_excludes_free_shipping_too() -> None:
    shopper = basket(line("x", 1, 5000), shipping=usd(895))
    result = evaluate(
        shopper,
        [promo("twenty", PercentOff(pct(20)), **EXCLUSIVE), promo("ship", FreeShipping())],
    )
    assert [p.promotion_id for p in result.applied] == ["twenty"]  # 10.00 beats 8.95
    assert result.shipping_discount.amount == 0


def test_shipping_counts_toward_the_best_combination() -> None:
    shopper = basket(line("x", 1, 5000), shipping=usd(1295))
    result = evaluate(
        shopper,
        [promo("twenty", PercentOff(pct(20)), **EXCLUSIVE), promo("ship", FreeShipping())],
    )
    assert [p.promotion_id for p in result.applied] == ["ship"]  # 12.95 beats 10.00
    assert result.discount_total.amount == 1295


def test_a_large_pool_is_applied_whole() -> None:
    # Above MAX_SEARCH_POOL the subsets are not searched: everything stacks in order.
    small = [promo(f"p{i}", AmountOff(usd(100))) for i in range(MAX_SEARCH_POOL)]
    threshold = promo("t", SpendThreshold((ThresholdTier(usd(10000), amount_off=usd(5000)),)))
    result = evaluate(basket(ONE_HUNDRED), [*small, threshold])
    # All order level, same priority, so by id: p0..p5 leave 94.00, under the threshold,
    # although the threshold alone (50.00) would have been worth more.
    assert "t" not in [p.promotion_id for p in result.applied]
    assert result.line_discount.amount == 100 * MAX_SEARCH_POOL
