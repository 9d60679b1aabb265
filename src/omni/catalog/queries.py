"""Read side of the catalog: lists, lookups and the storefront's visibility rule."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import domain
from omni.catalog.models import (
    BundleComponent,
    Category,
    Product,
    ProductCategory,
    Publication,
    Variant,
)
from omni.catalog.schemas import (
    CategoryNode,
    ComponentOut,
    ComponentsOut,
    MediaOut,
    ProductOut,
    VariantOut,
)
from omni.http.pagination import PageParams
from omni.kernel.actor import Actor, ActorKind
from omni.kernel.errors import Forbidden, InvalidInput, Unauthenticated
from omni.permissions import has_permission


def storefront_channel(actor: Actor, channel_id: str | None) -> str | None:
    """None when the caller reads the whole catalog; else the channel it may browse.

    Shoppers and anonymous callers see only what is live on a channel they name (query
    parameter, or the channel their API key or ``Omni-Channel`` header carries).
    """
    if has_permission(actor, "catalog.read"):
        return None
    channel = channel_id or actor.channel
    if channel:
        return channel
    if actor.kind is ActorKind.ANONYMOUS:
        raise Unauthenticated("Name a channel_id to browse, or sign in as staff.")
    raise Forbidden("Name a channel_id to browse the catalog.", required=["catalog.read"])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def live_on_channel(channel_id: str, now: datetime) -> ColumnElement[bool]:
    """SQL form of ``domain.is_visible`` for the products table."""
    published = select(Publication.product_id).where(
        Publication.channel_id == channel_id,
        Publication.published.is_(True),
        or_(Publication.published_at.is_(None), Publication.published_at <= now),
    )
    return (Product.status == "active") & Product.id.in_(published)


def _category_and_descendants(category_id: str) -> Select[Any]:
    tree = select(Category.id).where(Category.id == category_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Category.id).where(Category.parent_id == tree.c.id))
    return select(ProductCategory.product_id).where(
        ProductCategory.category_id.in_(select(tree.c.id))
    )


def _search(q: str) -> ColumnElement[bool]:
    """Name contains ``q``; or a variant's SKU starts with it; or a GTIN equals it."""
    name_like = func.lower(Product.name).like(f"%{_like_escape(q.lower())}%", escape="\\")
    variant_match: ColumnElement[bool] = Variant.sku.like(
        f"{_like_escape(q.upper())}%", escape="\\"
    )
    with contextlib.suppress(domain.CatalogRuleBroken):  # not a GTIN: names and SKUs only
        variant_match = or_(variant_match, Variant.gtin == domain.normalize_gtin(q))
    return or_(name_like, Product.id.in_(select(Variant.product_id).where(variant_match)))


@dataclass(frozen=True)
class ProductFilters:
    status: str | None = None
    category_id: str | None = None
    q: str | None = None
    channel_id: str | None = None
    brand: str | None = None
    updated_since: datetime | None = None


async def list_products(
    session: AsyncSession,
    filters: ProductFilters,
    page: PageParams,
    *,
    storefront: str | None,
    now: datetime,
) -> list[Product]:
    query = _matching(select(Product), filters, storefront, now)
    query = query.order_by(Product.id).limit(page.limit + 1)
    if page.after:
        query = query.where(Product.id > str(page.after))
    return list(await session.scalars(query))


ProductQuery = TypeVar("ProductQuery", bound=Select)


def _matching(
    query: ProductQuery, filters: ProductFilters, storefront: str | None, now: datetime
) -> ProductQuery:
    if storefront is not None:
        query = query.where(live_on_channel(storefront, now))
    if filters.status:
        query = query.where(Product.status == filters.status)
    if filters.channel_id and filters.channel_id != storefront:
        query = query.where(
            Product.id.in_(
                select(Publication.product_id).where(
                    Publication.channel_id == filters.channel_id, Publication.published.is_(True)
                )
            )
        )
    if filters.category_id:
        query = query.where(Product.id.in_(_category_and_descendants(filters.category_id)))
    if filters.q:
        query = query.where(_search(filters.q))
    if filters.brand:
        query = query.where(Product.brand == filters.brand)
    if filters.updated_since:
        if filters.updated_since.tzinfo is None:
            raise InvalidInput("updated_since needs a time zone.", param="updated_since")
        query = query.where(Product.updated_at >= filters.updated_since)
    return query


# Keeps the variant ids in stock on a channel. The route supplies it from
# ``omni.inventory.api`` so the catalog's read side does not depend on inventory.
InStockFilter = Callable[[list[str]], Awaitable[set[str]]]
IN_STOCK_SCAN_ROUNDS = 5
IN_STOCK_MIN_BATCH = 100


async def list_products_in_stock(
    session: AsyncSession,
    filters: ProductFilters,
    page: PageParams,
    *,
    storefront: str | None,
    now: datetime,
    in_stock: InStockFilter,
) -> tuple[list[Product], str | None]:
    """``list_products`` keeping products with at least one variant in stock.

    The listing is scanned in batches (products, their variants, one stock check each),
    at most ``IN_STOCK_SCAN_ROUNDS`` of them, so a sparse listing costs a bounded number
    of statements: up to ``page.limit + 1`` products, and the product id to resume after
    when the scan stopped before filling the page (a short page with a cursor)."""
    found: list[Product] = []
    size = min(max(page.limit + 1, IN_STOCK_MIN_BATCH), 500)
    after = page.after
    for _ in range(IN_STOCK_SCAN_ROUNDS):
        batch = await list_products(
            session, filters, PageParams(limit=size, after=after), storefront=storefront, now=now
        )
        candidates = batch[:size]
        stocked = await _products_in_stock(session, candidates, in_stock, storefront is not None)
        for product in candidates:
            if product.id in stocked:
                found.append(product)
                if len(found) > page.limit:
                    return found, None
        if len(batch) <= size:
            return found, None
        after = candidates[-1].id
    return found, str(after)


async def count_products(
    session: AsyncSession, filters: ProductFilters, *, storefront: str | None, now: datetime
) -> int:
    query = _matching(select(func.count()).select_from(Product), filters, storefront, now)
    return int(await session.scalar(query) or 0)


async def count_products_in_stock(
    session: AsyncSession,
    filters: ProductFilters,
    *,
    storefront: str | None,
    now: datetime,
    in_stock: InStockFilter,
) -> int:
    """How many products match ``filters`` with a variant in stock: every matching
    variant asked of inventory at once (one statement there, an EXISTS per SKU)."""
    query = _matching(select(Variant.id, Variant.product_id), filters, storefront, now)
    query = query.join(Product, Product.id == Variant.product_id)
    if storefront is not None:
        query = query.where(Variant.status == "active")
    product_of = {variant_id: product_id for variant_id, product_id in await session.execute(query)}
    return len({product_of[v] for v in await in_stock(sorted(product_of))})


async def _products_in_stock(
    session: AsyncSession, products: Sequence[Product], in_stock: InStockFilter, active_only: bool
) -> set[str]:
    if not products:
        return set()
    query = select(Variant.id, Variant.product_id).where(
        Variant.product_id.in_([p.id for p in products])
    )
    if active_only:
        query = query.where(Variant.status == "active")
    product_of = {variant_id: product_id for variant_id, product_id in await session.execute(query)}
    return {product_of[v] for v in await in_stock(sorted(product_of))}


async def find_product(
    session: AsyncSession,
    *,
    product_id: str | None = None,
    handle: str | None = None,
    storefront: str | None,
    now: datetime,
) -> Product | None:
    query = select(Product)
    if product_id is not None:
        query = query.where(Product.id == product_id)
    if handle is not None:
        query = query.where(Product.handle == handle)
    if storefront is not None:
        query = query.where(live_on_channel(storefront, now))
    return await session.scalar(query)


async def product_views(
    session: AsyncSession, products: Sequence[Product], *, storefront: bool = False
) -> list[ProductOut]:
    """Products with their variants and category ids: two queries for any page size."""
    ids = [p.id for p in products]
    if not ids:
        return []
    variant_query = (
        select(Variant)
        .where(Variant.product_id.in_(ids))
        .order_by(Variant.product_id, Variant.position, Variant.id)
    )
    if storefront:
        variant_query = variant_query.where(Variant.status == "active")
    variants: dict[str, list[VariantOut]] = {pid: [] for pid in ids}
    for variant in await session.scalars(variant_query):
        variants[variant.product_id].append(VariantOut.model_validate(variant))
    categories: dict[str, list[str]] = {pid: [] for pid in ids}
    links = await session.execute(
        select(ProductCategory.product_id, ProductCategory.category_id)
        .where(ProductCategory.product_id.in_(ids))
        .order_by(ProductCategory.category_id)
    )
    for product_id, category_id in links:
        categories[product_id].append(category_id)
    return [_product_out(p, variants[p.id], categories[p.id]) for p in products]


def _product_out(product: Product, variants: list[VariantOut], categories: list[str]) -> ProductOut:
    return ProductOut(
        id=product.id,
        handle=product.handle,
        name=product.name,
        description=product.description,
        brand=product.brand,
        status=product.status,
        category_ids=categories,
        attributes=product.attributes,
        tax_class=product.tax_class,
        option_names=product.option_names,
        media=[MediaOut(**m) for m in product.media],
        variants=variants,
        created_at=product.created_at,
        updated_at=product.updated_at,
        version=product.version,
    )


async def product_view(session: AsyncSession, product: Product) -> ProductOut:
    return (await product_views(session, [product]))[0]


async def list_variants(
    session: AsyncSession,
    page: PageParams,
    *,
    sku: str | None = None,
    gtin: str | None = None,
    product_id: str | None = None,
    is_bundle: bool | None = None,
) -> list[Variant]:
    query = select(Variant).order_by(Variant.id).limit(page.limit + 1)
    if page.after:
        query = query.where(Variant.id > str(page.after))
    if sku is not None:
        query = query.where(Variant.sku == sku.strip().upper())
    if gtin is not None:
        query = query.where(Variant.gtin == _gtin_or_invalid(gtin))
    if product_id is not None:
        query = query.where(Variant.product_id == product_id)
    if is_bundle is not None:
        query = query.where(Variant.is_bundle.is_(is_bundle))
    return list(await session.scalars(query))


def _gtin_or_invalid(value: str) -> str:
    try:
        return domain.normalize_gtin(value)
    except domain.CatalogRuleBroken as error:
        raise InvalidInput(str(error), param="gtin") from error


async def variant_by_gtin(session: AsyncSession, gtin: str) -> Variant | None:
    return await session.scalar(select(Variant).where(Variant.gtin == _gtin_or_invalid(gtin)))


async def variant_by_sku(session: AsyncSession, sku: str) -> Variant | None:
    return await session.scalar(select(Variant).where(Variant.sku == sku.strip().upper()))


async def components_view(session: AsyncSession, bundle_variant_id: str) -> ComponentsOut:
    rows = await session.execute(
        select(BundleComponent.component_variant_id, Variant.sku, BundleComponent.quantity)
        .join(Variant, Variant.id == BundleComponent.component_variant_id)
        .where(BundleComponent.bundle_variant_id == bundle_variant_id)
        .order_by(Variant.sku)
    )
    return ComponentsOut(
        bundle_variant_id=bundle_variant_id,
        components=[ComponentOut(variant_id=v, sku=s, quantity=q) for v, s, q in rows],
    )


async def list_categories(
    session: AsyncSession, page: PageParams, *, parent_id: str | None = None
) -> list[Category]:
    query = select(Category).order_by(Category.id).limit(page.limit + 1)
    if page.after:
        query = query.where(Category.id > str(page.after))
    if parent_id is not None:
        query = query.where(Category.parent_id == parent_id)
    return list(await session.scalars(query))


async def category_tree(session: AsyncSession) -> list[CategoryNode]:
    """The whole tree, siblings by position then name (category trees are small)."""
    categories = list(
        await session.scalars(select(Category).order_by(Category.position, Category.name))
    )
    nodes = {
        c.id: CategoryNode(id=c.id, slug=c.slug, name=c.name, position=c.position)
        for c in categories
    }
    roots: list[CategoryNode] = []
    for category in categories:
        node = nodes[category.id]
        parent = nodes.get(category.parent_id) if category.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots
