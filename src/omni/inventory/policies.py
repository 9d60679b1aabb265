"""INV9 policies: per location (may on-hand go negative, when is stock "low") and per
variant x channel (backorder, preorder). Reads take a session; writes the caller's unit
of work, and are upserts so two concurrent writers cannot collide on the primary key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.uow import UnitOfWork
from omni.inventory.models import LocationStockPolicy, VariantChannelPolicy

DEFAULT_LOW_STOCK_THRESHOLD = 2
# "No limit" as a number the conditional UPDATE can add to an INTEGER without overflow.
UNLIMITED_ALLOWANCE = 1_000_000_000


@dataclass(frozen=True)
class LocationPolicy:
    location_id: str
    allow_negative: bool = False
    low_stock_threshold: int = DEFAULT_LOW_STOCK_THRESHOLD


@dataclass(frozen=True)
class VariantPolicy:
    variant_id: str
    channel_id: str
    backorder: bool = False
    preorder: bool = False
    oversell_limit: int | None = None
    available_from: datetime | None = None

    def preorder_open(self, now: datetime) -> bool:
        """Preorders are taken until the release date (``available_from``), if any."""
        return self.preorder and (self.available_from is None or now < self.available_from)

    def allowance(self, now: datetime) -> int:
        """Units that may be promised beyond stock at one location right now."""
        if not (self.backorder or self.preorder_open(now)):
            return 0
        return UNLIMITED_ALLOWANCE if self.oversell_limit is None else self.oversell_limit


def _upsert(uow: UnitOfWork, model: Any, keys: list[str], values: dict[str, Any]) -> Any:
    dialect = uow.session.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = make_insert(model).values(**values)
    changes = {name: value for name, value in values.items() if name not in keys}
    return statement.on_conflict_do_update(index_elements=keys, set_=changes)


async def location_policies(
    session: AsyncSession, location_ids: Iterable[str]
) -> dict[str, LocationPolicy]:
    """Policies of these locations (defaults where none was set), one statement."""
    wanted = sorted(set(location_ids))
    found = {
        row.location_id: LocationPolicy(
            row.location_id, row.allow_negative, row.low_stock_threshold
        )
        for row in await session.scalars(
            select(LocationStockPolicy).where(LocationStockPolicy.location_id.in_(wanted))
        )
    }
    return {location: found.get(location, LocationPolicy(location)) for location in wanted}


async def set_location_policy(uow: UnitOfWork, policy: LocationPolicy) -> None:
    await uow.session.execute(
        _upsert(
            uow,
            LocationStockPolicy,
            ["location_id"],
            {
                "location_id": policy.location_id,
                "allow_negative": policy.allow_negative,
                "low_stock_threshold": policy.low_stock_threshold,
            },
        )
    )
    uow.audit(
        "inventory.location_policy_set",
        "location",
        policy.location_id,
        {
            "allow_negative": policy.allow_negative,
            "low_stock_threshold": policy.low_stock_threshold,
        },
    )


def _variant_policy(row: VariantChannelPolicy) -> VariantPolicy:
    return VariantPolicy(
        row.variant_id,
        row.channel_id,
        row.backorder,
        row.preorder,
        row.oversell_limit,
        row.available_from,
    )


async def variant_policies(
    session: AsyncSession, channel_id: str, variant_ids: Iterable[str]
) -> dict[str, VariantPolicy]:
    """Backorder/preorder policies of these variants on the channel (defaults: neither)."""
    wanted = sorted(set(variant_ids))
    if not wanted:
        return {}
    found = {
        row.variant_id: _variant_policy(row)
        for row in await session.scalars(
            select(VariantChannelPolicy).where(
                VariantChannelPolicy.channel_id == channel_id,
                VariantChannelPolicy.variant_id.in_(wanted),
            )
        )
    }
    return {v: found.get(v, VariantPolicy(v, channel_id)) for v in wanted}


async def set_variant_policy(uow: UnitOfWork, policy: VariantPolicy) -> None:
    await uow.session.execute(
        _upsert(
            uow,
            VariantChannelPolicy,
            ["variant_id", "channel_id"],
            {
                "variant_id": policy.variant_id,
                "channel_id": policy.channel_id,
                "backorder": policy.backorder,
                "preorder": policy.preorder,
                "oversell_limit": policy.oversell_limit,
                "available_from": policy.available_from,
            },
        )
    )
    uow.audit(
        "inventory.variant_policy_set",
        "variant",
        policy.variant_id,
        {
            "channel_id": policy.channel_id,
            "backorder": policy.backorder,
            "preorder": policy.preorder,
            "oversell_limit": policy.oversell_limit,
            "available_from": policy.available_from.isoformat() if policy.available_from else None,
        },
    )


async def remove_variant_policy(uow: UnitOfWork, variant_id: str, channel_id: str) -> bool:
    result: Any = await uow.session.execute(
        delete(VariantChannelPolicy).where(
            VariantChannelPolicy.variant_id == variant_id,
            VariantChannelPolicy.channel_id == channel_id,
        )
    )
    removed = bool(result.rowcount)
    if removed:
        uow.audit(
            "inventory.variant_policy_removed", "variant", variant_id, {"channel_id": channel_id}
        )
    return removed


async def allowances(
    session: AsyncSession, channel_id: str, variant_ids: Iterable[str], now: datetime
) -> dict[str, int]:
    """Units per variant that may be promised beyond stock on the channel now (only the
    variants that have any), one statement."""
    policies = await variant_policies(session, channel_id, variant_ids)
    return {v: units for v, p in policies.items() if (units := p.allowance(now)) > 0}
