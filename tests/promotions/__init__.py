"""Tests of the promotion engine, and the small builders they share.

The builders keep the tables readable: ``line("shirt", 2, 2500)`` is two shirts at
$25.00; ``promo("p1", PercentOff(...))`` a stackable promotion with no conditions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from omni.kernel.money import Money
from omni.promotions.domain import (
    Basket,
    BasketLine,
    Benefit,
    CustomerContext,
    Promotion,
    Target,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
CHANNEL = "chn_web"


def usd(amount: int) -> Money:
    return Money(amount, "USD")


def pct(value: str | int) -> Decimal:
    return Decimal(value)


def line(
    name: str,
    quantity: int,
    unit_amount: int,
    categories: tuple[str, ...] = (),
    currency: str = "USD",
) -> BasketLine:
    """A line whose ids derive from ``name``: line ``l_<name>``, variant ``var_<name>``,
    product ``prd_<name>``; categories ``cat_<c>``."""
    return BasketLine(
        id=f"l_{name}",
        variant_id=f"var_{name}",
        product_id=f"prd_{name}",
        quantity=quantity,
        unit_price=Money(unit_amount, currency),
        category_ids=frozenset(f"cat_{c}" for c in categories),
    )


def basket(*lines: BasketLine, **overrides: Any) -> Basket:
    currency = lines[0].unit_price.currency if lines else "USD"
    values: dict[str, Any] = {
        "currency": currency,
        "channel_id": CHANNEL,
        "at": NOW,
        "lines": tuple(lines),
        "customer": CustomerContext(customer_id="cus_1"),
    }
    return Basket(**{**values, **overrides})


def products(*names: str) -> Target:
    return Target(product_ids=frozenset(f"prd_{name}" for name in names))


def variants(*names: str) -> Target:
    return Target(variant_ids=frozenset(f"var_{name}" for name in names))


def categories(*names: str) -> Target:
    return Target(category_ids=frozenset(f"cat_{name}" for name in names))


def promo(promotion_id: str, benefit: Benefit, **overrides: Any) -> Promotion:
    return Promotion(id=promotion_id, name=promotion_id.upper(), benefit=benefit, **overrides)


def line_discounts(result: Any) -> dict[str, int]:
    """Line id → total discount, for compact assertions."""
    return {line.line_id: line.discount.amount for line in result.lines}
