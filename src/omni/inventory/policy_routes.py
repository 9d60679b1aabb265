"""HTTP endpoints for INV9 policies: per location (may on-hand go negative, low-stock
threshold) and per variant x channel (backorder, preorder). Reading needs
``inventory.read``; changing them is planning: ``inventory.write``."""

from __future__ import annotations

from datetime import UTC

from fastapi import Response

from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.router import new_router
from omni.inventory import policies, service
from omni.inventory.schemas import (
    LocationPolicyIn,
    LocationPolicyOut,
    VariantPolicyIn,
    VariantPolicyOut,
)
from omni.kernel.actor import Actor

router = new_router("/inventory", ["inventory"])
READ, WRITE = "inventory.read", "inventory.write"


def _location_out(policy: policies.LocationPolicy) -> LocationPolicyOut:
    return LocationPolicyOut(
        location_id=policy.location_id,
        allow_negative=policy.allow_negative,
        low_stock_threshold=policy.low_stock_threshold,
    )


def _variant_out(policy: policies.VariantPolicy) -> VariantPolicyOut:
    return VariantPolicyOut(
        variant_id=policy.variant_id,
        channel_id=policy.channel_id,
        backorder=policy.backorder,
        preorder=policy.preorder,
        oversell_limit=policy.oversell_limit,
        available_from=policy.available_from,
    )


@router.get(
    "/locations/{location_id}/policy",
    summary="A location's stock policy (defaults if never set)",
    response_model=LocationPolicyOut,
)
async def get_location_policy(
    location_id: str, session: ReaderDep, actor: Actor = Access(READ)
) -> LocationPolicyOut:
    await service.location_or_404(session, location_id)
    found = await policies.location_policies(session, [location_id])
    return _location_out(found[location_id])


@router.put(
    "/locations/{location_id}/policy",
    summary="Set whether on-hand may go negative here, and when stock is low",
    response_model=LocationPolicyOut,
)
async def put_location_policy(
    location_id: str, body: LocationPolicyIn, db: DbDep, actor: Actor = Access(WRITE)
) -> LocationPolicyOut:
    policy = policies.LocationPolicy(location_id, body.allow_negative, body.low_stock_threshold)
    await service.set_location_policy(db.uow(actor), policy)
    return _location_out(policy)


@router.get(
    "/variants/{variant_id}/channels/{channel_id}/policy",
    summary="Backorder/preorder policy of a variant on a channel (defaults if never set)",
    response_model=VariantPolicyOut,
)
async def get_variant_policy(
    variant_id: str, channel_id: str, session: ReaderDep, actor: Actor = Access(READ)
) -> VariantPolicyOut:
    await service.variant_and_channel_or_404(session, variant_id, channel_id)
    found = await policies.variant_policies(session, channel_id, [variant_id])
    return _variant_out(found[variant_id])


@router.put(
    "/variants/{variant_id}/channels/{channel_id}/policy",
    summary="Allow backorders or preorders of a variant on a channel",
    response_model=VariantPolicyOut,
)
async def put_variant_policy(
    variant_id: str,
    channel_id: str,
    body: VariantPolicyIn,
    db: DbDep,
    actor: Actor = Access(WRITE),
) -> VariantPolicyOut:
    policy = policies.VariantPolicy(
        variant_id,
        channel_id,
        body.backorder,
        body.preorder,
        body.oversell_limit,
        body.available_from.astimezone(UTC) if body.available_from else None,
    )
    await service.set_variant_policy(db.uow(actor), policy)
    return _variant_out(policy)


@router.delete(
    "/variants/{variant_id}/channels/{channel_id}/policy",
    summary="Back to the default: no backorder, no preorder",
    status_code=204,
)
async def delete_variant_policy(
    variant_id: str, channel_id: str, db: DbDep, actor: Actor = Access(WRITE)
) -> Response:
    await service.remove_variant_policy(db.uow(actor), variant_id, channel_id)
    return Response(status_code=204)
