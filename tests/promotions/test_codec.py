"""Stored documents give back exactly the engine's values (every kind, every field)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from omni.kernel.money import Money
from omni.promotions import codec
from omni.promotions.domain import (
    AmountOff,
    Benefit,
    BundleComponent,
    BuyXGetY,
    Conditions,
    FixedPriceBundle,
    FreeShipping,
    PercentOff,
    SpendThreshold,
    Stacking,
    Target,
    ThresholdTier,
)

TOPS = Target(category_ids=frozenset({"cat_tops", "cat_shirts"}))
SOCKS = Target(variant_ids=frozenset({"var_b", "var_a"}), product_ids=frozenset({"prd_1"}))

BENEFITS: list[Benefit] = [
    PercentOff(Decimal("12.5"), TOPS),
    PercentOff(Decimal("100")),
    AmountOff(Money(1000, "EUR"), SOCKS, per_unit=True),
    BuyXGetY(2, 1, SOCKS, None, Decimal(100), max_applications=3),
    BuyXGetY(1, 1, TOPS, SOCKS, Decimal("50")),
    SpendThreshold(
        (
            ThresholdTier(Money(10000, "EUR"), amount_off=Money(1000, "EUR")),
            ThresholdTier(Money(20000, "EUR"), percent_off=Decimal("7.25")),
        ),
        TOPS,
    ),
    FixedPriceBundle((BundleComponent(SOCKS, 3), BundleComponent(TOPS)), Money(1200, "EUR"), 2),
    FreeShipping(frozenset({"standard"})),
    FreeShipping(),
]


@pytest.mark.parametrize("benefit", BENEFITS, ids=lambda b: type(b).__name__)
def test_every_benefit_round_trips_exactly(benefit):
    document = codec.encode_benefit(benefit)
    assert codec.decode_benefit(document, "EUR") == benefit
    assert codec.encode_benefit(codec.decode_benefit(document, "EUR")) == document


def test_percentages_are_stored_as_plain_decimal_text():
    assert codec.encode_benefit(PercentOff(Decimal("12.50")))["percent"] == "12.5"
    assert codec.encode_benefit(PercentOff(Decimal("1E+2")))["percent"] == "100"
    assert codec.percent_text(Decimal("0.0001")) == "0.0001"


def test_conditions_round_trip_with_the_window_from_their_columns():
    starts, ends = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC)
    conditions = Conditions(
        starts_at=starts,
        ends_at=ends,
        channel_ids=frozenset({"chn_web"}),
        min_subtotal=Money(5000, "EUR"),
        min_quantity=2,
        segments=frozenset({"vip"}),
        loyalty_tiers=frozenset({"gold"}),
        customer_required=True,
    )
    document = codec.encode_conditions(conditions)
    assert "starts_at" not in document
    assert codec.decode_conditions(document, "EUR", starts, ends) == conditions


def test_a_stored_row_becomes_the_engines_promotion_with_the_entered_codes():
    values = {
        "id": "prm_1",
        "name": "Ten off",
        "currency": "USD",
        "benefit": codec.encode_benefit(AmountOff(Money(1000, "USD"))),
        "conditions": codec.encode_conditions(Conditions()),
        "starts_at": None,
        "ends_at": None,
        "priority": 5,
        "stacking": "group",
        "stacking_group": "mail",
    }
    promotion = codec.to_engine(values, {"SAVE10"})
    assert promotion.benefit == AmountOff(Money(1000, "USD"))
    assert promotion.coupon_codes == frozenset({"SAVE10"})
    assert (promotion.priority, promotion.stacking, promotion.stacking_group) == (
        5,
        Stacking.GROUP,
        "mail",
    )


def test_amounts_without_a_currency_are_refused():
    document = codec.encode_benefit(AmountOff(Money(1000, "USD")))
    with pytest.raises(ValueError, match="currency"):
        codec.decode_benefit(document, None)
