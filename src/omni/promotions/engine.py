"""The promotion engine: the one place where discounts are computed, for every channel.

``evaluate(basket, promotions, coupon_usage)`` works in five steps:

1. **Coupons.** Entered codes are normalised (trimmed, upper-cased) and matched to the
   promotions that carry them; unknown codes, a second code of the same promotion, codes
   whose promotion fails its fixed conditions, and codes the caller reports exhausted or
   already used by this customer are rejected with a reason.
2. **Candidates.** Automatic promotions whose fixed conditions hold (date window,
   channel, currency, customer) plus the promotions a valid code unlocked.
3. **Allowed combinations.** Each exclusive promotion alone; the stackable promotions
   together; each stacking group's promotions together.
4. **The best combination.** Within a combination, promotions apply line-level first,
   then order-level, then shipping; within a level by priority (higher first), then id.
   Each one works on the amounts left by those before it, so percentages apply to the
   already-discounted amount and no amount ever goes below zero. When a combination
   holds a promotion that a lower subtotal can disqualify (min subtotal, spend
   threshold) and has at most ``MAX_SEARCH_POOL`` members, every subset of it is tried
   too. The winner gives the largest total discount (goods plus shipping); ties go to
   the combination whose applied promotions have the higher priorities, then the
   smaller ids — so the same input always gives the same answer.
5. **Left-out coupons.** A valid code whose promotion is not in the winner is reported
   ``not_combinable`` if it would discount this basket alone, otherwise with the reason
   it failed (``min_subtotal_not_met``, ``no_discount``…).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from omni.kernel.money import Money
from omni.promotions import rules
from omni.promotions.domain import (
    Basket,
    CouponRejection,
    CouponUsage,
    Level,
    Promotion,
    Stacking,
    benefit_money,
    normalize_code,
)
from omni.promotions.results import (
    AppliedPromotion,
    DiscountedLine,
    LineDiscount,
    PromotionResult,
    RejectedCoupon,
)

# 2**6 subsets at most per combination: typical baskets have 1 to 4 candidates, and a
# larger pool is applied whole (documented in docs/promotions.md).
MAX_SEARCH_POOL = 6

_LEVEL_ORDER = {Level.LINE: 0, Level.ORDER: 1, Level.SHIPPING: 2}


def application_order(promotion: Promotion) -> tuple[int, int, str]:
    return (_LEVEL_ORDER[promotion.level], -promotion.priority, promotion.id)


def evaluate(
    basket: Basket, promotions: Iterable[Promotion], coupon_usage: Iterable[CouponUsage] = ()
) -> PromotionResult:
    """The discounts of ``basket`` under the best allowed combination of ``promotions``.

    ``promotions`` are the caller's active candidates for the basket's channel (extra
    ones are harmless: every condition is checked here). ``coupon_usage`` is what the
    database knows about the entered codes; the engine never counts uses itself.
    """
    offered = tuple(promotions)
    if len({p.id for p in offered}) != len(offered):
        raise ValueError("promotion ids must be unique")
    unlocked, rejected = _unlock_coupons(basket, offered, coupon_usage)
    candidates = [p for p in offered if _is_candidate(p, basket, unlocked)]
    best = _best_run(basket, candidates)
    rejected += _left_out_coupons(basket, best, candidates, unlocked)
    return _result(basket, best, unlocked, _in_entry_order(basket, rejected))


# --- steps 1 and 2: coupons and candidates -------------------------------------------


def fixed_condition_miss(promotion: Promotion, basket: Basket) -> CouponRejection | None:
    """Conditions no other promotion can change: when, where, which currency, who."""
    conditions = promotion.conditions
    if conditions.starts_at is not None and basket.at < conditions.starts_at:
        return CouponRejection.NOT_YET_VALID
    if conditions.ends_at is not None and basket.at >= conditions.ends_at:
        return CouponRejection.EXPIRED
    if conditions.channel_ids and basket.channel_id not in conditions.channel_ids:
        return CouponRejection.NOT_FOR_CHANNEL
    named = benefit_money(promotion.benefit)
    if conditions.min_subtotal is not None:
        named.append(conditions.min_subtotal)
    if any(money.currency != basket.currency for money in named):
        return CouponRejection.NOT_FOR_CURRENCY
    customer = basket.customer
    if conditions.customer_required and customer.customer_id is None:
        return CouponRejection.CUSTOMER_REQUIRED
    if conditions.segments and conditions.segments.isdisjoint(customer.segments):
        return CouponRejection.CUSTOMER_NOT_ELIGIBLE
    if conditions.loyalty_tiers and customer.loyalty_tier not in conditions.loyalty_tiers:
        return CouponRejection.CUSTOMER_NOT_ELIGIBLE
    return None


def _usage_miss(usage: CouponUsage | None) -> CouponRejection | None:
    if usage is not None and usage.exhausted:
        return CouponRejection.EXHAUSTED
    if usage is not None and usage.used_by_customer:
        return CouponRejection.ALREADY_USED_BY_CUSTOMER
    return None


def _unlock_coupons(
    basket: Basket, promotions: Sequence[Promotion], coupon_usage: Iterable[CouponUsage]
) -> tuple[dict[str, str], list[RejectedCoupon]]:
    """Promotion id → the code that unlocks it, and the codes rejected on the way."""
    by_code: dict[str, list[Promotion]] = {}
    for promotion in promotions:
        for code in promotion.coupon_codes:
            by_code.setdefault(normalize_code(code), []).append(promotion)
    usage_by_code = {normalize_code(usage.code): usage for usage in coupon_usage}
    unlocked: dict[str, str] = {}
    rejected: list[RejectedCoupon] = []
    for code in dict.fromkeys(normalize_code(c) for c in basket.coupon_codes if c.strip()):
        if code not in by_code:
            rejected.append(RejectedCoupon(code, CouponRejection.UNKNOWN))
            continue
        for promotion in by_code[code]:
            reason = (
                CouponRejection.DUPLICATE
                if promotion.id in unlocked
                else fixed_condition_miss(promotion, basket) or _usage_miss(usage_by_code.get(code))
            )
            if reason is None:
                unlocked[promotion.id] = code
            else:
                rejected.append(RejectedCoupon(code, reason, promotion.id))
    return unlocked, rejected


def _is_candidate(promotion: Promotion, basket: Basket, unlocked: dict[str, str]) -> bool:
    if promotion.needs_coupon:
        return promotion.id in unlocked  # its fixed conditions were checked on unlocking
    return fixed_condition_miss(promotion, basket) is None


# --- steps 3 and 4: combinations and the best one ------------------------------------


@dataclass
class _Run:
    """One combination applied to the basket."""

    combination: tuple[Promotion, ...]
    line_parts: list[list[tuple[Promotion, int]]]  # per line: (promotion, amount off)
    shipping_parts: list[tuple[Promotion, int]] = field(default_factory=list)
    given: dict[str, int] = field(default_factory=dict)  # promotion id → amount off
    misses: dict[str, CouponRejection] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.given.values())


def _run(basket: Basket, combination: Sequence[Promotion]) -> _Run:
    run = _Run(tuple(combination), [[] for _ in basket.lines])
    amounts = [line.subtotal.amount for line in basket.lines]  # what each line still costs
    shipping = basket.shipping_amount
    for promotion in sorted(combination, key=application_order):
        outcome = _outcome(promotion, basket, amounts, shipping)
        if outcome.miss is not None:
            run.misses[promotion.id] = outcome.miss
        else:
            shipping = _take(run, promotion, outcome, amounts, shipping)
    return run


def _outcome(
    promotion: Promotion, basket: Basket, amounts: list[int], shipping: int
) -> rules.Outcome:
    miss = rules.condition_miss(promotion, basket.lines, amounts)
    if miss is not None:
        return rules.Outcome(miss=miss)
    state = rules.ShippingState(shipping, basket.shipping_method_id)
    return rules.compute(promotion.benefit, basket.lines, amounts, state)


def _take(
    run: _Run, promotion: Promotion, outcome: rules.Outcome, amounts: list[int], shipping: int
) -> int:
    """Subtract ``outcome`` from ``amounts`` (in place), record it; the shipping left."""
    given = 0
    for index, wanted in sorted(outcome.line_discounts.items()):
        taken = min(wanted, amounts[index])  # never below zero, whatever a rule rounded
        if taken > 0:
            amounts[index] -= taken
            run.line_parts[index].append((promotion, taken))
            given += taken
    shipping_off = min(outcome.shipping_discount, shipping)
    if shipping_off > 0:
        run.shipping_parts.append((promotion, shipping_off))
    if given + shipping_off > 0:
        run.given[promotion.id] = given + shipping_off
    else:
        run.misses[promotion.id] = CouponRejection.NO_DISCOUNT
    return shipping - shipping_off


def _pools(candidates: Sequence[Promotion]) -> list[list[Promotion]]:
    pools: list[list[Promotion]] = [[p] for p in candidates if p.stacking is Stacking.EXCLUSIVE]
    stackable = [p for p in candidates if p.stacking is Stacking.STACKABLE]
    if stackable:
        pools.append(stackable)
    groups: dict[str, list[Promotion]] = {}
    for promotion in candidates:
        if promotion.stacking is Stacking.GROUP and promotion.stacking_group is not None:
            groups.setdefault(promotion.stacking_group, []).append(promotion)
    return pools + [groups[name] for name in sorted(groups)]


def _combinations(pool: Sequence[Promotion]) -> Iterator[tuple[Promotion, ...]]:
    # Without subtotal conditions, adding a promotion never lowers the total discount
    # (each works on what is left and rounds monotonically), so the whole pool is best.
    yield tuple(pool)
    if len(pool) > MAX_SEARCH_POOL or not any(p.subtotal_sensitive for p in pool):
        return
    for size in range(len(pool) - 1, 0, -1):
        yield from combinations(pool, size)


def _preference(run: _Run) -> tuple[int, list[tuple[int, str]], list[str]]:
    applied = [p for p in run.combination if p.id in run.given]
    return (
        -run.total,
        sorted((-p.priority, p.id) for p in applied),
        sorted(p.id for p in run.combination),
    )


def _best_run(basket: Basket, candidates: Sequence[Promotion]) -> _Run:
    runs = [
        _run(basket, combination)
        for pool in _pools(candidates)
        for combination in _combinations(pool)
    ]
    return min(runs, key=_preference) if runs else _run(basket, ())


# --- step 5 and the answer ------------------------------------------------------------


def _left_out_coupons(
    basket: Basket, best: _Run, candidates: Sequence[Promotion], unlocked: dict[str, str]
) -> list[RejectedCoupon]:
    rejected = []
    for promotion in candidates:
        if not promotion.needs_coupon or promotion.id in best.given:
            continue
        alone = _run(basket, (promotion,))
        reason = (
            CouponRejection.NOT_COMBINABLE
            if alone.total > 0
            else alone.misses.get(promotion.id, CouponRejection.NO_DISCOUNT)
        )
        rejected.append(RejectedCoupon(unlocked[promotion.id], reason, promotion.id))
    return rejected


def _in_entry_order(basket: Basket, rejected: list[RejectedCoupon]) -> tuple[RejectedCoupon, ...]:
    entered = dict.fromkeys(normalize_code(code) for code in basket.coupon_codes)
    position = {code: i for i, code in enumerate(entered)}
    return tuple(sorted(rejected, key=lambda c: (position.get(c.code, 0), c.promotion_id or "")))


def _result(
    basket: Basket, run: _Run, unlocked: dict[str, str], rejected: tuple[RejectedCoupon, ...]
) -> PromotionResult:
    currency = basket.currency
    lines = tuple(
        DiscountedLine(
            line_id=line.id,
            variant_id=line.variant_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discounts=tuple(
                LineDiscount(p.id, p.name, p.kind, p.level, Money(amount, currency))
                for p, amount in parts
            ),
        )
        for line, parts in zip(basket.lines, run.line_parts, strict=True)
    )
    applied = tuple(
        AppliedPromotion(
            p.id, p.name, p.kind, p.level, Money(run.given[p.id], currency), unlocked.get(p.id)
        )
        for p in sorted(run.combination, key=application_order)
        if p.id in run.given
    )
    return PromotionResult(
        currency=currency,
        lines=lines,
        shipping=Money(basket.shipping_amount, currency),
        shipping_discount=Money(sum(amount for _, amount in run.shipping_parts), currency),
        applied=applied,
        rejected_coupons=rejected,
    )
