"""Use cases: add and change variants (SKU, GTIN, option values, status)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from omni.catalog import domain
from omni.catalog.common import checked, product_for_update, touch, unique_race
from omni.catalog.events import VariantCreated, VariantUpdated
from omni.catalog.models import Product, Variant
from omni.catalog.schemas import VariantIn, VariantOut, VariantPatch
from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.kernel.ids import new_id

_NOT_NULL = ("sku", "option_values", "status", "position")


async def ensure_sku_free(uow: UnitOfWork, sku: str, owner: str | None = None) -> None:
    holder = await uow.session.scalar(select(Variant.id).where(Variant.sku == sku))
    if holder is not None and holder != owner:
        raise Conflict(f"SKU {sku} is already used by variant {holder}.", field="sku")


async def ensure_gtin_free(uow: UnitOfWork, gtin: str, owner: str | None = None) -> None:
    holder = await uow.session.scalar(select(Variant.id).where(Variant.gtin == gtin))
    if holder is not None and holder != owner:
        raise Conflict(f"GTIN {gtin} is already used by variant {holder}.", field="gtin")


async def ensure_combination_free(
    uow: UnitOfWork, product: Product, key: str, owner: str | None = None
) -> None:
    holder = await uow.session.scalar(
        select(Variant.id).where(Variant.product_id == product.id, Variant.option_key == key)
    )
    if holder is not None and holder != owner:
        raise Conflict(f"Variant {holder} already has these option values.", field="option_values")


async def _next_position(uow: UnitOfWork, product_id: str) -> int:
    highest = await uow.session.scalar(
        select(func.max(Variant.position)).where(Variant.product_id == product_id)
    )
    return 0 if highest is None else highest + 1


async def new_variant(uow: UnitOfWork, product: Product, data: VariantIn) -> Variant:
    """Validate and add one variant to ``product`` (no commit; the caller's transaction)."""
    sku = checked(domain.normalize_sku, data.sku)
    gtin = checked(domain.normalize_gtin, data.gtin) if data.gtin else None
    values = checked(domain.check_option_values, product.option_names, data.option_values)
    key = domain.option_key(product.option_names, values)
    # The session autoflushes before each query, so variants added earlier in this
    # transaction (a product created with several variants) are seen by these checks.
    await ensure_sku_free(uow, sku)
    if gtin:
        await ensure_gtin_free(uow, gtin)
    await ensure_combination_free(uow, product, key)
    now = uow.clock.now()
    variant = Variant(
        id=new_id("var"),
        product_id=product.id,
        sku=sku,
        gtin=gtin,
        option_values=values,
        option_key=key,
        weight_grams=data.weight_grams,
        status=data.status,
        position=data.position
        if data.position is not None
        else await _next_position(uow, product.id),
        is_bundle=False,
        created_at=now,
        updated_at=now,
        version=1,
    )
    uow.session.add(variant)
    uow.record(VariantCreated(variant_id=variant.id, product_id=product.id, sku=sku))
    uow.audit("catalog.variant_created", "variant", variant.id, {"sku": sku, "gtin": gtin})
    return variant


async def add_variant(uow: UnitOfWork, product_id: str, data: VariantIn) -> VariantOut:
    async with uow:
        product = await product_for_update(uow, product_id)
        with unique_race("Another variant with this SKU, GTIN or options was just added."):
            variant = await new_variant(uow, product, data)
            touch(uow, product)
            await uow.flush()
        out = VariantOut.model_validate(variant)
        await uow.commit()
    return out


async def update_variant(
    uow: UnitOfWork, variant_id: str, patch: VariantPatch, *, if_match: int | None
) -> VariantOut:
    changes = patch.model_dump(exclude_unset=True)
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise InvalidInput(f"{name} cannot be null.", field=name)
    async with uow:
        variant = await uow.session.get(Variant, variant_id)
        if variant is None:
            raise NotFound("No such variant.")
        check_version(if_match, variant.version, "variant")
        product = await product_for_update(uow, variant.product_id)
        with unique_race("Another variant took this SKU, GTIN or options meanwhile."):
            await _apply_variant_changes(uow, product, variant, changes)
            variant.version += 1
            variant.updated_at = uow.clock.now()
            touch(uow, product)
            await uow.flush()
        uow.record(
            VariantUpdated(variant_id=variant.id, product_id=product.id, fields=sorted(changes))
        )
        uow.audit("catalog.variant_updated", "variant", variant.id, changes)
        out = VariantOut.model_validate(variant)
        await uow.commit()
    return out


async def _apply_variant_changes(
    uow: UnitOfWork, product: Product, variant: Variant, changes: dict[str, Any]
) -> None:
    # Each check runs before the assignment: a query autoflushes pending changes, and a
    # clashing value flushed first would surface as an IntegrityError instead of a 409.
    if "sku" in changes:
        sku = checked(domain.normalize_sku, changes["sku"])
        await ensure_sku_free(uow, sku, owner=variant.id)
        variant.sku = sku
    if "gtin" in changes:
        gtin = checked(domain.normalize_gtin, changes["gtin"]) if changes["gtin"] else None
        if gtin:
            await ensure_gtin_free(uow, gtin, owner=variant.id)
        variant.gtin = gtin
    if "option_values" in changes:
        values = checked(domain.check_option_values, product.option_names, changes["option_values"])
        key = domain.option_key(product.option_names, values)
        await ensure_combination_free(uow, product, key, owner=variant.id)
        variant.option_values, variant.option_key = values, key
    if "status" in changes and changes["status"] != variant.status:
        if changes["status"] == "archived":
            await _ensure_not_last_active(uow, product, variant)
        variant.status = changes["status"]
    for name in ("weight_grams", "position"):
        if name in changes:
            setattr(variant, name, changes[name])


async def _ensure_not_last_active(uow: UnitOfWork, product: Product, variant: Variant) -> None:
    if product.status != "active":
        return
    others = await uow.session.scalar(
        select(func.count())
        .select_from(Variant)
        .where(
            Variant.product_id == product.id,
            Variant.status == "active",
            Variant.id != variant.id,
        )
    )
    if not others:
        raise Conflict(
            "This is the active product's last active variant; archive the product instead.",
            field="status",
        )
