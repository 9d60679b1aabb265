"""Checks a whole promotion before anything is written, and lists every problem at once.

The request bodies are already well-formed (Pydantic); here come the rules that span
fields or need the database: the currency of named amounts, the date window, the
stacking group, references to channels and catalog ids, and the engine's own checks —
the stored documents are what the engine accepted, so loading them never fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.kernel.errors import InvalidInput
from omni.promotions import codec
from omni.promotions.domain import Promotion, Stacking
from omni.promotions.models import CouponCode

# Fields a PATCH may not set to null.
NOT_NULL = (
    "name",
    "description",
    "benefit",
    "conditions",
    "priority",
    "stacking",
    "requires_coupon",
    "active",
)


class Problems:
    """Collects every problem of a request, so one answer lists them all."""

    def __init__(self) -> None:
        self.found: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.found.append({"field": field, "message": message})

    def raise_if_any(self) -> None:
        if self.found:
            detail = "; ".join(f"{p['field']}: {p['message']}" for p in self.found)
            raise InvalidInput(detail, field=self.found[0]["field"], errors=self.found)


@dataclass(frozen=True)
class CheckedPromotion:
    """Column values ready to store, and the engine's view of them."""

    columns: dict[str, Any]
    promotion: Promotion


def refuse_nulls(changes: Mapping[str, Any]) -> None:
    problems = Problems()
    for name in NOT_NULL:
        if name in changes and changes[name] is None:
            problems.add(name, "cannot be null")
    problems.raise_if_any()


def _targets(benefit: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """Every target of a benefit document, with its field path."""
    found = [
        (name, benefit[name])
        for name in ("target", "buy_target", "get_target")
        if benefit.get(name) is not None
    ]
    found += [
        (f"components.{index}.target", component["target"])
        for index, component in enumerate(benefit.get("components") or ())
    ]
    return found


async def _check_references(
    session: AsyncSession, problems: Problems, benefit: Mapping[str, Any], channel_ids: list[str]
) -> None:
    unknown_channels = [c for c in sorted(set(channel_ids)) if not await _channel(session, c)]
    if unknown_channels:
        problems.add("conditions.channel_ids", f"unknown channels {', '.join(unknown_channels)}")
    targets = _targets(benefit)
    for key in ("variant_ids", "product_ids", "category_ids"):
        wanted = {i for _, target in targets for i in target.get(key) or ()}
        known = await _known(session, key, wanted) if wanted else set()
        for path, target in targets:
            missing = sorted(set(target.get(key) or ()) - known)
            if missing:
                problems.add(f"benefit.{path}.{key}", f"unknown ids {', '.join(missing)}")


async def _known(session: AsyncSession, key: str, ids: set[str]) -> set[str]:
    if key == "variant_ids":
        return set(await catalog_api.get_variants(session, ids))
    if key == "product_ids":
        return await catalog_api.existing_product_ids(session, ids)
    return await catalog_api.existing_category_ids(session, ids)


async def _channel(session: AsyncSession, channel_id: str) -> bool:
    return await channels_api.channel_exists(session, channel_id)


def _check_shape(problems: Problems, values: Mapping[str, Any]) -> None:
    benefit, conditions = values["benefit"], values["conditions"]
    named = codec.names_amounts(benefit, conditions)
    if named and values["currency"] is None:
        problems.add("currency", "the benefit or conditions name amounts: give their currency")
    if not named and values["currency"] is not None:
        problems.add(
            "currency",
            "nothing names an amount, so the promotion applies in every currency: leave it "
            "out (restrict it by channel instead)",
        )
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        problems.add("ends_at", "must be after starts_at")
    grouped = Stacking(values["stacking"]) is Stacking.GROUP
    if grouped and not values["stacking_group"]:
        problems.add("stacking_group", "name the group of a promotion stacking by group")
    if not grouped and values["stacking_group"]:
        problems.add("stacking_group", "only promotions stacking by group name a group")


async def check_promotion(
    session: AsyncSession, values: Mapping[str, Any], *, promotion_id: str
) -> CheckedPromotion:
    """Every rule over a full set of promotion fields (``benefit`` and ``conditions`` as
    documents); ``InvalidInput`` listing all problems, each naming its field."""
    problems = Problems()
    _check_shape(problems, values)
    benefit, conditions = values["benefit"], values["conditions"]
    await _check_references(session, problems, benefit, list(conditions.get("channel_ids") or ()))
    if not conditions.get("customer_required") and await _has_per_customer_limits(
        session, promotion_id
    ):
        problems.add(
            "conditions.customer_required",
            "some of its coupon codes have a per-customer limit, which needs signed-in customers",
        )
    problems.raise_if_any()
    try:
        promotion = codec.to_engine({**values, "id": promotion_id})
    except ValueError as error:  # the engine's own rules
        problems.add("benefit", str(error))
        problems.raise_if_any()
        raise
    columns = {
        "name": values["name"],
        "description": values["description"],
        "kind": promotion.kind.value,
        "currency": values["currency"],
        "benefit": codec.encode_benefit(promotion.benefit),
        "conditions": codec.encode_conditions(promotion.conditions),
        "starts_at": values["starts_at"],
        "ends_at": values["ends_at"],
        "priority": values["priority"],
        "stacking": promotion.stacking.value,
        "stacking_group": promotion.stacking_group,
        "requires_coupon": values["requires_coupon"],
        "active": values["active"],
    }
    return CheckedPromotion(columns, promotion)


async def _has_per_customer_limits(session: AsyncSession, promotion_id: str) -> bool:
    found = await session.scalar(
        select(CouponCode.code)
        .where(
            CouponCode.promotion_id == promotion_id,
            CouponCode.max_uses_per_customer.is_not(None),
        )
        .limit(1)
    )
    return found is not None
