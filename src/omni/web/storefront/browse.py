"""Browsing: home, category listings, search (with an "in stock" filter), the product
page with its variant picker, and "in stock at stores near you" (an htmx fragment, or
the whole page without JavaScript)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from omni.catalog import api as catalog_api
from omni.http.deps import DbDep
from omni.inventory import api as inventory_api
from omni.kernel.errors import InvalidInput
from omni.web.storefront import listing
from omni.web.storefront.shop import open_shop, page
from omni.web.templating import render

router = APIRouter()
FEATURED = 8
Text = Annotated[str | None, Query(max_length=100)]


@router.get("/", name="store_home")
async def home(request: Request, db: DbDep) -> Response:
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        categories = await catalog_api.category_tree(session)
        featured = await listing.search(
            session, shop, db.clock.now(), in_stock_only=True, limit=FEATURED
        )
        return await page(
            request, db, session, shop, "storefront/home.html",
            {"categories": categories, "featured": featured},
        )  # fmt: skip


@router.get("/search", name="store_search")
async def search(
    request: Request,
    db: DbDep,
    q: Text = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
    in_stock: bool = False,
) -> Response:
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        categories = await catalog_api.category_tree(session)
        cards = await listing.search(
            session, shop, db.clock.now(), q=q or None, category_id=category or None,
            in_stock_only=in_stock,
        )  # fmt: skip
        context = {
            "categories": categories,
            "cards": cards,
            "q": q or "",
            "category": category or "",
            "category_name": _name_of(categories, category),
            "in_stock": in_stock,
        }
        return await page(request, db, session, shop, "storefront/search.html", context)


def _name_of(nodes: list[catalog_api.CategoryNode], category_id: str | None) -> str | None:
    for node in nodes:
        if node.id == category_id:
            return node.name
        found = _name_of(node.children, category_id)
        if found:
            return found
    return None


@router.get("/products/{handle}", name="store_product")
async def product(
    request: Request,
    handle: str,
    db: DbDep,
    variant: Annotated[str | None, Query(max_length=32)] = None,
    variant_id: Annotated[str | None, Query(max_length=32)] = None,
    zip_code: Annotated[str | None, Query(alias="zip", max_length=10)] = None,
) -> Response:
    """The product with the chosen variant (``variant``, or ``variant_id`` when the
    picker reloads the page through htmx)."""
    variant = variant_id or variant
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        at = db.clock.now()
        found = await catalog_api.storefront_product(session, shop.channel_id, handle, at=at)
        if found is None:
            return await page(
                request, db, session, shop, "storefront/not_found.html", {}, status_code=404
            )
        rows = await listing.variant_rows(session, shop, found, at)
        chosen = next((r for r in rows if r.id == variant), None) or _first_buyable(rows)
        nearby = await _nearby(session, chosen.id if chosen else None, zip_code)
        context = {"product": found, "rows": rows, "chosen": chosen, "zip": zip_code or "",
                   **nearby}  # fmt: skip
        return await page(request, db, session, shop, "storefront/product.html", context)


def _first_buyable(rows: list[listing.VariantRow]) -> listing.VariantRow | None:
    return next((r for r in rows if r.buyable), rows[0] if rows else None)


@router.get("/products/{handle}/nearby", name="store_nearby")
async def nearby(
    request: Request,
    handle: str,
    db: DbDep,
    variant_id: Annotated[str, Query(max_length=32)],
    zip_code: Annotated[str, Query(alias="zip", max_length=10)],
) -> Response:
    """The "stores near you" fragment, for htmx."""
    async with db.reader() as session:
        context = await _nearby(session, variant_id, zip_code)
    return render(request, "storefront/_nearby.html", {"zip": zip_code, **context})


async def _nearby(
    session: AsyncSession, variant_id: str | None, zip_code: str | None
) -> dict[str, object]:
    if not variant_id or not zip_code:
        return {"stores": None, "nearby_error": None}
    try:
        stores = await inventory_api.nearby_stores_with_stock(session, variant_id, zip_code)
    except InvalidInput as error:
        return {"stores": None, "nearby_error": error.detail}
    return {"stores": stores, "nearby_error": None}
