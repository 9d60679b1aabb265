"""The price-resolution rule, table-driven, plus properties checked by Hypothesis."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omni.pricing.domain import (
    CandidatePrice,
    PriceListTerms,
    PricingContext,
    is_eligible,
    resolve,
    tier_for,
    tier_problems,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
VARIANT = "var_1"

BASE = PriceListTerms(id="prl_base", code="base", currency="USD")
WEB = replace(BASE, id="prl_web", code="web", channel_ids=frozenset({"chn_web"}))
VIP = replace(BASE, id="prl_vip", code="vip", customer_segment="vip")
GOLD = replace(BASE, id="prl_gold", code="gold", loyalty_tier="gold")
SALE = replace(
    BASE, id="prl_sale", code="sale", priority=10, valid_from=NOW - DAY, valid_to=NOW + DAY
)
EUR = replace(BASE, id="prl_eur", code="eur", currency="EUR")
OFF = replace(BASE, id="prl_off", code="off", active=False, priority=99)


def price(terms: PriceListTerms, amount: int, min_quantity: int = 1, compare_at=None):
    return CandidatePrice(terms, VARIANT, amount, min_quantity, compare_at)


def context(**overrides) -> PricingContext:
    values = {"currency": "USD", "at": NOW, "channel_id": "chn_web", "quantity": 1}
    return PricingContext(**{**values, **overrides})


CASES = [
    # (why, candidates, context overrides, expected list id or None, expected unit amount)
    ("no candidates", [], {}, None, None),
    ("only list", [price(BASE, 1000)], {}, "prl_base", 1000),
    ("other currency only", [price(EUR, 900)], {}, None, None),
    (
        "currency picks the list",
        [price(BASE, 1000), price(EUR, 900)],
        {"currency": "EUR"},
        "prl_eur",
        900,
    ),
    (
        "inactive list ignored even with top priority",
        [price(BASE, 1000), price(OFF, 1)],
        {},
        "prl_base",
        1000,
    ),
    (
        "channel list beats unrestricted on equal priority",
        [price(BASE, 900), price(WEB, 1000)],
        {},
        "prl_web",
        1000,
    ),
    (
        "channel list ignored on another channel",
        [price(BASE, 1000), price(WEB, 800)],
        {"channel_id": "chn_pos"},
        "prl_base",
        1000,
    ),
    (
        "channel list ignored when no channel is given",
        [price(BASE, 1000), price(WEB, 800)],
        {"channel_id": None},
        "prl_base",
        1000,
    ),
    ("segment list needs the segment", [price(BASE, 1000), price(VIP, 700)], {}, "prl_base", 1000),
    (
        "segment list for a member",
        [price(BASE, 1000), price(VIP, 700)],
        {"segments": frozenset({"vip", "staff"})},
        "prl_vip",
        700,
    ),
    (
        "tier list needs the tier",
        [price(BASE, 1000), price(GOLD, 600)],
        {"loyalty_tier": "silver"},
        "prl_base",
        1000,
    ),
    (
        "tier list for the tier",
        [price(BASE, 1000), price(GOLD, 600)],
        {"loyalty_tier": "gold"},
        "prl_gold",
        600,
    ),
    (
        "channel beats segment on a tie",
        [price(WEB, 1000), price(VIP, 500)],
        {"segments": frozenset({"vip"})},
        "prl_web",
        1000,
    ),
    (
        "segment beats tier on a tie",
        [price(VIP, 800), price(GOLD, 500)],
        {"segments": frozenset({"vip"}), "loyalty_tier": "gold"},
        "prl_vip",
        800,
    ),
    (
        "priority beats specificity",
        [price(replace(BASE, priority=5), 1200), price(WEB, 1000)],
        {},
        "prl_base",
        1200,
    ),
    (
        "lower amount breaks a full tie",
        [price(BASE, 1000), price(replace(BASE, id="prl_b2"), 950)],
        {},
        "prl_b2",
        950,
    ),
    (
        "list id breaks a tie of everything",
        [price(replace(BASE, id="prl_z"), 1000), price(replace(BASE, id="prl_a"), 1000)],
        {},
        "prl_a",
        1000,
    ),
    ("sale inside its window", [price(BASE, 1000), price(SALE, 800)], {}, "prl_sale", 800),
    (
        "sale before its window",
        [price(BASE, 1000), price(SALE, 800)],
        {"at": NOW - 2 * DAY},
        "prl_base",
        1000,
    ),
    (
        "sale window end is exclusive",
        [price(BASE, 1000), price(SALE, 800)],
        {"at": NOW + DAY},
        "prl_base",
        1000,
    ),
    (
        "sale window start is inclusive",
        [price(BASE, 1000), price(SALE, 800)],
        {"at": NOW - DAY},
        "prl_sale",
        800,
    ),
    (
        "largest tier not above the quantity",
        [price(BASE, 1000), price(BASE, 900, 5), price(BASE, 800, 10)],
        {"quantity": 7},
        "prl_base",
        900,
    ),
    (
        "exactly at a tier",
        [price(BASE, 1000), price(BASE, 900, 5), price(BASE, 800, 10)],
        {"quantity": 10},
        "prl_base",
        800,
    ),
    (
        "a list with only big tiers does not price one unit",
        [price(BASE, 1000), price(replace(SALE, id="prl_bulk"), 500, 10)],
        {"quantity": 1},
        "prl_base",
        1000,
    ),
    (
        "the big-tier list wins once reached",
        [price(BASE, 1000), price(replace(SALE, id="prl_bulk"), 500, 10)],
        {"quantity": 12},
        "prl_bulk",
        500,
    ),
    ("no tier low enough anywhere", [price(BASE, 500, 10)], {"quantity": 3}, None, None),
]


@pytest.mark.parametrize(
    ("why", "candidates", "overrides", "list_id", "unit"), CASES, ids=[c[0] for c in CASES]
)
def test_resolution_rules(why, candidates, overrides, list_id, unit):
    resolved = resolve(candidates, context(**overrides))
    if list_id is None:
        assert resolved is None
    else:
        assert resolved is not None
        assert (resolved.price_list_id, resolved.unit_amount) == (list_id, unit)


def test_line_totals_and_compare_at_scale_with_quantity():
    resolved = resolve(
        [price(replace(BASE, prices_include_tax=True), 1250, 1, compare_at=1500)],
        context(quantity=3),
    )
    assert resolved is not None
    assert resolved.unit_amount == 1250
    assert resolved.line_amount == 3750
    assert resolved.compare_at_unit_amount == 1500
    assert resolved.compare_at_line_amount == 4500
    assert resolved.currency == "USD"
    assert resolved.price_list_code == "base"
    assert resolved.prices_include_tax is True


def test_without_compare_at_the_line_has_none_either():
    resolved = resolve([price(BASE, 1000)], context(quantity=2))
    assert resolved is not None
    assert resolved.compare_at_line_amount is None


def test_a_context_needs_a_positive_quantity_and_an_aware_time():
    with pytest.raises(ValueError, match="quantity"):
        context(quantity=0)
    with pytest.raises(ValueError, match="timezone"):
        context(at=datetime(2025, 1, 1))


def test_an_open_window_on_either_side_is_unbounded():
    from_only = replace(BASE, valid_from=NOW)
    to_only = replace(BASE, valid_to=NOW)
    assert is_eligible(from_only, context(at=NOW + 1000 * DAY))
    assert not is_eligible(from_only, context(at=NOW - DAY))
    assert is_eligible(to_only, context(at=NOW - 1000 * DAY))
    assert not is_eligible(to_only, context(at=NOW))


def test_tier_for_picks_the_largest_fitting_tier():
    rows = [price(BASE, 1000), price(BASE, 900, 5)]
    assert tier_for(rows, 4) == rows[0]
    assert tier_for(rows, 5) == rows[1]
    assert tier_for([price(BASE, 900, 5)], 4) is None


def test_tier_problems_name_tiers_dearer_than_a_smaller_one():
    assert tier_problems([(1, 1000), (5, 900), (10, 900)]) == []
    assert tier_problems([(1, 1000), (5, 1100), (10, 950)]) == [5]
    assert tier_problems([(10, 1200), (1, 1000)]) == [10]


# Properties ---------------------------------------------------------------------------

CHANNELS = st.sampled_from(["chn_web", "chn_pos", "chn_app"])
terms_strategy = st.builds(
    PriceListTerms,
    id=st.sampled_from([f"prl_{n}" for n in range(6)]),
    currency=st.sampled_from(["USD", "EUR"]),
    priority=st.integers(-2, 2),
    channel_ids=st.frozensets(CHANNELS, max_size=2),
    customer_segment=st.none() | st.sampled_from(["vip", "staff"]),
    loyalty_tier=st.none() | st.sampled_from(["gold", "silver"]),
    valid_from=st.none() | st.sampled_from([NOW - DAY, NOW + DAY]),
    valid_to=st.none() | st.sampled_from([NOW, NOW + 2 * DAY]),
    active=st.booleans(),
)
candidate_strategy = st.builds(
    CandidatePrice,
    terms=terms_strategy,
    variant_id=st.just(VARIANT),
    amount=st.integers(0, 100_000),
    min_quantity=st.integers(1, 20),
)
context_strategy = st.builds(
    PricingContext,
    currency=st.sampled_from(["USD", "EUR"]),
    at=st.just(NOW),
    channel_id=st.none() | CHANNELS,
    quantity=st.integers(1, 30),
    segments=st.frozensets(st.sampled_from(["vip", "staff"])),
    loyalty_tier=st.none() | st.sampled_from(["gold", "silver"]),
)


def _consistent(candidates: list[CandidatePrice]) -> list[CandidatePrice]:
    """One set of terms per list id, as rows from one database would have."""
    terms = {c.terms.id: c.terms for c in candidates}
    return [replace(c, terms=terms[c.terms.id]) for c in candidates]


@given(st.lists(candidate_strategy, max_size=12).map(_consistent), context_strategy)
def test_the_result_is_always_one_of_the_eligible_candidates(candidates, ctx):
    resolved = resolve(candidates, ctx)
    if resolved is None:
        assert not any(
            is_eligible(c.terms, ctx) and c.min_quantity <= ctx.quantity for c in candidates
        )
        return
    chosen = [
        c
        for c in candidates
        if c.terms.id == resolved.price_list_id
        and c.amount == resolved.unit_amount
        and c.min_quantity == resolved.min_quantity
    ]
    assert chosen
    assert is_eligible(chosen[0].terms, ctx)
    assert resolved.min_quantity <= ctx.quantity
    assert resolved.line_amount == resolved.unit_amount * ctx.quantity


@given(st.lists(candidate_strategy, max_size=12).map(_consistent), context_strategy)
def test_no_applicable_list_has_a_higher_priority_than_the_winner(candidates, ctx):
    resolved = resolve(candidates, ctx)
    if resolved is None:
        return
    winner = next(c.terms for c in candidates if c.terms.id == resolved.price_list_id)
    for c in candidates:
        if is_eligible(c.terms, ctx) and c.min_quantity <= ctx.quantity:
            assert c.terms.priority <= winner.priority


@given(st.lists(candidate_strategy, max_size=12).map(_consistent), context_strategy, st.randoms())
def test_the_order_of_the_candidates_does_not_matter(candidates, ctx, rng: random.Random):
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    assert resolve(shuffled, ctx) == resolve(candidates, ctx)


@st.composite
def one_list_tiers(draw):
    """A list's tiers as stored: distinct minimum quantities, never dearer per unit."""
    quantities = sorted(draw(st.sets(st.integers(1, 50), min_size=1, max_size=6)))
    amounts = sorted(
        draw(st.lists(st.integers(0, 10_000), min_size=len(quantities), max_size=len(quantities))),
        reverse=True,
    )
    return [price(BASE, amount, q) for q, amount in zip(quantities, amounts, strict=True)]


@given(one_list_tiers(), st.integers(1, 60), st.integers(1, 60))
def test_buying_more_never_raises_the_unit_price_within_one_list(tiers, first, second):
    fewer, more = sorted((first, second))
    at_fewer = resolve(tiers, context(quantity=fewer))
    at_more = resolve(tiers, context(quantity=more))
    if at_fewer is not None:
        assert at_more is not None
        assert at_more.unit_amount <= at_fewer.unit_amount


@given(st.lists(candidate_strategy, max_size=12).map(_consistent), context_strategy)
def test_a_restriction_the_context_does_not_meet_never_applies(candidates, ctx):
    resolved = resolve(candidates, ctx)
    if resolved is None:
        return
    terms = next(c.terms for c in candidates if c.terms.id == resolved.price_list_id)
    assert terms.active and terms.currency == ctx.currency
    assert not terms.channel_ids or ctx.channel_id in terms.channel_ids
    assert terms.customer_segment is None or terms.customer_segment in ctx.segments
    assert terms.loyalty_tier is None or terms.loyalty_tier == ctx.loyalty_tier
