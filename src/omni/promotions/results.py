"""What the promotion engine answers: discounts per line, shipping, totals, coupons.

Every amount is Money in the basket's currency; ``as_dict()`` renders minor units as
integers (JSON-ready) and is what an order line snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from omni.kernel.money import Money
from omni.promotions.domain import CouponRejection, Level, PromotionKind


@dataclass(frozen=True)
class LineDiscount:
    """The part of one promotion's discount that lands on one line."""

    promotion_id: str
    name: str
    kind: PromotionKind
    level: Level
    amount: Money

    def as_dict(self) -> dict[str, Any]:
        return {
            "promotion_id": self.promotion_id,
            "name": self.name,
            "kind": str(self.kind),
            "level": str(self.level),
            "amount": self.amount.amount,
        }


@dataclass(frozen=True)
class DiscountedLine:
    line_id: str
    variant_id: str
    quantity: int
    unit_price: Money
    discounts: tuple[LineDiscount, ...]  # in the order the promotions applied

    @property
    def subtotal(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def discount(self) -> Money:
        return _sum((part.amount for part in self.discounts), self.unit_price.currency)

    @property
    def total(self) -> Money:
        """What the line costs after every discount: the base for tax and refunds."""
        return self.subtotal - self.discount

    def as_dict(self) -> dict[str, Any]:
        return {
            "line_id": self.line_id,
            "variant_id": self.variant_id,
            "quantity": self.quantity,
            "unit_price": self.unit_price.amount,
            "subtotal": self.subtotal.amount,
            "discount": self.discount.amount,
            "total": self.total.amount,
            "discounts": [part.as_dict() for part in self.discounts],
        }


@dataclass(frozen=True)
class AppliedPromotion:
    promotion_id: str
    name: str
    kind: PromotionKind
    level: Level
    amount: Money  # everything it took off: lines and shipping
    coupon_code: str | None = None  # the code that unlocked it (normalised)

    def as_dict(self) -> dict[str, Any]:
        return {
            "promotion_id": self.promotion_id,
            "name": self.name,
            "kind": str(self.kind),
            "level": str(self.level),
            "amount": self.amount.amount,
            "coupon_code": self.coupon_code,
        }


@dataclass(frozen=True)
class RejectedCoupon:
    code: str  # normalised
    reason: CouponRejection
    promotion_id: str | None = None  # None when the code is unknown

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "reason": str(self.reason), "promotion_id": self.promotion_id}


@dataclass(frozen=True)
class PromotionResult:
    currency: str
    lines: tuple[DiscountedLine, ...]
    shipping: Money
    shipping_discount: Money
    applied: tuple[AppliedPromotion, ...]  # in the order they applied
    rejected_coupons: tuple[RejectedCoupon, ...]  # in the order the codes were entered

    @property
    def subtotal(self) -> Money:
        return _sum((line.subtotal for line in self.lines), self.currency)

    @property
    def line_discount(self) -> Money:
        """Everything taken off the goods (line- and order-level promotions)."""
        return _sum((line.discount for line in self.lines), self.currency)

    @property
    def shipping_total(self) -> Money:
        return self.shipping - self.shipping_discount

    @property
    def discount_total(self) -> Money:
        return self.line_discount + self.shipping_discount

    @property
    def total(self) -> Money:
        """Goods after discounts plus shipping after discounts; tax comes on top (or is
        inside, for tax-inclusive prices) — see omni.taxes."""
        return self.subtotal - self.line_discount + self.shipping_total

    @property
    def applied_codes(self) -> tuple[str, ...]:
        return tuple(p.coupon_code for p in self.applied if p.coupon_code is not None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "subtotal": self.subtotal.amount,
            "line_discount": self.line_discount.amount,
            "shipping": self.shipping.amount,
            "shipping_discount": self.shipping_discount.amount,
            "shipping_total": self.shipping_total.amount,
            "discount_total": self.discount_total.amount,
            "total": self.total.amount,
            "lines": [line.as_dict() for line in self.lines],
            "applied": [promotion.as_dict() for promotion in self.applied],
            "rejected_coupons": [coupon.as_dict() for coupon in self.rejected_coupons],
        }


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total
