"""What other modules may call in the catalog module.

Everything returned is a plain frozen dataclass, never an ORM object, so callers cannot
reach into catalog tables or lazily load from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import importing, queries
from omni.catalog.exporting import export_product_rows, product_export_columns
from omni.catalog.importing import RowError, UpsertSummary
from omni.catalog.models import (
    BundleComponent,
    Category,
    Product,
    ProductCategory,
    Publication,
    Variant,
)
from omni.catalog.queries import InStockFilter
from omni.catalog.schemas import CategoryNode, ProductOut
from omni.db.uow import UnitOfWork

__all__ = [
    "BundleComponentInfo",
    "CategoryNode",
    "InStockFilter",
    "ProductOut",
    "RowError",
    "UpsertSummary",
    "VariantInfo",
    "bundle_components",
    "bundle_recipes",
    "category_tree",
    "existing_category_ids",
    "existing_product_ids",
    "export_product_rows",
    "get_variants",
    "product_category_ids",
    "product_export_columns",
    "sellable_variant_ids",
    "storefront_product",
    "storefront_products",
    "upsert_products",
    "validate_variant_row",
    "variant_by_sku",
    "variant_exists",
    "variant_ids_by_gtin",
    "variant_ids_by_sku",
    "variant_skus",
]


@dataclass(frozen=True)
class VariantInfo:
    id: str
    sku: str
    gtin: str | None
    product_id: str
    # The product's name, and a label with the option values ("Tee — M / Navy").
    name: str
    title: str
    option_values: Mapping[str, str]
    tax_class: str
    status: str
    product_status: str
    is_bundle: bool
    weight_grams: int | None

    @property
    def sellable(self) -> bool:
        """Active variant of an active product (publication per channel aside)."""
        return self.status == "active" and self.product_status == "active"


@dataclass(frozen=True)
class BundleComponentInfo:
    variant_id: str
    sku: str
    quantity: int


def _title(name: str, option_names: Sequence[str], values: Mapping[str, str]) -> str:
    labels = [values[o] for o in option_names if o in values]
    return f"{name} — {' / '.join(labels)}" if labels else name


_INFO_COLUMNS = (
    Variant,
    Product.name,
    Product.option_names,
    Product.tax_class,
    Product.status,
)


def _info(row: Any) -> VariantInfo:
    variant, name, option_names, tax_class, product_status = row
    return VariantInfo(
        id=variant.id,
        sku=variant.sku,
        gtin=variant.gtin,
        product_id=variant.product_id,
        name=name,
        title=_title(name, option_names, variant.option_values),
        option_values=dict(variant.option_values),
        tax_class=tax_class,
        status=variant.status,
        product_status=product_status,
        is_bundle=variant.is_bundle,
        weight_grams=variant.weight_grams,
    )


async def get_variants(session: AsyncSession, ids: Iterable[str]) -> dict[str, VariantInfo]:
    """Variants by id with their product's facts, in one query; unknown ids are absent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(*_INFO_COLUMNS)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id.in_(wanted))
    )
    return {info.id: info for info in map(_info, rows)}


async def variant_by_sku(session: AsyncSession, sku: str) -> VariantInfo | None:
    """The variant with this SKU (case-insensitive), or None."""
    row = (
        await session.execute(
            select(*_INFO_COLUMNS)
            .join(Product, Product.id == Variant.product_id)
            .where(Variant.sku == sku.strip().upper())
        )
    ).first()
    return None if row is None else _info(row)


async def variant_ids_by_sku(session: AsyncSession, skus: Iterable[str]) -> dict[str, str]:
    """Variant ids by SKU (give them upper-case, as stored), in one query; unknown SKUs
    are absent. For bulk lookups such as price imports."""
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    rows = await session.execute(select(Variant.sku, Variant.id).where(Variant.sku.in_(wanted)))
    return {sku: variant_id for sku, variant_id in rows}


async def variant_ids_by_gtin(session: AsyncSession, gtins: Iterable[str]) -> dict[str, str]:
    """Variant ids by GTIN, in one query; give GTINs as stored: 14 digits, zero-padded
    (``00036000291452`` for the UPC-A ``036000291452``). Unknown GTINs are absent.
    For bulk lookups such as scan and RFID uploads."""
    wanted = sorted(set(gtins))
    if not wanted:
        return {}
    rows = await session.execute(select(Variant.gtin, Variant.id).where(Variant.gtin.in_(wanted)))
    return {gtin: variant_id for gtin, variant_id in rows if gtin is not None}


async def variant_skus(session: AsyncSession, ids: Iterable[str]) -> dict[str, str]:
    """SKUs by variant id, in one query; unknown ids are absent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(select(Variant.id, Variant.sku).where(Variant.id.in_(wanted)))
    return {variant_id: sku for variant_id, sku in rows}


async def variant_exists(session: AsyncSession, variant_id: str) -> bool:
    found = await session.scalar(select(Variant.id).where(Variant.id == variant_id))
    return found is not None


async def bundle_components(session: AsyncSession, variant_id: str) -> list[BundleComponentInfo]:
    """What one unit of a bundle is made of; empty for a plain variant."""
    rows = await session.execute(
        select(BundleComponent.component_variant_id, Variant.sku, BundleComponent.quantity)
        .join(Variant, Variant.id == BundleComponent.component_variant_id)
        .where(BundleComponent.bundle_variant_id == variant_id)
        .order_by(BundleComponent.component_variant_id)
    )
    return [BundleComponentInfo(v, sku, quantity) for v, sku, quantity in rows]


async def bundle_recipes(
    session: AsyncSession, variant_ids: Iterable[str]
) -> dict[str, dict[str, int]]:
    """Of ``variant_ids``, the bundles with their recipes ({component id: units per
    bundle}), in one query; plain variants and unknown ids are absent."""
    wanted = sorted(set(variant_ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(
            BundleComponent.bundle_variant_id,
            BundleComponent.component_variant_id,
            BundleComponent.quantity,
        ).where(BundleComponent.bundle_variant_id.in_(wanted))
    )
    recipes: dict[str, dict[str, int]] = {}
    for bundle_id, component_id, quantity in rows:
        recipes.setdefault(bundle_id, {})[component_id] = quantity
    return recipes


async def sellable_variant_ids(
    session: AsyncSession, ids: Iterable[str], *, channel_id: str | None, at: datetime
) -> set[str]:
    """Of ``ids``, the active variants of active products — and, when a channel is named,
    of products published there at ``at``: what a shopper may see on that channel."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    query = (
        select(Variant.id)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id.in_(wanted), Variant.status == "active", Product.status == "active")
    )
    if channel_id is not None:
        query = query.join(
            Publication,
            (Publication.product_id == Product.id) & (Publication.channel_id == channel_id),
        ).where(
            Publication.published.is_(True),
            or_(Publication.published_at.is_(None), Publication.published_at <= at),
        )
    return set(await session.scalars(query))


async def product_category_ids(
    session: AsyncSession, product_ids: Iterable[str]
) -> dict[str, frozenset[str]]:
    """The categories of each product, with all their ancestors (a product in "Tops >
    T-shirts" is in "Tops" too: a promotion on tops covers it), in one recursive query.
    Products without categories, and unknown ids, map to an empty set."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    up = (
        select(ProductCategory.product_id, ProductCategory.category_id)
        .where(ProductCategory.product_id.in_(wanted))
        .cte("up", recursive=True)
    )
    # UNION (not UNION ALL) drops repeats, so even a cyclic tree ends.
    up = up.union(
        select(up.c.product_id, Category.parent_id)
        .join(Category, Category.id == up.c.category_id)
        .where(Category.parent_id.is_not(None))
    )
    found: dict[str, set[str]] = {product_id: set() for product_id in wanted}
    for product_id, category_id in await session.execute(select(up.c.product_id, up.c.category_id)):
        found[product_id].add(category_id)
    return {product_id: frozenset(ids) for product_id, ids in found.items()}


async def existing_product_ids(session: AsyncSession, ids: Iterable[str]) -> set[str]:
    """Of ``ids``, the products that exist (any status), in one query."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    return set(await session.scalars(select(Product.id).where(Product.id.in_(wanted))))


async def existing_category_ids(session: AsyncSession, ids: Iterable[str]) -> set[str]:
    """Of ``ids``, the categories that exist, in one query."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    return set(await session.scalars(select(Category.id).where(Category.id.in_(wanted))))


def validate_variant_row(row: Mapping[str, Any]) -> list[RowError]:
    """Check one import row (see ``omni.catalog.importing`` for its columns) without
    touching the database; an empty list means the row is well-formed. Rules that need
    the catalog (a SKU owned by another product…) are checked by ``upsert_products``."""
    return importing.parse_row(row)[1]


async def upsert_products(uow: UnitOfWork, rows: Sequence[Mapping[str, Any]]) -> UpsertSummary:
    """Create or update products and variants from import rows, in the caller's unit of
    work, without committing. Raises ``InvalidInput`` with ``errors=[{row, field,
    message}]`` when any row cannot be applied; the caller then must not commit."""
    return await importing.upsert_rows(uow, rows)


async def category_tree(session: AsyncSession) -> list[CategoryNode]:
    """The whole category tree, siblings by position then name (for navigation)."""
    return await queries.category_tree(session)


async def storefront_products(
    session: AsyncSession,
    channel_id: str,
    *,
    at: datetime,
    q: str | None = None,
    category_id: str | None = None,
    in_stock: InStockFilter | None = None,
    limit: int = 24,
) -> list[ProductOut]:
    """Up to ``limit`` products live on the channel at ``at`` (what a shopper may see),
    by id: matching ``q`` (name, SKU prefix or GTIN) and in ``category_id`` or one of
    its descendants. With ``in_stock`` (the inventory module's check, supplied by the
    caller so the catalog does not depend on inventory), only products with a variant
    in stock; the scan is bounded, so a sparse listing may come back short."""
    filters = queries.ProductFilters(q=q, category_id=category_id)
    page = queries.PageParams(limit=limit)
    if in_stock is None:
        rows = await queries.list_products(session, filters, page, storefront=channel_id, now=at)
    else:
        rows, _ = await queries.list_products_in_stock(
            session, filters, page, storefront=channel_id, now=at, in_stock=in_stock
        )
    return await queries.product_views(session, rows[:limit], storefront=True)


async def storefront_product(
    session: AsyncSession, channel_id: str, handle: str, *, at: datetime
) -> ProductOut | None:
    """The product with this handle, with its active variants, if it is live on the
    channel at ``at``; else None (a shopper cannot tell a hidden product from none)."""
    product = await queries.find_product(session, handle=handle, storefront=channel_id, now=at)
    if product is None:
        return None
    return (await queries.product_views(session, [product], storefront=True))[0]
