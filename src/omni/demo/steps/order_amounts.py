"""What the demo's orders cost, line by line (vectorised, in integer minor units).

Unit prices come from the channel's price list (the marketplace's own list there, the
base list elsewhere, with its quantity tiers); WELCOME10 takes 10 % off each line of
a customer's first online order that used it; sales tax is the order's region's rate
for the item's tax class, rounded half up per line (as ``kernel.money.round_half_up``
rounds), on the shipping too where the region taxes it. Standard shipping is free from
$75 (the demo's free-shipping promotion). So: line total = subtotal - discount + tax,
order total = sum of its lines + shipping + the shipping's tax.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from omni.demo.steps.commerce import TAX_TABLE
from omni.orders.shipping import SHIPPING_CHARGES

Ints = NDArray[np.int64]
WELCOME_PERCENT = 10
FREE_SHIPPING_FROM = 7_500
TAX_CLASSES = ("standard", "clothing")
REGIONS = tuple(TAX_TABLE)
# Rates in thousandths of a percent (8.875 % → 8875): exact integers for numpy.
RATE_SCALE = 100_000
RATES = np.array(
    [[int(Decimal(TAX_TABLE[r][1][c]) * 1000) for c in TAX_CLASSES] for r in REGIONS],
    dtype=np.int64,
)
RATE_TEXT = [[TAX_TABLE[r][1][c] for c in TAX_CLASSES] for r in REGIONS]
SHIPPING_TAXED = np.array([TAX_TABLE[r][2] is not None for r in REGIONS])
SHIPPING = {method.value: amount for method, amount in SHIPPING_CHARGES.items()}


@dataclass(frozen=True)
class Prices:
    """Per variant index: base price by quantity tier, and the marketplace's price."""

    base: Ints
    tier4: Ints
    tier8: Ints
    marketplace: Ints


@dataclass(frozen=True)
class Amounts:
    unit_price: Ints
    subtotal: Ints
    discount: Ints
    tax: Ints
    total: Ints
    order_subtotal: Ints
    order_discount: Ints
    shipping: Ints
    free_shipping: NDArray[np.bool_]  # the promotion took the (standard) charge off
    order_tax: Ints
    order_total: Ints
    region: Ints  # per order: index into ``REGIONS``


def percent_of(amount: Ints, thousandths: Ints | int, scale: int) -> Ints:
    """``amount * rate / scale`` rounded half up, exactly, for non-negative amounts."""
    return (2 * amount * thousandths + scale) // (2 * scale)


def compute(
    lines: dict[str, Ints],
    orders: dict[str, Ints],
    prices: Prices,
    tax_class: Ints,
) -> Amounts:
    """``lines``: order, variant, quantity; ``orders``: marketplace, welcome (0/1),
    region (index into ``REGIONS``), shipping (base charge of the method),
    free_shipping_since (placed once the free-shipping promotion existed)."""
    order, variant, quantity = lines["order"], lines["variant"], lines["quantity"]
    count = len(orders["region"])
    tiered = np.where(
        quantity >= 8,
        prices.tier8[variant],
        np.where(quantity >= 4, prices.tier4[variant], prices.base[variant]),
    )
    unit = np.where(orders["marketplace"][order] == 1, prices.marketplace[variant], tiered)
    subtotal = unit * quantity
    discount = percent_of(subtotal, WELCOME_PERCENT * orders["welcome"][order], 100)
    rate = RATES[orders["region"][order], tax_class[variant]]
    tax = percent_of(subtotal - discount, rate, RATE_SCALE)
    total = subtotal - discount + tax
    order_subtotal = np.bincount(order, weights=subtotal, minlength=count).astype(np.int64)
    free = (
        (orders["shipping"] == SHIPPING["ship"])
        & (order_subtotal >= FREE_SHIPPING_FROM)
        & orders["free_shipping_since"]
    )
    shipping = np.where(free, 0, orders["shipping"])
    standard = RATES[orders["region"], 0] * SHIPPING_TAXED[orders["region"]]
    shipping_tax = percent_of(shipping, standard, RATE_SCALE)
    line_tax = np.bincount(order, weights=tax, minlength=count).astype(np.int64)
    goods = np.bincount(order, weights=total, minlength=count).astype(np.int64)
    return Amounts(
        unit_price=unit,
        subtotal=subtotal,
        discount=discount,
        tax=tax,
        total=total,
        order_subtotal=order_subtotal,
        order_discount=np.bincount(order, weights=discount, minlength=count).astype(np.int64),
        shipping=shipping,
        free_shipping=free,
        order_tax=line_tax + shipping_tax,
        order_total=goods + shipping + shipping_tax,
        region=orders["region"],
    )
