"""What each kind of promotion takes off a basket as it stands at the promotion's turn.

Every function reads the lines' *current* amounts (after the promotions applied before
it) and answers discounts per line index; the engine subtracts them. Nothing here picks
between promotions — that is the engine's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from omni.kernel.money import round_half_up
from omni.promotions.allocation import allocate, percent_of
from omni.promotions.domain import (
    AmountOff,
    BasketLine,
    Benefit,
    BuyXGetY,
    CouponRejection,
    FixedPriceBundle,
    FreeShipping,
    PercentOff,
    Promotion,
    SpendThreshold,
    Target,
    qualifying_targets,
)

Amounts = Sequence[int]  # current amount of each line, by line index


@dataclass(frozen=True)
class Outcome:
    line_discounts: dict[int, int] = field(default_factory=dict)
    shipping_discount: int = 0
    miss: CouponRejection | None = None


@dataclass(frozen=True)
class ShippingState:
    amount: int  # what shipping still costs
    method_id: str | None


def matching(target: Target, lines: Sequence[BasketLine]) -> list[int]:
    return [index for index, line in enumerate(lines) if target.matches(line)]


def _qualifying(promotion: Promotion, lines: Sequence[BasketLine]) -> list[int]:
    targets = qualifying_targets(promotion.benefit)
    return [i for i, line in enumerate(lines) if any(t.matches(line) for t in targets)]


def condition_miss(
    promotion: Promotion, lines: Sequence[BasketLine], amounts: Amounts
) -> CouponRejection | None:
    """The min quantity / min subtotal conditions, on the qualifying lines as they stand."""
    indices = _qualifying(promotion, lines)
    if not indices:
        return CouponRejection.NO_MATCHING_ITEMS
    conditions = promotion.conditions
    units = sum(lines[i].quantity for i in indices)
    if conditions.min_quantity is not None and units < conditions.min_quantity:
        return CouponRejection.MIN_QUANTITY_NOT_MET
    subtotal = sum(amounts[i] for i in indices)
    if conditions.min_subtotal is not None and subtotal < conditions.min_subtotal.amount:
        return CouponRejection.MIN_SUBTOTAL_NOT_MET
    return None


def compute(
    benefit: Benefit, lines: Sequence[BasketLine], amounts: Amounts, shipping: ShippingState
) -> Outcome:
    if isinstance(benefit, PercentOff):
        return percent_off(benefit, lines, amounts)
    if isinstance(benefit, AmountOff):
        return amount_off(benefit, lines, amounts)
    if isinstance(benefit, SpendThreshold):
        return spend_threshold(benefit, lines, amounts)
    if isinstance(benefit, BuyXGetY):
        return buy_x_get_y(benefit, lines, amounts)
    if isinstance(benefit, FixedPriceBundle):
        return fixed_price_bundle(benefit, lines, amounts)
    return free_shipping(benefit, shipping)


def _spread(total: int, indices: Sequence[int], amounts: Amounts) -> dict[int, int]:
    """``total`` over the lines pro rata to their current amounts, exactly."""
    parts = allocate(total, [amounts[i] for i in indices])
    return {index: part for index, part in zip(indices, parts, strict=True) if part}


def percent_off(benefit: PercentOff, lines: Sequence[BasketLine], amounts: Amounts) -> Outcome:
    # One rounding on the matching lines together, then an exact split: "20 % off" is
    # 20 % of what the receipt shows, not a sum of per-line roundings.
    indices = matching(benefit.target, lines)
    base = sum(amounts[i] for i in indices)
    total = round_half_up(percent_of(base, benefit.percent))
    return Outcome(_spread(total, indices, amounts))


def amount_off(benefit: AmountOff, lines: Sequence[BasketLine], amounts: Amounts) -> Outcome:
    indices = matching(benefit.target, lines)
    if benefit.per_unit:
        each = benefit.amount.amount
        return Outcome({i: min(each * lines[i].quantity, amounts[i]) for i in indices})
    total = min(benefit.amount.amount, sum(amounts[i] for i in indices))
    return Outcome(_spread(total, indices, amounts))


def spend_threshold(
    benefit: SpendThreshold, lines: Sequence[BasketLine], amounts: Amounts
) -> Outcome:
    indices = matching(benefit.target, lines)
    base = sum(amounts[i] for i in indices)
    reached = [tier for tier in benefit.tiers if tier.min_subtotal.amount <= base]
    if not reached:
        return Outcome(miss=CouponRejection.MIN_SUBTOTAL_NOT_MET)
    tier = max(reached, key=lambda tier: tier.min_subtotal.amount)
    if tier.amount_off is not None:
        total = min(tier.amount_off.amount, base)
    else:
        assert tier.percent_off is not None  # a tier has one or the other (checked)
        total = round_half_up(percent_of(base, tier.percent_off))
    return Outcome(_spread(total, indices, amounts))


def free_shipping(benefit: FreeShipping, shipping: ShippingState) -> Outcome:
    if benefit.method_ids and shipping.method_id not in benefit.method_ids:
        return Outcome(miss=CouponRejection.NOT_FOR_SHIPPING_METHOD)
    return Outcome(shipping_discount=shipping.amount)


# --- unit-based rules: buy X get Y, bundles ------------------------------------------


def _unit_value(index: int, lines: Sequence[BasketLine], amounts: Amounts) -> Fraction:
    return Fraction(amounts[index], lines[index].quantity)


def _take_cheapest(
    indices: Sequence[int], count: int, lines: Sequence[BasketLine], amounts: Amounts
) -> dict[int, int]:
    """``count`` units, cheapest first (earlier line on equal price): units per line."""
    taken: dict[int, int] = {}
    for index in sorted(indices, key=lambda i: (_unit_value(i, lines, amounts), i)):
        if count == 0:
            break
        take = min(count, lines[index].quantity)
        taken[index] = take
        count -= take
    return taken


def _units_discount(
    taken: dict[int, int], percent: Fraction, lines: Sequence[BasketLine], amounts: Amounts
) -> dict[int, int]:
    # ``taken`` units of a line are worth their share of its current amount.
    return {
        i: min(amounts[i], round_half_up(Fraction(amounts[i] * units, lines[i].quantity) * percent))
        for i, units in taken.items()
    }


def _get_units(benefit: BuyXGetY, lines: Sequence[BasketLine], amounts: Amounts) -> dict[int, int]:
    """The discounted units: the most applications the basket allows, cheapest first."""
    buy = matching(benefit.buy_target, lines)
    buy_units = sum(lines[i].quantity for i in buy)
    if benefit.get_target is None:
        applications = buy_units // (benefit.buy_quantity + benefit.get_quantity)
        if benefit.max_applications is not None:
            applications = min(applications, benefit.max_applications)
        return _take_cheapest(buy, applications * benefit.get_quantity, lines, amounts)
    get = matching(benefit.get_target, lines)
    buy_set = set(buy)

    def attempt(applications: int) -> dict[int, int] | None:
        taken = _take_cheapest(get, applications * benefit.get_quantity, lines, amounts)
        # A unit is either bought or given: given units no longer count as bought.
        left_to_buy = buy_units - sum(units for i, units in taken.items() if i in buy_set)
        return taken if left_to_buy >= applications * benefit.buy_quantity else None

    upper = min(
        sum(lines[i].quantity for i in get) // benefit.get_quantity,
        buy_units // benefit.buy_quantity,
        benefit.max_applications if benefit.max_applications is not None else buy_units,
    )
    # Feasibility only shrinks as applications grow: binary search the largest.
    low, high = 0, upper
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if attempt(middle) is not None else (low, middle - 1)
    return attempt(low) or {}


def buy_x_get_y(benefit: BuyXGetY, lines: Sequence[BasketLine], amounts: Amounts) -> Outcome:
    taken = _get_units(benefit, lines, amounts)
    if not taken:
        return Outcome(miss=CouponRejection.MIN_QUANTITY_NOT_MET)
    percent = Fraction(benefit.percent) / 100
    return Outcome(_units_discount(taken, percent, lines, amounts))


def _fill_bundle(
    components: Sequence[tuple[int, list[int]]], free: dict[int, int]
) -> dict[int, int] | None:
    """One set of components from the units still ``free``, or None when a component
    cannot be filled. ``components`` are (quantity, candidate lines dearest first)."""
    picked: dict[int, int] = {}
    for quantity, candidates in components:
        need = quantity
        for i in candidates:
            take = min(need, free[i] - picked.get(i, 0))
            if take > 0:
                picked[i] = picked.get(i, 0) + take
                need -= take
        if need:
            return None
    return picked


def fixed_price_bundle(
    benefit: FixedPriceBundle, lines: Sequence[BasketLine], amounts: Amounts
) -> Outcome:
    values = [_unit_value(i, lines, amounts) for i in range(len(lines))]
    # Dearest units first: the biggest saving per set.
    components = [
        (c.quantity, sorted(matching(c.target, lines), key=lambda i: (-values[i], i)))
        for c in benefit.components
    ]
    free = {i: line.quantity for i, line in enumerate(lines)}
    limit = benefit.max_applications
    saving_by_line: dict[int, Fraction] = {}
    applications = 0
    filled_a_set = False
    while limit is None or applications < limit:
        picked = _fill_bundle(components, free)
        if picked is None:
            break
        filled_a_set = True
        worth = sum((values[i] * n for i, n in picked.items()), Fraction(0))
        saving = worth - benefit.price.amount
        if saving <= 0:
            break  # later sets hold cheaper units: they would not save either
        # The next sets pick the same units until one line runs out: take them together.
        repeat = min(free[i] // n for i, n in picked.items())
        if limit is not None:
            repeat = min(repeat, limit - applications)
        for i, n in picked.items():
            share = saving * values[i] * n / worth
            saving_by_line[i] = saving_by_line.get(i, Fraction(0)) + share * repeat
            free[i] -= n * repeat
        applications += repeat
    if not saving_by_line:
        # A complete set that saves nothing is "no discount", reported by the engine.
        return Outcome(miss=None if filled_a_set else CouponRejection.MIN_QUANTITY_NOT_MET)
    indices = sorted(saving_by_line)
    total = round_half_up(sum(saving_by_line.values(), Fraction(0)))
    parts = allocate(total, [saving_by_line[i] for i in indices])
    return Outcome({i: part for i, part in zip(indices, parts, strict=True) if part})
