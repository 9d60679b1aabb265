"""HTTP endpoints under /catalog: products and their publication on channels.

``routers`` lists the module's routers (mounted by ``omni.wiring``): products here,
variants and categories in their own files.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Query, Response

from omni.catalog import products, publications, queries, variants
from omni.catalog.category_routes import router as category_router
from omni.catalog.schemas import (
    ProductIn,
    ProductOut,
    ProductPatch,
    ProductStatus,
    PublicationIn,
    PublicationOut,
    VariantIn,
    VariantOut,
)
from omni.catalog.variant_routes import router as variant_router
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, encode_cursor, make_page, page_params
from omni.http.router import new_router
from omni.inventory import api as inventory_api
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput, NotFound

router = new_router("/catalog", ["catalog"])
PageDep = Annotated[PageParams, Depends(page_params)]
TOTAL_HELP = "Also count every matching product (in stock, with in_stock) into total"
IN_STOCK_HELP = (
    "Only products with a variant in stock on the channel (channel_id, or the "
    "storefront's), reservations, holds and buffers counted; a page may come back "
    "short with a next_cursor: keep following it"
)
ChannelQuery = Annotated[
    str | None, Query(max_length=32, description="Storefront callers must name a channel")
]


@router.get(
    "/products",
    summary="List products (staff: all; storefront: live on the named channel)",
    response_model=Page[ProductOut],
)
async def list_products(
    db: DbDep,
    session: ReaderDep,
    page: PageDep,
    status: ProductStatus | None = None,
    category_id: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    channel_id: ChannelQuery = None,
    brand: Annotated[str | None, Query(max_length=100)] = None,
    updated_since: datetime | None = None,
    in_stock: Annotated[bool, Query(description=IN_STOCK_HELP)] = False,
    total: Annotated[bool, Query(description=TOTAL_HELP)] = False,
    actor: Actor = Access(public=True),
) -> Page[ProductOut]:
    storefront = queries.storefront_channel(actor, channel_id)
    filters = queries.ProductFilters(
        status=status,
        category_id=category_id,
        q=q,
        channel_id=channel_id,
        brand=brand,
        updated_since=updated_since,
    )
    if in_stock:
        return await _list_in_stock(db, session, page, filters, storefront, total)
    now = db.clock.now()
    rows = await queries.list_products(session, filters, page, storefront=storefront, now=now)
    views = await queries.product_views(session, rows, storefront=storefront is not None)
    listed = make_page(views, page, key=lambda p: p.id)
    if total:
        listed.total = await queries.count_products(
            session, filters, storefront=storefront, now=now
        )
    return listed


async def _list_in_stock(
    db: DbDep,
    session: ReaderDep,
    page: PageParams,
    filters: queries.ProductFilters,
    storefront: str | None,
    total: bool,
) -> Page[ProductOut]:
    """Products with a variant in stock on the channel (storefront's or ``channel_id``),
    reservations and buffers counted — asked of the inventory module, page by page."""
    channel = storefront or filters.channel_id
    if channel is None:
        raise InvalidInput("in_stock needs a channel_id.", param="in_stock")
    now = db.clock.now()
    in_stock = functools.partial(inventory_api.in_stock_variant_ids, session, channel)
    rows, resume_after = await queries.list_products_in_stock(
        session, filters, page, storefront=storefront, now=now, in_stock=in_stock
    )
    views = await queries.product_views(session, rows, storefront=storefront is not None)
    listed = make_page(views, page, key=lambda p: p.id)
    if resume_after is not None:
        listed.next_cursor = encode_cursor(resume_after)
    if total:
        listed.total = await queries.count_products_in_stock(
            session, filters, storefront=storefront, now=now, in_stock=in_stock
        )
    return listed


@router.post("/products", summary="Create a product", status_code=201, response_model=ProductOut)
async def create_product(
    body: ProductIn, db: DbDep, response: Response, actor: Actor = Access("catalog.write")
) -> ProductOut:
    out = await products.create_product(db.uow(actor), body)
    set_etag(response, out.version)
    response.headers["Location"] = f"/api/v1/catalog/products/{out.id}"
    return out


async def _product_or_404(
    db: DbDep,
    session: ReaderDep,
    actor: Actor,
    channel_id: str | None,
    *,
    product_id: str | None = None,
    handle: str | None = None,
) -> ProductOut:
    storefront = queries.storefront_channel(actor, channel_id)
    product = await queries.find_product(
        session, product_id=product_id, handle=handle, storefront=storefront, now=db.clock.now()
    )
    if product is None:
        raise NotFound("No such product.")
    return (await queries.product_views(session, [product], storefront=storefront is not None))[0]


@router.get(
    "/products/by-handle/{handle}", summary="A product by its handle", response_model=ProductOut
)
async def get_product_by_handle(
    handle: str,
    db: DbDep,
    session: ReaderDep,
    response: Response,
    channel_id: ChannelQuery = None,
    actor: Actor = Access(public=True),
) -> ProductOut:
    out = await _product_or_404(db, session, actor, channel_id, handle=handle)
    set_etag(response, out.version)
    return out


@router.get(
    "/products/{product_id}", summary="A product with its variants", response_model=ProductOut
)
async def get_product(
    product_id: str,
    db: DbDep,
    session: ReaderDep,
    response: Response,
    channel_id: ChannelQuery = None,
    actor: Actor = Access(public=True),
) -> ProductOut:
    out = await _product_or_404(db, session, actor, channel_id, product_id=product_id)
    set_etag(response, out.version)
    return out


@router.patch(
    "/products/{product_id}",
    summary="Change a product (archive it with status=archived)",
    response_model=ProductOut,
)
async def update_product(
    product_id: str,
    body: ProductPatch,
    db: DbDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
    actor: Actor = Access("catalog.write"),
) -> ProductOut:
    out = await products.update_product(
        db.uow(actor), product_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, out.version)
    return out


@router.delete("/products/{product_id}", summary="Delete a draft product", status_code=204)
async def delete_product(
    product_id: str, db: DbDep, actor: Actor = Access("catalog.write")
) -> Response:
    await products.delete_product(db.uow(actor), product_id)
    return Response(status_code=204)


@router.post(
    "/products/{product_id}/variants",
    summary="Add a variant to a product",
    status_code=201,
    response_model=VariantOut,
)
async def add_variant(
    product_id: str,
    body: VariantIn,
    db: DbDep,
    response: Response,
    actor: Actor = Access("catalog.write"),
) -> VariantOut:
    out = await variants.add_variant(db.uow(actor), product_id, body)
    set_etag(response, out.version)
    response.headers["Location"] = f"/api/v1/catalog/variants/{out.id}"
    return out


@router.get(
    "/products/{product_id}/publications",
    summary="Channels the product is published on",
    response_model=list[PublicationOut],
)
async def list_publications(
    product_id: str, db: DbDep, session: ReaderDep, actor: Actor = Access("catalog.read")
) -> list[PublicationOut]:
    found = await queries.find_product(
        session, product_id=product_id, storefront=None, now=db.clock.now()
    )
    if found is None:
        raise NotFound("No such product.")
    return await publications.publications_of(session, product_id)


@router.put(
    "/products/{product_id}/publications/{channel_id}",
    summary="Publish a product on a channel",
    response_model=PublicationOut,
)
async def publish_product(
    product_id: str,
    channel_id: str,
    db: DbDep,
    body: PublicationIn | None = None,
    actor: Actor = Access("catalog.write"),
) -> PublicationOut:
    published_at = body.published_at if body else None
    return await publications.publish(
        db.uow(actor), product_id, channel_id, published_at=published_at
    )


@router.delete(
    "/products/{product_id}/publications/{channel_id}",
    summary="Take a product off a channel",
    status_code=204,
)
async def unpublish_product(
    product_id: str, channel_id: str, db: DbDep, actor: Actor = Access("catalog.write")
) -> Response:
    await publications.unpublish(db.uow(actor), product_id, channel_id)
    return Response(status_code=204)


# Separate routers rather than include_router: the start-up access check inspects the
# routes of each router it is given, and included routers are not expanded there.
routers = [router, variant_router, category_router]
