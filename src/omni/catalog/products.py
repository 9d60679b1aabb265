"""Use cases: create, change and delete products (with inline variants on create)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from omni.catalog import domain, queries
from omni.catalog.common import (
    check_categories_exist,
    checked,
    product_for_update,
    touch,
    unique_race,
)
from omni.catalog.events import ProductCreated, ProductDeleted, ProductUpdated
from omni.catalog.models import (
    BundleComponent,
    Product,
    ProductCategory,
    Publication,
    Variant,
)
from omni.catalog.schemas import MediaIn, ProductIn, ProductOut, ProductPatch
from omni.catalog.variants import new_variant
from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.errors import Conflict, InvalidInput
from omni.kernel.ids import new_id

_NOT_NULL = (
    "handle",
    "name",
    "status",
    "category_ids",
    "attributes",
    "tax_class",
    "option_names",
    "media",
)


async def _ensure_handle_free(uow: UnitOfWork, handle: str, owner: str | None = None) -> None:
    holder = await uow.session.scalar(select(Product.id).where(Product.handle == handle))
    if holder is not None and holder != owner:
        raise Conflict(f"The handle {handle!r} is taken by product {holder}.", field="handle")


def _media_rows(media: list[MediaIn], variant_ids: set[str]) -> list[dict[str, Any]]:
    rows = []
    for item in media:
        if item.variant_id is not None and item.variant_id not in variant_ids:
            raise InvalidInput(
                f"Media refers to {item.variant_id}, which is not a variant of this product.",
                field="media",
            )
        rows.append({"url": str(item.url), "alt": item.alt, "variant_id": item.variant_id})
    return rows


async def _set_categories(uow: UnitOfWork, product_id: str, category_ids: list[str]) -> None:
    wanted = await check_categories_exist(uow, category_ids)
    await uow.session.execute(
        delete(ProductCategory).where(ProductCategory.product_id == product_id)
    )
    uow.session.add_all(ProductCategory(product_id=product_id, category_id=c) for c in wanted)


async def add_product(uow: UnitOfWork, data: ProductIn) -> Product:
    """Validate and add a product with its variants (no commit: the caller's transaction)."""
    handle = checked(domain.check_handle, data.handle) if data.handle else None
    handle = handle or checked(domain.slugify, data.name)
    option_names = checked(domain.check_option_names, data.option_names)
    tax_class = checked(domain.check_tax_class, data.tax_class)
    variant_statuses = [v.status for v in data.variants]
    if data.status == "active" and not domain.can_activate(variant_statuses):
        raise InvalidInput("An active product needs at least one active variant.", field="status")
    await _ensure_handle_free(uow, handle)
    now = uow.clock.now()
    product = Product(
        id=new_id("prd"),
        handle=handle,
        name=data.name,
        description=data.description,
        brand=data.brand,
        status=data.status,
        option_names=option_names,
        attributes=data.attributes,
        tax_class=tax_class,
        # No variant has an id yet, so media cannot point at one until they exist.
        media=_media_rows(data.media, set()),
        created_at=now,
        updated_at=now,
        version=1,
    )
    uow.session.add(product)
    await _set_categories(uow, product.id, data.category_ids)
    variants = [await new_variant(uow, product, v) for v in data.variants]
    uow.record(
        ProductCreated(
            product_id=product.id,
            handle=handle,
            status=product.status,
            variant_ids=[v.id for v in variants],
        )
    )
    uow.audit("catalog.product_created", "product", product.id, {"handle": handle})
    return product


async def create_product(uow: UnitOfWork, data: ProductIn) -> ProductOut:
    async with uow:
        with unique_race("A product or variant with these identifiers was just added."):
            product = await add_product(uow, data)
            await uow.flush()
        out = await queries.product_view(uow.session, product)
        await uow.commit()
    return out


async def update_product(
    uow: UnitOfWork, product_id: str, patch: ProductPatch, *, if_match: int | None
) -> ProductOut:
    changes = patch.model_dump(exclude_unset=True, mode="json")
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise InvalidInput(f"{name} cannot be null.", field=name)
    async with uow:
        product = await product_for_update(uow, product_id)
        check_version(if_match, product.version, "product")
        with unique_race("Another product took this handle meanwhile."):
            await _apply_product_changes(uow, product, patch, changes)
            touch(uow, product)
            await uow.flush()
        uow.record(
            ProductUpdated(product_id=product.id, fields=sorted(changes), status=product.status)
        )
        uow.audit("catalog.product_updated", "product", product.id, changes)
        out = await queries.product_view(uow.session, product)
        await uow.commit()
    return out


async def _variants_of(uow: UnitOfWork, product_id: str) -> list[tuple[str, str]]:
    rows = await uow.session.execute(
        select(Variant.id, Variant.status).where(Variant.product_id == product_id)
    )
    return [(variant_id, status) for variant_id, status in rows]


async def _apply_product_changes(
    uow: UnitOfWork, product: Product, patch: ProductPatch, changes: dict[str, Any]
) -> None:
    variants = await _variants_of(uow, product.id)
    if "handle" in changes:
        handle = checked(domain.check_handle, changes["handle"])
        await _ensure_handle_free(uow, handle, owner=product.id)  # before assigning: autoflush
        product.handle = handle
    if "status" in changes:
        if changes["status"] == "active" and not domain.can_activate([s for _, s in variants]):
            raise InvalidInput(
                "An active product needs at least one active variant.", field="status"
            )
        product.status = changes["status"]
    if "option_names" in changes:
        names = checked(domain.check_option_names, changes["option_names"])
        if names != product.option_names and variants:
            raise Conflict(
                "Options cannot change once the product has variants.", field="option_names"
            )
        product.option_names = names
    if "tax_class" in changes:
        product.tax_class = checked(domain.check_tax_class, changes["tax_class"])
    if "category_ids" in changes:
        await _set_categories(uow, product.id, changes["category_ids"])
    if patch.media is not None:
        product.media = _media_rows(patch.media, {variant_id for variant_id, _ in variants})
    for name in ("name", "description", "brand", "attributes"):
        if name in changes:
            setattr(product, name, changes[name])


async def delete_product(uow: UnitOfWork, product_id: str) -> None:
    """Delete a draft (never sold, never shown); active or archived products stay."""
    async with uow:
        product = await product_for_update(uow, product_id)
        if product.status != "draft":
            raise Conflict("Only draft products can be deleted; archive this one instead.")
        variant_ids = [variant_id for variant_id, _ in await _variants_of(uow, product.id)]
        used_in = await uow.session.scalar(
            select(BundleComponent.bundle_variant_id).where(
                BundleComponent.component_variant_id.in_(variant_ids),
                BundleComponent.bundle_variant_id.not_in(variant_ids),
            )
        )
        if used_in is not None:
            raise Conflict(f"A variant of this product is a component of bundle {used_in}.")
        await _delete_rows(uow, product.id, variant_ids)
        uow.record(ProductDeleted(product_id=product.id, variant_ids=variant_ids))
        uow.audit("catalog.product_deleted", "product", product.id, {"handle": product.handle})
        await uow.commit()


async def _delete_rows(uow: UnitOfWork, product_id: str, variant_ids: list[str]) -> None:
    # Children first, explicitly: the same on every backend, whatever its cascade support.
    session = uow.session
    await session.execute(
        delete(BundleComponent).where(BundleComponent.bundle_variant_id.in_(variant_ids))
    )
    await session.execute(delete(Variant).where(Variant.product_id == product_id))
    await session.execute(delete(ProductCategory).where(ProductCategory.product_id == product_id))
    await session.execute(delete(Publication).where(Publication.product_id == product_id))
    await session.execute(delete(Product).where(Product.id == product_id))
