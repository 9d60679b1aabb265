"""Properties of the engine over random baskets and promotions (Hypothesis)."""

from __future__ import annotations

import json
import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from omni.kernel.money import Money
from omni.promotions.domain import (
    AmountOff,
    Basket,
    BundleComponent,
    BuyXGetY,
    Conditions,
    FixedPriceBundle,
    FreeShipping,
    PercentOff,
    Promotion,
    SpendThreshold,
    Stacking,
    Target,
    ThresholdTier,
)
from omni.promotions.engine import evaluate
from omni.promotions.results import PromotionResult
from tests.promotions import basket, line, pct, promo

NAMES = ("a", "b", "c", "d", "e", "f")
CATEGORIES = ("x", "y")

money = st.integers(min_value=1, max_value=30_000).map(lambda a: Money(a, "USD"))
percent = st.integers(min_value=1, max_value=100).map(pct) | st.sampled_from(
    [pct("12.5"), pct("33.333"), pct("0.01")]
)
targets = st.one_of(
    st.just(Target()),
    st.sets(st.sampled_from(NAMES), min_size=1, max_size=3).map(
        lambda names: Target(product_ids=frozenset(f"prd_{n}" for n in names))
    ),
    st.sampled_from(CATEGORIES).map(lambda c: Target(category_ids=frozenset({f"cat_{c}"}))),
)
tiers = st.lists(
    st.builds(ThresholdTier, min_subtotal=money, amount_off=money)
    | st.builds(ThresholdTier, min_subtotal=money, percent_off=percent),
    min_size=1,
    max_size=3,
).map(tuple)
benefits = st.one_of(
    st.builds(PercentOff, percent=percent, target=targets),
    st.builds(AmountOff, amount=money, target=targets, per_unit=st.booleans()),
    st.builds(
        BuyXGetY,
        buy_quantity=st.integers(1, 3),
        get_quantity=st.integers(1, 2),
        buy_target=targets,
        get_target=st.none() | targets,
        percent=percent,
        max_applications=st.none() | st.integers(1, 3),
    ),
    st.builds(SpendThreshold, tiers=tiers, target=targets),
    st.builds(
        FixedPriceBundle,
        components=st.lists(
            st.builds(BundleComponent, target=targets, quantity=st.integers(1, 3)),
            min_size=1,
            max_size=2,
        ).map(tuple),
        price=money,
    ),
    st.builds(FreeShipping),
)


@st.composite
def promotions(draw: st.DrawFn) -> list[Promotion]:
    found = []
    for index in range(draw(st.integers(0, 5))):
        stacking = draw(st.sampled_from(list(Stacking)))
        conditions = Conditions(
            min_subtotal=draw(st.none() | money), min_quantity=draw(st.none() | st.integers(1, 6))
        )
        found.append(
            promo(
                f"p{index}",
                draw(benefits),
                conditions=draw(st.sampled_from([Conditions(), conditions])),
                priority=draw(st.integers(0, 2)),
                stacking=stacking,
                stacking_group=draw(st.sampled_from(["g1", "g2"]))
                if stacking is Stacking.GROUP
                else None,
                coupon_codes=draw(st.sampled_from([frozenset(), frozenset({f"C{index}"})])),
            )
        )
    return found


@st.composite
def baskets(draw: st.DrawFn) -> Basket:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=0, max_size=5, unique=True))
    lines = [
        line(
            name,
            draw(st.integers(1, 6)),
            draw(st.integers(0, 20_000)),
            tuple(draw(st.sets(st.sampled_from(CATEGORIES), max_size=2))),
        )
        for name in names
    ]
    return basket(
        *lines,
        shipping=draw(st.none() | st.integers(0, 2000).map(lambda a: Money(a, "USD"))),
        coupon_codes=tuple(draw(st.lists(st.sampled_from(["C0", "C1", "C2", "X"]), max_size=3))),
    )


def check_amounts_add_up(result: PromotionResult) -> None:
    for discounted in result.lines:
        assert 0 <= discounted.discount.amount <= discounted.subtotal.amount
        assert discounted.total.amount >= 0
        assert all(part.amount.amount > 0 for part in discounted.discounts)
    assert 0 <= result.shipping_discount.amount <= result.shipping.amount
    by_promotion: dict[str, int] = {}
    for discounted in result.lines:
        for part in discounted.discounts:
            by_promotion[part.promotion_id] = (
                by_promotion.get(part.promotion_id, 0) + part.amount.amount
            )
    line_total = sum(by_promotion.values())
    assert line_total == result.line_discount.amount
    assert sum(p.amount.amount for p in result.applied) == result.discount_total.amount
    for applied in result.applied:
        assert by_promotion.get(applied.promotion_id, 0) <= applied.amount.amount
    assert result.total.amount == (
        result.subtotal.amount - result.discount_total.amount + result.shipping.amount
    )


@settings(max_examples=300, deadline=None)
@given(baskets(), promotions())
def test_discounts_never_exceed_what_they_discount_and_always_add_up(shopper, candidates) -> None:
    check_amounts_add_up(evaluate(shopper, candidates))


@settings(max_examples=200, deadline=None)
@given(baskets(), promotions(), st.randoms(use_true_random=False))
def test_the_same_input_gives_the_same_output_whatever_the_order(shopper, candidates, rng) -> None:
    first = evaluate(shopper, candidates)
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    assert evaluate(shopper, shuffled) == first
    assert evaluate(shopper, candidates).as_dict() == first.as_dict()


@settings(max_examples=200, deadline=None)
@given(baskets(), promotions())
def test_an_exclusive_promotion_applies_alone(shopper, candidates) -> None:
    result = evaluate(shopper, candidates)
    exclusive = {p.id for p in candidates if p.stacking is Stacking.EXCLUSIVE}
    applied = [p.promotion_id for p in result.applied]
    if set(applied) & exclusive:
        assert len(applied) == 1


@settings(max_examples=200, deadline=None)
@given(baskets(), promotions())
def test_the_chosen_combination_beats_every_promotion_alone(shopper, candidates) -> None:
    best = evaluate(shopper, candidates).discount_total.amount
    for candidate in candidates:
        assert evaluate(shopper, [candidate]).discount_total.amount <= best


@settings(max_examples=100, deadline=None)
@given(baskets(), promotions())
def test_results_are_json_ready(shopper, candidates) -> None:
    rendered = evaluate(shopper, candidates).as_dict()
    assert json.loads(json.dumps(rendered)) == rendered


@settings(max_examples=100, deadline=None)
@given(baskets(), promotions())
def test_every_entered_code_is_applied_or_rejected(shopper, candidates) -> None:
    result = evaluate(shopper, candidates)
    entered = {code.strip().upper() for code in shopper.coupon_codes}
    answered = set(result.applied_codes) | {c.code for c in result.rejected_coupons}
    assert answered == entered


def test_a_big_basket_stays_fast() -> None:
    # 100 lines of up to 999 units, a full stack and a subset search (32 combinations):
    # the unit-based rules work on lines, not on units, so this stays well under a second.
    rng = random.Random(7)
    lines = [line(f"n{i}", rng.randint(1, 999), rng.randint(1, 9999), ("x",)) for i in range(100)]
    candidates = [
        promo("b2g1", BuyXGetY(2, 1)),
        promo("bundle", FixedPriceBundle((BundleComponent(Target(), 3),), Money(500, "USD"))),
        promo("ten", PercentOff(pct(10))),
        promo("over", SpendThreshold((ThresholdTier(Money(100, "USD"), percent_off=pct(5)),))),
        promo("ship", FreeShipping()),
    ]
    started = time.perf_counter()
    result = evaluate(basket(*lines, shipping=Money(999, "USD")), candidates)
    assert time.perf_counter() - started < 2.0  # generous: shared CI machines are slow
    check_amounts_add_up(result)
