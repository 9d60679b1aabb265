"""Request and response models of the promotions module.

A benefit is one object whose ``kind`` picks its shape (a tagged union), so a malformed
benefit is refused with the path of the bad field (``benefit.percent_off.percent``).
Amounts are integer minor units of the promotion's ``currency``; percentages are decimal
numbers or strings ("12.5"), answered as strings.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from omni.http.schemas import StrictModel
from omni.kernel.money import check_currency
from omni.promotions.domain import PromotionKind, Stacking

MAX_AMOUNT = 10**15
MAX_IDS = 1000
MAX_BULK_CODES = 50_000
CODE_PATTERN = r"^[A-Za-z0-9_-]{3,64}$"
PREFIX_PATTERN = r"^[A-Za-z0-9_-]{0,24}$"
GROUP_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"

Percent = Annotated[Decimal, Field(gt=0, le=100, max_digits=9, decimal_places=4)]
Amount = Annotated[int, Field(gt=0, le=MAX_AMOUNT, description="Minor units")]
Id = Annotated[str, Field(min_length=1, max_length=32)]
Label = Annotated[str, Field(min_length=1, max_length=64)]
Ids = Annotated[list[Id], Field(max_length=MAX_IDS)]


def aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("give a time zone (e.g. 2025-01-01T00:00:00Z)")
    return value.astimezone(UTC)


def currency_code(value: str | None) -> str | None:
    return None if value is None else check_currency(value.upper())


# --- benefits -----------------------------------------------------------------------


class TargetIn(StrictModel):
    """Lines matching any listed variant, product or category; all empty: every line."""

    variant_ids: Ids = Field(default_factory=list)
    product_ids: Ids = Field(default_factory=list)
    category_ids: Ids = Field(default_factory=list)

    @property
    def whole_order(self) -> bool:
        return not (self.variant_ids or self.product_ids or self.category_ids)


class PercentOffIn(StrictModel):
    kind: Literal[PromotionKind.PERCENT_OFF]
    percent: Percent
    target: TargetIn = Field(default_factory=TargetIn)


class AmountOffIn(StrictModel):
    kind: Literal[PromotionKind.AMOUNT_OFF]
    amount: Amount
    target: TargetIn = Field(default_factory=TargetIn)
    per_unit: bool = False


class BuyXGetYIn(StrictModel):
    kind: Literal[PromotionKind.BUY_X_GET_Y]
    buy_quantity: int = Field(ge=1, le=1000)
    get_quantity: int = Field(ge=1, le=1000)
    buy_target: TargetIn = Field(default_factory=TargetIn)
    get_target: TargetIn | None = None
    percent: Percent = Decimal(100)
    max_applications: int | None = Field(default=None, ge=1, le=1_000_000)


class ThresholdTierIn(StrictModel):
    min_subtotal: int = Field(ge=0, le=MAX_AMOUNT)
    amount_off: Amount | None = None
    percent_off: Percent | None = None

    @model_validator(mode="after")
    def _one_benefit(self) -> Self:
        if (self.amount_off is None) == (self.percent_off is None):
            raise ValueError("a tier gives either amount_off or percent_off")
        return self


class SpendThresholdIn(StrictModel):
    kind: Literal[PromotionKind.SPEND_THRESHOLD]
    tiers: list[ThresholdTierIn] = Field(min_length=1, max_length=20)
    target: TargetIn = Field(default_factory=TargetIn)

    @field_validator("tiers")
    @classmethod
    def _distinct(cls, tiers: list[ThresholdTierIn]) -> list[ThresholdTierIn]:
        thresholds = [tier.min_subtotal for tier in tiers]
        if len(set(thresholds)) != len(thresholds):
            raise ValueError("two tiers start at the same min_subtotal")
        return tiers


class BundleComponentIn(StrictModel):
    target: TargetIn
    quantity: int = Field(default=1, ge=1, le=100)

    @field_validator("target")
    @classmethod
    def _named(cls, target: TargetIn) -> TargetIn:
        if target.whole_order:
            raise ValueError("a bundle component names variants, products or categories")
        return target


class FixedPriceBundleIn(StrictModel):
    kind: Literal[PromotionKind.FIXED_PRICE_BUNDLE]
    components: list[BundleComponentIn] = Field(min_length=1, max_length=20)
    price: int = Field(ge=0, le=MAX_AMOUNT, description="Minor units, for one complete set")
    max_applications: int | None = Field(default=None, ge=1, le=1_000_000)


class FreeShippingIn(StrictModel):
    kind: Literal[PromotionKind.FREE_SHIPPING]
    method_ids: Annotated[list[Label], Field(max_length=100)] = Field(default_factory=list)


BenefitIn = Annotated[
    PercentOffIn
    | AmountOffIn
    | BuyXGetYIn
    | SpendThresholdIn
    | FixedPriceBundleIn
    | FreeShippingIn,
    Field(discriminator="kind"),
]


class ConditionsIn(StrictModel):
    """When a promotion may apply; empty lists and null mean "no restriction"."""

    channel_ids: Annotated[list[Id], Field(max_length=100)] = Field(default_factory=list)
    min_subtotal: int | None = Field(default=None, ge=1, le=MAX_AMOUNT)
    min_quantity: int | None = Field(default=None, ge=1, le=1_000_000)
    segments: Annotated[list[Label], Field(max_length=100)] = Field(default_factory=list)
    loyalty_tiers: Annotated[list[Label], Field(max_length=100)] = Field(default_factory=list)
    customer_required: bool = False


# --- promotions ---------------------------------------------------------------------


class PromotionIn(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    currency: str | None = Field(
        default=None,
        min_length=3,
        max_length=3,
        description="Required exactly when the benefit or conditions name amounts",
    )
    benefit: BenefitIn
    conditions: ConditionsIn = Field(default_factory=ConditionsIn)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int = Field(default=0, ge=-1_000_000, le=1_000_000)
    stacking: Stacking = Stacking.STACKABLE
    stacking_group: str | None = Field(default=None, pattern=GROUP_PATTERN)
    requires_coupon: bool = False
    active: bool = True

    _currency = field_validator("currency")(currency_code)
    _aware = field_validator("starts_at", "ends_at")(aware)


class PromotionPatch(StrictModel):
    """Fields to change; ``benefit`` and ``conditions`` are replaced whole."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    benefit: BenefitIn | None = None
    conditions: ConditionsIn | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    priority: int | None = Field(default=None, ge=-1_000_000, le=1_000_000)
    stacking: Stacking | None = None
    stacking_group: str | None = Field(default=None, pattern=GROUP_PATTERN)
    requires_coupon: bool | None = None
    active: bool | None = None

    _currency = field_validator("currency")(currency_code)
    _aware = field_validator("starts_at", "ends_at")(aware)


class PromotionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    description: str
    kind: str
    currency: str | None
    benefit: dict[str, Any]
    conditions: dict[str, Any]
    starts_at: datetime | None
    ends_at: datetime | None
    priority: int
    stacking: str
    stacking_group: str | None
    requires_coupon: bool
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int


# --- coupons ------------------------------------------------------------------------


class CouponLimits(StrictModel):
    max_uses: int | None = Field(
        default=None, ge=1, le=1_000_000_000, description="null: unlimited"
    )
    max_uses_per_customer: int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="null: unlimited; needs conditions.customer_required on the promotion",
    )


class CouponIn(CouponLimits):
    code: str = Field(pattern=CODE_PATTERN, description="Stored upper case")


class CouponBatchIn(CouponLimits):
    count: int = Field(ge=1, le=MAX_BULK_CODES)
    prefix: str = Field(default="", pattern=PREFIX_PATTERN)
    length: int = Field(default=10, ge=6, le=24, description="Random characters after the prefix")


class CouponOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    promotion_id: str
    max_uses: int | None
    uses: int
    max_uses_per_customer: int | None
    active: bool
    created_at: datetime


class CouponBatchOut(BaseModel):
    promotion_id: str
    created: int
    max_uses: int | None
    max_uses_per_customer: int | None
    codes: list[str]


# --- the dry run --------------------------------------------------------------------


class EvaluateLineIn(StrictModel):
    variant_id: Id
    quantity: int = Field(ge=1, le=100_000)


class EvaluateCustomerIn(StrictModel):
    customer_id: Id | None = None
    segments: Annotated[list[Label], Field(max_length=100)] = Field(default_factory=list)
    loyalty_tier: Label | None = None


class EvaluateIn(StrictModel):
    """A basket to price and discount as checkout would; prices come from the server."""

    channel_id: Id
    currency: str | None = Field(
        default=None, min_length=3, max_length=3, description="Default: the channel's"
    )
    lines: list[EvaluateLineIn] = Field(min_length=1, max_length=200)
    coupon_codes: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=20)] = (
        Field(default_factory=list)
    )
    customer: EvaluateCustomerIn = Field(default_factory=EvaluateCustomerIn)
    shipping: int | None = Field(default=None, ge=0, le=MAX_AMOUNT, description="Minor units")
    shipping_method_id: Label | None = None
    at: datetime | None = Field(default=None, description="Default: now")

    _currency = field_validator("currency")(currency_code)
    _aware = field_validator("at")(aware)


class LineDiscountOut(BaseModel):
    promotion_id: str
    name: str
    kind: str
    level: str
    amount: int


class DiscountedLineOut(BaseModel):
    line_id: str
    variant_id: str
    quantity: int
    unit_price: int
    subtotal: int
    discount: int
    total: int
    discounts: list[LineDiscountOut]


class AppliedPromotionOut(BaseModel):
    promotion_id: str
    name: str
    kind: str
    level: str
    amount: int
    coupon_code: str | None


class RejectedCouponOut(BaseModel):
    code: str
    reason: str
    promotion_id: str | None


class EvaluateOut(BaseModel):
    """The engine's answer (``PromotionResult.as_dict()``), amounts in minor units."""

    channel_id: str
    at: datetime
    currency: str
    subtotal: int
    line_discount: int
    shipping: int
    shipping_discount: int
    shipping_total: int
    discount_total: int
    total: int
    lines: list[DiscountedLineOut]
    applied: list[AppliedPromotionOut]
    rejected_coupons: list[RejectedCouponOut]
