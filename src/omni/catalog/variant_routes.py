"""HTTP endpoints under /catalog/variants: lookups (SKU, GTIN), changes, bundles."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import bundles, queries, variants
from omni.catalog.models import Variant
from omni.catalog.schemas import ComponentsIn, ComponentsOut, VariantOut, VariantPatch
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound

router = new_router("/catalog", ["catalog"])
PageDep = Annotated[PageParams, Depends(page_params)]


def _found(variant: Variant | None, response: Response) -> VariantOut:
    if variant is None:
        raise NotFound("No such variant.")
    set_etag(response, variant.version)
    return VariantOut.model_validate(variant)


@router.get(
    "/variants",
    summary="List variants (filter by SKU, GTIN, product)",
    response_model=Page[VariantOut],
)
async def list_variants(
    session: ReaderDep,
    page: PageDep,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    gtin: Annotated[str | None, Query(max_length=20)] = None,
    product_id: Annotated[str | None, Query(max_length=32)] = None,
    is_bundle: bool | None = None,
    actor: Actor = Access("catalog.read"),
) -> Page[VariantOut]:
    rows = await queries.list_variants(
        session, page, sku=sku, gtin=gtin, product_id=product_id, is_bundle=is_bundle
    )
    return make_page([VariantOut.model_validate(v) for v in rows], page, key=lambda v: v.id)


@router.get("/variants/by-sku/{sku}", summary="A variant by SKU", response_model=VariantOut)
async def variant_by_sku(
    sku: str, session: ReaderDep, response: Response, actor: Actor = Access("catalog.read")
) -> VariantOut:
    return _found(await queries.variant_by_sku(session, sku), response)


@router.get(
    "/variants/by-gtin/{gtin}", summary="A variant by GTIN (EAN/UPC)", response_model=VariantOut
)
async def variant_by_gtin(
    gtin: str, session: ReaderDep, response: Response, actor: Actor = Access("catalog.read")
) -> VariantOut:
    return _found(await queries.variant_by_gtin(session, gtin), response)


@router.get("/variants/{variant_id}", summary="A variant", response_model=VariantOut)
async def get_variant(
    variant_id: str, session: ReaderDep, response: Response, actor: Actor = Access("catalog.read")
) -> VariantOut:
    return _found(await session.get(Variant, variant_id), response)


@router.patch("/variants/{variant_id}", summary="Change a variant", response_model=VariantOut)
async def update_variant(
    variant_id: str,
    body: VariantPatch,
    db: DbDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
    actor: Actor = Access("catalog.write"),
) -> VariantOut:
    out = await variants.update_variant(
        db.uow(actor), variant_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, out.version)
    return out


async def _existing(session: AsyncSession, variant_id: str) -> None:
    if await session.get(Variant, variant_id) is None:
        raise NotFound("No such variant.")


@router.get(
    "/variants/{variant_id}/components",
    summary="What a bundle is made of",
    response_model=ComponentsOut,
)
async def get_components(
    variant_id: str, session: ReaderDep, actor: Actor = Access("catalog.read")
) -> ComponentsOut:
    await _existing(session, variant_id)
    return await queries.components_view(session, variant_id)


@router.put(
    "/variants/{variant_id}/components",
    summary="Make a variant a bundle of other variants (empty list: not a bundle)",
    response_model=ComponentsOut,
)
async def set_components(
    variant_id: str, body: ComponentsIn, db: DbDep, actor: Actor = Access("catalog.write")
) -> ComponentsOut:
    return await bundles.set_components(db.uow(actor), variant_id, body.components)
