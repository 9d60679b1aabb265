"""Reserving through a channel: everything the core ``reservations.reserve`` needs to
know (the channel's pool and buffers, backorder/preorder allowances, what a bundle is
made of) is read first — reads only, no stock row touched — then the core takes its
conditional updates in id order. On a refusal the transaction is rolled back before
looking up where else the SKU is available, so no row stays locked meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.db.uow import UnitOfWork
from omni.inventory import alternatives, availability, policies, reservations
from omni.inventory.domain import ReservationKind
from omni.inventory.errors import InsufficientStock
from omni.inventory.reservations import Reserved, ReserveLine, ReserveRequest
from omni.kernel.errors import InvalidInput


@dataclass(frozen=True)
class SellLine:
    """``quantity`` units of a variant (plain or bundle) from one pool location."""

    variant_id: str
    location_id: str
    quantity: int


def check_pool(channel: channels_api.ChannelInfo, location_ids: Iterable[str]) -> None:
    """A channel sells only from its pool, and only while it is active."""
    if not channel.active:
        raise InvalidInput("The channel is not active.", field="channel_id")
    pool = {entry.location_id for entry in channel.pool}
    outside = sorted(set(location_ids) - pool)
    if outside:
        raise InvalidInput(
            "The channel does not sell from these locations (not in its stock pool).",
            field="location_id",
            location_ids=outside,
        )


async def known_recipes(
    session: AsyncSession, variant_ids: Iterable[str]
) -> dict[str, dict[str, int]]:
    """Recipes of the bundles among ``variant_ids``; 422 naming every unknown id."""
    wanted = sorted(set(variant_ids))
    known = await catalog_api.get_variants(session, wanted)
    unknown = [v for v in wanted if v not in known]
    if unknown:
        raise InvalidInput(
            "No such variants.",
            errors=[
                {"field": "variant_id", "value": v, "message": "no such variant"} for v in unknown
            ],
        )
    bundles = [v for v, info in known.items() if info.is_bundle]
    return await catalog_api.bundle_recipes(session, bundles) if bundles else {}


def expand_bundles(
    lines: Sequence[SellLine], recipes: Mapping[str, Mapping[str, int]]
) -> tuple[list[ReserveLine], dict[tuple[str, str], SellLine]]:
    """Component lines for the core; and for each component line that came from a
    bundle, the bundle line it came from (to explain a refusal in the shopper's terms)."""
    expanded: list[ReserveLine] = []
    origins: dict[tuple[str, str], SellLine] = {}
    plain = {
        (line.variant_id, line.location_id) for line in lines if line.variant_id not in recipes
    }
    for line in lines:
        recipe = recipes.get(line.variant_id)
        if recipe is None:
            expanded.append(ReserveLine(line.variant_id, line.location_id, line.quantity))
            continue
        for component, per_bundle in sorted(recipe.items()):
            expanded.append(ReserveLine(component, line.location_id, line.quantity * per_bundle))
            if (component, line.location_id) not in plain:
                origins.setdefault((component, line.location_id), line)
    return expanded, origins


async def reserve_for_channel(
    uow: UnitOfWork,
    channel_id: str,
    lines: Sequence[SellLine],
    kind: ReservationKind,
    reference: str,
    expires_at: datetime | None = None,
) -> list[Reserved]:
    """See ``omni.inventory.api.reserve_for_channel``."""
    session = uow.session
    channel = await availability.channel_or_404(session, channel_id)
    check_pool(channel, (line.location_id for line in lines))
    for line in lines:
        if line.quantity <= 0:
            raise InvalidInput("Quantities must be positive.", field="quantity")
    recipes = await known_recipes(session, (line.variant_id for line in lines))
    expanded, origins = expand_bundles(lines, recipes)
    allowances = await policies.allowances(
        session, channel.id, {line.variant_id for line in expanded}, uow.clock.now()
    )
    request = ReserveRequest(
        lines=expanded,
        kind=kind,
        reference=reference,
        channel_id=channel.id,
        expires_at=expires_at,
        buffers=availability.pool_buffers(channel),
        allowances=allowances,
    )
    try:
        return await reservations.reserve(uow, request)
    except InsufficientStock as refused:
        # Undo the partial reservation and unlock its rows before any further read.
        await uow.rollback()
        raise await _explained(uow, channel, refused, origins, allowances) from refused


async def _explained(
    uow: UnitOfWork,
    channel: channels_api.ChannelInfo,
    refused: InsufficientStock,
    origins: Mapping[tuple[str, str], SellLine],
    allowances: Mapping[str, int],
) -> InsufficientStock:
    """The refusal in the terms of the line asked for (the bundle, not its component),
    with where else the channel has it. Figures are read afresh after the rollback, so
    they show what others can see, not what this transaction had already changed."""
    bundle_line = origins.get((refused.variant_id, refused.location_id))
    variant_id = bundle_line.variant_id if bundle_line else refused.variant_id
    requested = bundle_line.quantity if bundle_line else int(refused.extra["requested"])
    # A plain read: on SQLite do not take the write lock again just to look around.
    await uow.session.connection(execution_options={"sqlite_begin": "DEFERRED"})
    found = await alternatives.where_else(
        uow.session, channel, variant_id, refused.location_id, requested
    )
    extra = {"component_variant_id": refused.variant_id} if bundle_line else {}
    return InsufficientStock(
        variant_id=variant_id,
        location_id=refused.location_id,
        requested=requested,
        available=found.available_here + (0 if bundle_line else allowances.get(variant_id, 0)),
        channel_id=channel.id,
        **extra,
        **found.problem_extras(),
    )
