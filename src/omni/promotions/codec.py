"""Stored promotions ↔ the engine's values: the canonical JSON of benefits and conditions.

Pure (no SQLAlchemy, no FastAPI). What is stored is always ``encode_*`` of a value the
engine accepted, so ``decode_*`` gives back exactly that value: amounts are integer minor
units (the currency is the promotion's one ``currency`` column), percentages are decimal
text ("12.5"), id sets are sorted lists.

A benefit document carries its ``kind``::

    {"kind": "percent_off", "percent": "20", "target": {"category_ids": ["cat_tops"]}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from omni.kernel.money import Money
from omni.promotions.domain import (
    EVERYTHING,
    AmountOff,
    Benefit,
    BundleComponent,
    BuyXGetY,
    Conditions,
    FixedPriceBundle,
    FreeShipping,
    PercentOff,
    Promotion,
    PromotionKind,
    SpendThreshold,
    Stacking,
    Target,
    ThresholdTier,
)

Doc = dict[str, Any]


def percent_text(value: Decimal) -> str:
    """Plain decimal text without exponent or trailing zeros: 12.50 → "12.5", 100 → "100"."""
    return format(value.normalize(), "f")


def _ids(values: Iterable[str]) -> list[str]:
    return sorted(set(values))


def _money(amount: int | None, currency: str | None) -> Money | None:
    if amount is None:
        return None
    if currency is None:
        raise ValueError("amounts need the promotion's currency")
    return Money(amount, currency)


def _amount(money: Money | None) -> int | None:
    return None if money is None else money.amount


# --- targets ----------------------------------------------------------------------


def encode_target(target: Target) -> Doc:
    return {
        "variant_ids": _ids(target.variant_ids),
        "product_ids": _ids(target.product_ids),
        "category_ids": _ids(target.category_ids),
    }


def decode_target(doc: Mapping[str, Any] | None) -> Target:
    if not doc:
        return EVERYTHING
    return Target(
        variant_ids=frozenset(doc.get("variant_ids") or ()),
        product_ids=frozenset(doc.get("product_ids") or ()),
        category_ids=frozenset(doc.get("category_ids") or ()),
    )


# --- benefits ---------------------------------------------------------------------


def encode_benefit(benefit: Benefit) -> Doc:
    if isinstance(benefit, PercentOff):
        return {
            "kind": PromotionKind.PERCENT_OFF.value,
            "percent": percent_text(benefit.percent),
            "target": encode_target(benefit.target),
        }
    if isinstance(benefit, AmountOff):
        return {
            "kind": PromotionKind.AMOUNT_OFF.value,
            "amount": benefit.amount.amount,
            "target": encode_target(benefit.target),
            "per_unit": benefit.per_unit,
        }
    if isinstance(benefit, BuyXGetY):
        return {
            "kind": PromotionKind.BUY_X_GET_Y.value,
            "buy_quantity": benefit.buy_quantity,
            "get_quantity": benefit.get_quantity,
            "buy_target": encode_target(benefit.buy_target),
            "get_target": None if benefit.get_target is None else encode_target(benefit.get_target),
            "percent": percent_text(benefit.percent),
            "max_applications": benefit.max_applications,
        }
    if isinstance(benefit, SpendThreshold):
        return {
            "kind": PromotionKind.SPEND_THRESHOLD.value,
            "tiers": [
                {
                    "min_subtotal": tier.min_subtotal.amount,
                    "amount_off": _amount(tier.amount_off),
                    "percent_off": None
                    if tier.percent_off is None
                    else percent_text(tier.percent_off),
                }
                for tier in benefit.tiers
            ],
            "target": encode_target(benefit.target),
        }
    if isinstance(benefit, FixedPriceBundle):
        return {
            "kind": PromotionKind.FIXED_PRICE_BUNDLE.value,
            "components": [
                {"target": encode_target(c.target), "quantity": c.quantity}
                for c in benefit.components
            ],
            "price": benefit.price.amount,
            "max_applications": benefit.max_applications,
        }
    return {"kind": PromotionKind.FREE_SHIPPING.value, "method_ids": _ids(benefit.method_ids)}


def decode_benefit(doc: Mapping[str, Any], currency: str | None) -> Benefit:
    """The engine's benefit for a canonical document; ``ValueError`` when it breaks one
    of the engine's rules (the value objects check themselves)."""
    kind = PromotionKind(doc["kind"])
    if kind is PromotionKind.PERCENT_OFF:
        return PercentOff(Decimal(doc["percent"]), decode_target(doc.get("target")))
    if kind is PromotionKind.AMOUNT_OFF:
        return AmountOff(
            _required_money(doc["amount"], currency),
            decode_target(doc.get("target")),
            per_unit=bool(doc.get("per_unit", False)),
        )
    if kind is PromotionKind.BUY_X_GET_Y:
        get_target = doc.get("get_target")
        return BuyXGetY(
            buy_quantity=doc["buy_quantity"],
            get_quantity=doc["get_quantity"],
            buy_target=decode_target(doc.get("buy_target")),
            get_target=None if get_target is None else decode_target(get_target),
            percent=Decimal(doc.get("percent", "100")),
            max_applications=doc.get("max_applications"),
        )
    if kind is PromotionKind.SPEND_THRESHOLD:
        return SpendThreshold(
            tiers=tuple(
                ThresholdTier(
                    min_subtotal=_required_money(tier["min_subtotal"], currency),
                    amount_off=_money(tier.get("amount_off"), currency),
                    percent_off=None
                    if tier.get("percent_off") is None
                    else Decimal(tier["percent_off"]),
                )
                for tier in doc["tiers"]
            ),
            target=decode_target(doc.get("target")),
        )
    if kind is PromotionKind.FIXED_PRICE_BUNDLE:
        return FixedPriceBundle(
            components=tuple(
                BundleComponent(decode_target(c["target"]), c.get("quantity", 1))
                for c in doc["components"]
            ),
            price=_required_money(doc["price"], currency),
            max_applications=doc.get("max_applications"),
        )
    return FreeShipping(frozenset(doc.get("method_ids") or ()))


def _required_money(amount: int, currency: str | None) -> Money:
    money = _money(amount, currency)
    assert money is not None
    return money


def names_amounts(benefit_doc: Mapping[str, Any], conditions_doc: Mapping[str, Any]) -> bool:
    """Whether the documents name an amount (and so need a currency), without decoding."""
    kind = PromotionKind(benefit_doc["kind"])
    named = kind in (
        PromotionKind.AMOUNT_OFF,
        PromotionKind.SPEND_THRESHOLD,
        PromotionKind.FIXED_PRICE_BUNDLE,
    )
    return named or conditions_doc.get("min_subtotal") is not None


# --- conditions -------------------------------------------------------------------


def encode_conditions(conditions: Conditions) -> Doc:
    """Everything but the date window, which lives in its own (indexed) columns."""
    return {
        "channel_ids": _ids(conditions.channel_ids),
        "min_subtotal": _amount(conditions.min_subtotal),
        "min_quantity": conditions.min_quantity,
        "segments": _ids(conditions.segments),
        "loyalty_tiers": _ids(conditions.loyalty_tiers),
        "customer_required": conditions.customer_required,
    }


def decode_conditions(
    doc: Mapping[str, Any],
    currency: str | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> Conditions:
    return Conditions(
        starts_at=starts_at,
        ends_at=ends_at,
        channel_ids=frozenset(doc.get("channel_ids") or ()),
        min_subtotal=_money(doc.get("min_subtotal"), currency),
        min_quantity=doc.get("min_quantity"),
        segments=frozenset(doc.get("segments") or ()),
        loyalty_tiers=frozenset(doc.get("loyalty_tiers") or ()),
        customer_required=bool(doc.get("customer_required", False)),
    )


# --- the whole promotion ----------------------------------------------------------


def to_engine(values: Mapping[str, Any], coupon_codes: Iterable[str] = ()) -> Promotion:
    """The engine's promotion for stored ``values`` (the columns of a promotion row,
    by name) unlocked by ``coupon_codes``."""
    currency = values["currency"]
    group = values.get("stacking_group")
    return Promotion(
        id=values["id"],
        name=values["name"],
        benefit=decode_benefit(values["benefit"], currency),
        conditions=decode_conditions(
            values["conditions"], currency, values.get("starts_at"), values.get("ends_at")
        ),
        coupon_codes=frozenset(coupon_codes),
        priority=values.get("priority", 0),
        stacking=Stacking(values.get("stacking", Stacking.STACKABLE)),
        stacking_group=group,
    )
