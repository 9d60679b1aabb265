"""Step: what checkout needs besides products and stock — sales tax where Harbor & Pine
sells (CH5), and the promotions a shopper meets on day one (CH4).

Rates are the combined state and local rates of the demo's store cities (New York City,
Jersey City, Chicago, San Francisco, Reno). New York and New Jersey exempt everyday
clothing (New York City only under $110 an item: the demo's clothes are); New York and
New Jersey tax shipping, the others do not when it is stated separately.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from omni.demo.context import BuildContext
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.promotions.codec import encode_benefit, encode_conditions
from omni.promotions.domain import Conditions, FreeShipping, PercentOff
from omni.promotions.models import CouponCode, PromotionRecord
from omni.taxes.models import TaxRateRecord, TaxRegionRecord

# region code → (name, {tax class: percent}, shipping tax class)
TAX_TABLE: dict[str, tuple[str, dict[str, str], str | None]] = {
    "US-NY": ("New York City", {"standard": "8.875", "clothing": "0"}, "standard"),
    "US-NJ": ("Jersey City", {"standard": "6.625", "clothing": "0"}, "standard"),
    "US-IL": ("Chicago", {"standard": "10.25", "clothing": "10.25"}, None),
    "US-CA": ("San Francisco", {"standard": "8.625", "clothing": "8.625"}, None),
    "US-NV": ("Reno", {"standard": "8.265", "clothing": "8.265"}, None),
}
WELCOME_CODE = "WELCOME10"


async def build_commerce(ctx: BuildContext) -> None:
    await _taxes(ctx)
    await _promotions(ctx)


async def _taxes(ctx: BuildContext) -> None:
    created = ctx.days_ago(400)
    regions, rates = [], []
    for code, (name, by_class, shipping_class) in TAX_TABLE.items():
        regions.append(
            {
                "code": code,
                "name": name,
                "prices_include_tax": False,
                "rounding": "line",
                "shipping_tax_class": shipping_class,
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
        )
        for tax_class, percent in by_class.items():
            label = "Sales tax" if Decimal(percent) else "Exempt"
            rates.append(
                {
                    "id": new_id("txr"),
                    "region_code": code,
                    "tax_class": tax_class,
                    "percent": percent,
                    "name": f"{name} {label}",
                    "valid_from": None,
                    "valid_to": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
    await ctx.insert(TaxRegionRecord, regions)
    await ctx.insert(TaxRateRecord, rates)


def _promotion(ctx: BuildContext, name: str, benefit: Any, **values: Any) -> dict[str, Any]:
    conditions = values.pop("conditions", Conditions())
    created = ctx.days_ago(60)
    return {
        "id": new_id("prm"),
        "name": name,
        "description": values.pop("description", ""),
        "kind": encode_benefit(benefit)["kind"],
        "currency": values.pop("currency", None),
        "benefit": encode_benefit(benefit),
        "conditions": encode_conditions(conditions),
        "starts_at": None,
        "ends_at": None,
        "priority": 0,
        "stacking": "stackable",
        "stacking_group": None,
        "requires_coupon": False,
        "active": True,
        "created_at": created,
        "updated_at": created,
        "version": 1,
        **values,
    }


async def _promotions(ctx: BuildContext) -> None:
    free_shipping = _promotion(
        ctx,
        "Free standard shipping over $75",
        FreeShipping(frozenset({"ship"})),
        conditions=Conditions(min_subtotal=Money(7500, "USD")),
        currency="USD",
    )
    welcome = _promotion(
        ctx,
        "10% off your first order",
        PercentOff(Decimal(10)),
        conditions=Conditions(customer_required=True),
        requires_coupon=True,
        description=f"Sign up and use {WELCOME_CODE} once.",
    )
    await ctx.insert(PromotionRecord, [free_shipping, welcome])
    await ctx.insert(
        CouponCode,
        [
            {
                "code": WELCOME_CODE,
                "promotion_id": welcome["id"],
                "max_uses": None,
                "uses": 0,
                "max_uses_per_customer": 1,
                "active": True,
                "created_at": welcome["created_at"],
            }
        ],
    )
