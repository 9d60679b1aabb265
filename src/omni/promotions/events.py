"""Facts the promotions module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class PromotionCreated(Event):
    name = "promotion.created"
    promotion_id: str
    kind: str
    requires_coupon: bool


@dataclass(frozen=True, kw_only=True)
class PromotionUpdated(Event):
    name = "promotion.updated"
    promotion_id: str
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class PromotionDeactivated(Event):
    name = "promotion.deactivated"
    promotion_id: str


@dataclass(frozen=True, kw_only=True)
class CouponCreated(Event):
    name = "coupon.created"
    promotion_id: str
    code: str


@dataclass(frozen=True, kw_only=True)
class CouponBatchCreated(Event):
    """Many codes generated at once (the codes themselves are not in the payload)."""

    name = "coupon.batch_created"
    promotion_id: str
    count: int
    prefix: str


@dataclass(frozen=True, kw_only=True)
class CouponDeactivated(Event):
    name = "coupon.deactivated"
    promotion_id: str
    code: str


@dataclass(frozen=True, kw_only=True)
class CouponRedeemed(Event):
    name = "coupon.redeemed"
    code: str
    promotion_id: str
    order_id: str
    customer_id: str | None


@dataclass(frozen=True, kw_only=True)
class CouponReleased(Event):
    """A cancelled order gave its use of the code back."""

    name = "coupon.released"
    code: str
    promotion_id: str
    order_id: str
    customer_id: str | None
