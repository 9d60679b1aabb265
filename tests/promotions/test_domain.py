"""Promotion and basket values refuse nonsense, and say what kind and level they are."""

from __future__ import annotations

from datetime import datetime

import pytest

from omni.kernel.money import Money
from omni.promotions.domain import (
    AmountOff,
    BasketLine,
    BundleComponent,
    BuyXGetY,
    FixedPriceBundle,
    FreeShipping,
    Level,
    PercentOff,
    PromotionKind,
    SpendThreshold,
    Stacking,
    Target,
    ThresholdTier,
    normalize_code,
)
from tests.promotions import basket, line, pct, products, promo, usd

INVALID = [
    ("zero percent", lambda: PercentOff(pct(0))),
    ("over 100 percent", lambda: PercentOff(pct("100.01"))),
    ("zero amount off", lambda: AmountOff(usd(0))),
    ("negative amount off", lambda: AmountOff(usd(-1))),
    ("buy zero", lambda: BuyXGetY(0, 1)),
    ("get zero", lambda: BuyXGetY(1, 0)),
    ("zero applications", lambda: BuyXGetY(1, 1, max_applications=0)),
    ("no tiers", lambda: SpendThreshold(())),
    ("tier with both", lambda: ThresholdTier(usd(1), amount_off=usd(1), percent_off=pct(1))),
    ("tier with neither", lambda: ThresholdTier(usd(1))),
    ("empty bundle", lambda: FixedPriceBundle((), usd(100))),
    ("negative bundle price", lambda: FixedPriceBundle((BundleComponent(Target()),), usd(-1))),
    ("zero bundle component", lambda: BundleComponent(Target(), 0)),
    ("group without a name", lambda: promo("p", FreeShipping(), stacking=Stacking.GROUP)),
    ("name without group", lambda: promo("p", FreeShipping(), stacking_group="g")),
    ("zero quantity line", lambda: line("x", 0, 100)),
    ("negative price line", lambda: line("x", 1, -1)),
    ("naive time", lambda: basket(line("x", 1, 100), at=datetime(2025, 1, 1))),
    ("duplicate line ids", lambda: basket(line("x", 1, 100), line("x", 2, 100))),
    ("mixed currencies", lambda: basket(line("x", 1, 100), line("y", 1, 100, currency="EUR"))),
    ("shipping in another currency", lambda: basket(line("x", 1, 1), shipping=Money(1, "EUR"))),
    ("negative shipping", lambda: basket(line("x", 1, 1), shipping=usd(-1))),
]


@pytest.mark.parametrize(("why", "build"), INVALID, ids=[c[0] for c in INVALID])
def test_nonsense_is_refused(why, build) -> None:
    with pytest.raises(ValueError):
        build()


KINDS = [
    (PercentOff(pct(10)), PromotionKind.PERCENT_OFF, Level.ORDER),
    (PercentOff(pct(10), products("x")), PromotionKind.PERCENT_OFF, Level.LINE),
    (AmountOff(usd(100)), PromotionKind.AMOUNT_OFF, Level.ORDER),
    (AmountOff(usd(100), per_unit=True), PromotionKind.AMOUNT_OFF, Level.LINE),
    (AmountOff(usd(100), products("x")), PromotionKind.AMOUNT_OFF, Level.LINE),
    (BuyXGetY(2, 1), PromotionKind.BUY_X_GET_Y, Level.LINE),
    (
        SpendThreshold((ThresholdTier(usd(1), amount_off=usd(1)),)),
        PromotionKind.SPEND_THRESHOLD,
        Level.ORDER,
    ),
    (
        FixedPriceBundle((BundleComponent(Target()),), usd(1)),
        PromotionKind.FIXED_PRICE_BUNDLE,
        Level.LINE,
    ),
    (FreeShipping(), PromotionKind.FREE_SHIPPING, Level.SHIPPING),
]


@pytest.mark.parametrize(("benefit", "kind", "level"), KINDS)
def test_kind_and_level_follow_the_benefit(benefit, kind, level) -> None:
    promotion = promo("p", benefit)
    assert (promotion.kind, promotion.level) == (kind, level)


@pytest.mark.parametrize(
    ("entered", "normalized"),
    [("save10", "SAVE10"), ("  Save10\t", "SAVE10"), ("B-1", "B-1"), ("straße", "STRASSE")],
)
def test_codes_are_normalized(entered: str, normalized: str) -> None:
    assert normalize_code(entered) == normalized


@pytest.mark.parametrize(
    ("target", "matches"),
    [
        (Target(), True),
        (Target(variant_ids=frozenset({"var_x"})), True),
        (Target(product_ids=frozenset({"prd_x"})), True),
        (Target(category_ids=frozenset({"cat_b", "cat_z"})), True),
        (Target(category_ids=frozenset({"cat_z"})), False),
        (Target(variant_ids=frozenset({"var_y"}), product_ids=frozenset({"prd_y"})), False),
    ],
)
def test_a_target_matches_any_listed_variant_product_or_category(target, matches) -> None:
    subject: BasketLine = line("x", 1, 100, ("a", "b"))
    assert target.matches(subject) is matches
