"""Use cases behind the HTTP commands: one command in, one transaction, checked first.

Everything a command names is checked before any stock row is touched — the location
exists and the caller may act there, the variants exist and hold stock of their own —
so a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.db.uow import UnitOfWork
from omni.inventory import channel_reservations, ledger, policies, reservations, stock
from omni.inventory.domain import MovementKind, Quantities, ReservationKind
from omni.inventory.reservations import Reserved
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput, NotFound
from omni.locations import api as locations_api
from omni.permissions import can_act_in_store, has_permission

WRITE = "inventory.write"
NO_SUCH_LOCATION = "No such location."


def ensure_acts_at(actor: Actor, location_id: str) -> None:
    """``inventory.write`` acts anywhere; ``inventory.write_own`` (store managers) only
    at their stores — others answer 404, exactly like a location that does not exist."""
    if has_permission(actor, WRITE):
        return
    if not can_act_in_store(actor, location_id):
        raise NotFound(NO_SUCH_LOCATION, location_id=location_id)


async def location_or_404(session: AsyncSession, location_id: str) -> None:
    if not await locations_api.location_exists(session, location_id):
        raise NotFound(NO_SUCH_LOCATION, location_id=location_id)


async def stocked_variants(session: AsyncSession, variant_ids: Iterable[str]) -> None:
    """Every id names a variant that holds stock of its own (not a bundle); else 422
    listing each offending id."""
    wanted = sorted(set(variant_ids))
    known = await catalog_api.get_variants(session, wanted)
    errors = [
        {"field": "variant_id", "value": v, "message": "no such variant"}
        for v in wanted
        if v not in known
    ] + [
        {
            "field": "variant_id",
            "value": v,
            "message": "a bundle holds no stock of its own; move its components",
        }
        for v in wanted
        if v in known and known[v].is_bundle
    ]
    if errors:
        raise InvalidInput("Some lines name variants that cannot hold stock.", errors=errors)


@dataclass(frozen=True)
class StockCommand:
    kind: MovementKind
    location_id: str
    lines: Sequence[tuple[str, int]]  # (variant id, units; signed for adjustments)
    source: ledger.Source
    # An offline till sale: a fact, accepted even below zero.
    is_fact: bool = False


async def change_stock(uow: UnitOfWork, command: StockCommand) -> dict[str, Quantities]:
    """Apply the command's lines at its location, all or none; quantities after it."""
    async with uow:
        ensure_acts_at(uow.actor, command.location_id)
        await location_or_404(uow.session, command.location_id)
        await stocked_variants(uow.session, (variant for variant, _ in command.lines))
        if command.source.channel_id is not None:
            await _channel_or_404(uow.session, command.source.channel_id)
        changes = [
            stock.StockChange(
                variant_id,
                command.location_id,
                command.kind,
                quantity,
                source=command.source,
                is_fact=command.is_fact,
            )
            for variant_id, quantity in command.lines
        ]
        after = await stock.apply_changes(uow, changes)
        await uow.commit()
    return {variant_id: quantities for (variant_id, _), quantities in after.items()}


async def _channel_or_404(session: AsyncSession, channel_id: str) -> None:
    if not await channels_api.channel_exists(session, channel_id):
        raise NotFound("No such channel.", channel_id=channel_id)


async def set_safety_stock(uow: UnitOfWork, variant_id: str, location_id: str, units: int) -> None:
    async with uow:
        await location_or_404(uow.session, location_id)
        await stocked_variants(uow.session, [variant_id])
        await stock.set_safety_stock(uow, variant_id, location_id, units)
        await uow.commit()


# ---------------------------------------------------------------- reservations


async def reserve(
    uow: UnitOfWork,
    channel_id: str,
    reference: str,
    lines: Sequence[channel_reservations.SellLine],
    kind: ReservationKind,
    expires_at: datetime | None = None,
) -> list[Reserved]:
    async with uow:
        made = await channel_reservations.reserve_for_channel(
            uow, channel_id, lines, kind, reference, expires_at
        )
        await uow.commit()
    return made


def _nothing_active(reference: str) -> NotFound:
    return NotFound("Nothing active is reserved under this reference.", reference=reference)


async def extend_holds(uow: UnitOfWork, reference: str, ttl_seconds: int) -> tuple[int, datetime]:
    async with uow:
        expires_at = uow.clock.now() + timedelta(seconds=ttl_seconds)
        extended = await reservations.extend_holds(uow, reference, expires_at)
        if extended == 0:
            raise _nothing_active(reference)
        await uow.commit()
    return extended, expires_at


async def convert_holds(uow: UnitOfWork, cart_reference: str, order_reference: str) -> int:
    async with uow:
        converted = await reservations.convert_holds_to_order(uow, cart_reference, order_reference)
        if converted == 0:
            raise _nothing_active(cart_reference)
        await uow.commit()
    return converted


async def finish(
    uow: UnitOfWork, reference: str, reservation_ids: list[str] | None, *, consume: bool
) -> int:
    """Release (cancel) or consume (fulfil) the reference's active reservations."""
    finish_one = reservations.consume if consume else reservations.release
    async with uow:
        units = await finish_one(uow, reference, reservation_ids=reservation_ids)
        if units == 0:
            raise _nothing_active(reference)
        await uow.commit()
    return units


# ---------------------------------------------------------------- policies


async def set_location_policy(uow: UnitOfWork, policy: policies.LocationPolicy) -> None:
    async with uow:
        await location_or_404(uow.session, policy.location_id)
        await policies.set_location_policy(uow, policy)
        await uow.commit()


async def variant_and_channel_or_404(
    session: AsyncSession, variant_id: str, channel_id: str
) -> None:
    if not await catalog_api.variant_exists(session, variant_id):
        raise NotFound("No such variant.", variant_id=variant_id)
    await _channel_or_404(session, channel_id)


async def set_variant_policy(uow: UnitOfWork, policy: policies.VariantPolicy) -> None:
    async with uow:
        await variant_and_channel_or_404(uow.session, policy.variant_id, policy.channel_id)
        await policies.set_variant_policy(uow, policy)
        await uow.commit()


async def remove_variant_policy(uow: UnitOfWork, variant_id: str, channel_id: str) -> None:
    async with uow:
        if not await policies.remove_variant_policy(uow, variant_id, channel_id):
            raise NotFound("This variant has no policy on this channel.")
        await uow.commit()
