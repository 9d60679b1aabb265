"""Promotions and baskets as values: what a promotion offers, to whom, how it stacks.

Pure: no SQLAlchemy, no FastAPI, no I/O. The caller loads the candidate promotions and
the priced basket; ``omni.promotions.engine.evaluate`` turns them into discounts.
Amounts are :class:`~omni.kernel.money.Money` (integer minor units); percentages are
``Decimal`` ("12.5" means 12.5 %).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from omni.kernel.money import Money, check_currency


class PromotionKind(StrEnum):
    PERCENT_OFF = "percent_off"
    AMOUNT_OFF = "amount_off"
    BUY_X_GET_Y = "buy_x_get_y"
    SPEND_THRESHOLD = "spend_threshold"
    FIXED_PRICE_BUNDLE = "fixed_price_bundle"
    FREE_SHIPPING = "free_shipping"


class Level(StrEnum):
    """Where a discount lands; also the order in which promotions apply (line first)."""

    LINE = "line"  # on the matching items
    ORDER = "order"  # order-wide, allocated to lines pro rata by amount
    SHIPPING = "shipping"


class Stacking(StrEnum):
    EXCLUSIVE = "exclusive"  # applies alone, or not at all
    STACKABLE = "stackable"  # combines with every other stackable promotion
    GROUP = "group"  # combines only with promotions of the same stacking group


class CouponRejection(StrEnum):
    """Why a code the shopper entered gives nothing — stable, machine-readable."""

    UNKNOWN = "unknown"
    DUPLICATE = "duplicate"  # another code of the same promotion is already used
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    NOT_FOR_CHANNEL = "not_for_channel"
    NOT_FOR_CURRENCY = "not_for_currency"
    CUSTOMER_REQUIRED = "customer_required"
    CUSTOMER_NOT_ELIGIBLE = "customer_not_eligible"
    EXHAUSTED = "exhausted"
    ALREADY_USED_BY_CUSTOMER = "already_used_by_customer"
    NO_MATCHING_ITEMS = "no_matching_items"
    MIN_QUANTITY_NOT_MET = "min_quantity_not_met"
    MIN_SUBTOTAL_NOT_MET = "min_subtotal_not_met"
    NOT_FOR_SHIPPING_METHOD = "not_for_shipping_method"
    NO_DISCOUNT = "no_discount"  # valid, but takes nothing off this basket
    NOT_COMBINABLE = "not_combinable"  # a better allowed combination left it out


def normalize_code(code: str) -> str:
    """Coupon codes are case-insensitive and ignore surrounding blanks."""
    return code.strip().upper()


def _check_percent(percent: Decimal) -> None:
    if not Decimal(0) < percent <= Decimal(100):
        raise ValueError(f"a percentage is above 0 and at most 100, not {percent}")


def _check_positive(amount: Money) -> None:
    if amount.amount <= 0:
        raise ValueError("a discount amount is positive")


# --- basket --------------------------------------------------------------------------


@dataclass(frozen=True)
class BasketLine:
    """One priced line; ``unit_price`` is the server's price (pricing module)."""

    id: str
    variant_id: str
    product_id: str
    quantity: int
    unit_price: Money
    category_ids: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError("a line holds at least one unit")
        if self.unit_price.amount < 0:
            raise ValueError("a unit price is never negative")

    @property
    def subtotal(self) -> Money:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class CustomerContext:
    customer_id: str | None = None  # None: a guest
    segments: frozenset[str] = frozenset()
    loyalty_tier: str | None = None


@dataclass(frozen=True)
class Basket:
    currency: str
    channel_id: str
    at: datetime  # when the promotions are evaluated (the injectable clock's now)
    lines: tuple[BasketLine, ...]
    customer: CustomerContext = field(default_factory=CustomerContext)
    coupon_codes: tuple[str, ...] = ()  # as entered, in the order entered
    shipping: Money | None = None  # the chosen option's charge; None: nothing to ship
    shipping_method_id: str | None = None

    def __post_init__(self) -> None:
        check_currency(self.currency)
        if self.at.tzinfo is None:
            raise ValueError("the evaluation time must be timezone-aware")
        if len({line.id for line in self.lines}) != len(self.lines):
            raise ValueError("line ids must be unique")
        charges = [line.unit_price for line in self.lines]
        if self.shipping is not None:
            charges.append(self.shipping)
            if self.shipping.amount < 0:
                raise ValueError("a shipping charge is never negative")
        if any(money.currency != self.currency for money in charges):
            raise ValueError(f"every amount of the basket must be in {self.currency}")

    @property
    def shipping_amount(self) -> int:
        return 0 if self.shipping is None else self.shipping.amount


@dataclass(frozen=True)
class CouponUsage:
    """What the caller's database says about one entered code (it counts uses race-safely;
    the engine only reports). Codes absent from the usage list are taken as usable."""

    code: str
    exhausted: bool = False  # the code's (or its promotion's) global limit is reached
    used_by_customer: bool = False  # this customer reached the per-customer limit


# --- what a promotion applies to ----------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Which lines a promotion looks at: any listed variant, product or category.

    Nothing listed means every line (the whole order)."""

    variant_ids: frozenset[str] = frozenset()
    product_ids: frozenset[str] = frozenset()
    category_ids: frozenset[str] = frozenset()

    @property
    def whole_order(self) -> bool:
        return not (self.variant_ids or self.product_ids or self.category_ids)

    def matches(self, line: BasketLine) -> bool:
        return (
            self.whole_order
            or line.variant_id in self.variant_ids
            or line.product_id in self.product_ids
            or not self.category_ids.isdisjoint(line.category_ids)
        )


EVERYTHING = Target()


# --- what a promotion offers (one benefit per promotion) -----------------------------


@dataclass(frozen=True)
class PercentOff:
    percent: Decimal
    target: Target = EVERYTHING

    def __post_init__(self) -> None:
        _check_percent(self.percent)


@dataclass(frozen=True)
class AmountOff:
    """``amount`` off the matching lines together, or off each matching unit."""

    amount: Money
    target: Target = EVERYTHING
    per_unit: bool = False

    def __post_init__(self) -> None:
        _check_positive(self.amount)


@dataclass(frozen=True)
class BuyXGetY:
    """Buy ``buy_quantity`` units of ``buy_target``, get ``get_quantity`` units at
    ``percent`` off (100: free), repeatedly (up to ``max_applications``).

    ``get_target`` None: the discounted units are the cheapest of the same units."""

    buy_quantity: int
    get_quantity: int
    buy_target: Target = EVERYTHING
    get_target: Target | None = None
    percent: Decimal = Decimal(100)
    max_applications: int | None = None

    def __post_init__(self) -> None:
        if self.buy_quantity < 1 or self.get_quantity < 1:
            raise ValueError("buy and get quantities are at least 1")
        if self.max_applications is not None and self.max_applications < 1:
            raise ValueError("max_applications is at least 1 (None: unlimited)")
        _check_percent(self.percent)


@dataclass(frozen=True)
class ThresholdTier:
    """From ``min_subtotal`` on: ``amount_off`` or ``percent_off`` (exactly one)."""

    min_subtotal: Money
    amount_off: Money | None = None
    percent_off: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.amount_off is None) == (self.percent_off is None):
            raise ValueError("a tier gives either an amount or a percentage off")
        if self.amount_off is not None:
            _check_positive(self.amount_off)
        if self.percent_off is not None:
            _check_percent(self.percent_off)


@dataclass(frozen=True)
class SpendThreshold:
    """The highest tier whose ``min_subtotal`` the matching lines reach applies."""

    tiers: tuple[ThresholdTier, ...]
    target: Target = EVERYTHING

    def __post_init__(self) -> None:
        if not self.tiers:
            raise ValueError("a spend threshold has at least one tier")


@dataclass(frozen=True)
class BundleComponent:
    target: Target
    quantity: int = 1

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError("a bundle component holds at least one unit")


@dataclass(frozen=True)
class FixedPriceBundle:
    """Each complete set of ``components`` costs ``price`` together (e.g. 3 for $10)."""

    components: tuple[BundleComponent, ...]
    price: Money
    max_applications: int | None = None

    def __post_init__(self) -> None:
        if not self.components:
            raise ValueError("a bundle has at least one component")
        if self.price.amount < 0:
            raise ValueError("a bundle price is never negative")


@dataclass(frozen=True)
class FreeShipping:
    method_ids: frozenset[str] = frozenset()  # empty: any shipping method


Benefit = PercentOff | AmountOff | BuyXGetY | SpendThreshold | FixedPriceBundle | FreeShipping

_KINDS: dict[type, PromotionKind] = {
    PercentOff: PromotionKind.PERCENT_OFF,
    AmountOff: PromotionKind.AMOUNT_OFF,
    BuyXGetY: PromotionKind.BUY_X_GET_Y,
    SpendThreshold: PromotionKind.SPEND_THRESHOLD,
    FixedPriceBundle: PromotionKind.FIXED_PRICE_BUNDLE,
    FreeShipping: PromotionKind.FREE_SHIPPING,
}


def benefit_money(benefit: Benefit) -> list[Money]:
    """The amounts a benefit names: they fix the currency it can apply in."""
    if isinstance(benefit, AmountOff):
        return [benefit.amount]
    if isinstance(benefit, SpendThreshold):
        amounts = [tier.min_subtotal for tier in benefit.tiers]
        return amounts + [tier.amount_off for tier in benefit.tiers if tier.amount_off]
    if isinstance(benefit, FixedPriceBundle):
        return [benefit.price]
    return []


def qualifying_targets(benefit: Benefit) -> tuple[Target, ...]:
    """The lines whose units and subtotal the conditions (min quantity/subtotal) count."""
    if isinstance(benefit, PercentOff | AmountOff | SpendThreshold):
        return (benefit.target,)
    if isinstance(benefit, BuyXGetY):
        return (benefit.buy_target,)
    if isinstance(benefit, FixedPriceBundle):
        return tuple(component.target for component in benefit.components)
    return (EVERYTHING,)


# --- the promotion ------------------------------------------------------------------


@dataclass(frozen=True)
class Conditions:
    """When a promotion may apply. Empty sets and None mean "no restriction"."""

    starts_at: datetime | None = None  # inclusive
    ends_at: datetime | None = None  # exclusive
    channel_ids: frozenset[str] = frozenset()
    min_subtotal: Money | None = None  # of the qualifying lines, at the promotion's turn
    min_quantity: int | None = None  # units of the qualifying lines
    segments: frozenset[str] = frozenset()  # the customer is in any of them
    loyalty_tiers: frozenset[str] = frozenset()
    customer_required: bool = False  # signed-in customers only (per-customer limits)


@dataclass(frozen=True)
class Promotion:
    id: str
    name: str
    benefit: Benefit
    conditions: Conditions = field(default_factory=Conditions)
    coupon_codes: frozenset[str] = frozenset()  # non-empty: one of them must be entered
    priority: int = 0  # higher applies first, and wins ties between combinations
    stacking: Stacking = Stacking.STACKABLE
    stacking_group: str | None = None

    def __post_init__(self) -> None:
        if (self.stacking is Stacking.GROUP) != (self.stacking_group is not None):
            raise ValueError("a stacking group is named exactly when stacking is 'group'")

    @property
    def kind(self) -> PromotionKind:
        return _KINDS[type(self.benefit)]

    @property
    def level(self) -> Level:
        benefit = self.benefit
        if isinstance(benefit, FreeShipping):
            return Level.SHIPPING
        if isinstance(benefit, SpendThreshold):
            return Level.ORDER
        if isinstance(benefit, AmountOff) and benefit.per_unit:
            return Level.LINE
        if isinstance(benefit, PercentOff | AmountOff) and benefit.target.whole_order:
            return Level.ORDER
        return Level.LINE

    @property
    def needs_coupon(self) -> bool:
        return bool(self.coupon_codes)

    @property
    def subtotal_sensitive(self) -> bool:
        """Whether other promotions can disqualify it by lowering the subtotal first."""
        return self.conditions.min_subtotal is not None or isinstance(self.benefit, SpendThreshold)
