"""Use case: define what a bundle (kit) variant is made of."""

from __future__ import annotations

from sqlalchemy import delete, select

from omni.catalog import domain, queries
from omni.catalog.common import checked, product_for_update, touch
from omni.catalog.events import BundleComponentsSet
from omni.catalog.models import BundleComponent, Variant
from omni.catalog.schemas import ComponentIn, ComponentsOut
from omni.db.uow import UnitOfWork
from omni.kernel.errors import NotFound


async def _lock_variants(uow: UnitOfWork, ids: set[str]) -> dict[str, Variant]:
    # Lock the bundle and its components in id order: two merchandisers making A part
    # of B and B part of A at once are serialized (and cannot deadlock), so the second
    # sees the first's bundle and is refused. SQLite serializes writers anyway.
    rows = await uow.session.scalars(
        select(Variant).where(Variant.id.in_(sorted(ids))).order_by(Variant.id).with_for_update()
    )
    return {v.id: v for v in rows}


async def _is_component(uow: UnitOfWork, variant_id: str) -> bool:
    found = await uow.session.scalar(
        select(BundleComponent.bundle_variant_id)
        .where(BundleComponent.component_variant_id == variant_id)
        .limit(1)
    )
    return found is not None


async def set_components(
    uow: UnitOfWork, bundle_variant_id: str, components: list[ComponentIn]
) -> ComponentsOut:
    """Replace the bundle's components; an empty list makes it a plain variant again."""
    lines = [domain.ComponentLine(c.variant_id, c.quantity) for c in components]
    async with uow:
        variants = await _lock_variants(uow, {bundle_variant_id, *(c.variant_id for c in lines)})
        bundle = variants.get(bundle_variant_id)
        if bundle is None:
            raise NotFound("No such variant.")
        facts = {
            v.id: domain.VariantFacts(v.id, v.status, v.is_bundle, is_component=False)
            for v in variants.values()
        }
        bundle_facts = domain.VariantFacts(
            bundle.id, bundle.status, bundle.is_bundle, await _is_component(uow, bundle.id)
        )
        checked(domain.check_bundle, bundle_facts, lines, facts)
        await uow.session.execute(
            delete(BundleComponent).where(BundleComponent.bundle_variant_id == bundle.id)
        )
        uow.session.add_all(
            BundleComponent(
                bundle_variant_id=bundle.id,
                component_variant_id=line.variant_id,
                quantity=line.quantity,
            )
            for line in lines
        )
        bundle.is_bundle = bool(lines)
        bundle.version += 1
        bundle.updated_at = uow.clock.now()
        touch(uow, await product_for_update(uow, bundle.product_id))
        recipe = [{"variant_id": line.variant_id, "quantity": line.quantity} for line in lines]
        uow.record(BundleComponentsSet(bundle_variant_id=bundle.id, components=recipe))
        uow.audit("catalog.bundle_components_set", "variant", bundle.id, {"components": recipe})
        await uow.flush()
        out = await queries.components_view(uow.session, bundle.id)
        await uow.commit()
    return out
