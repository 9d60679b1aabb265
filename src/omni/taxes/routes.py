"""HTTP endpoints under /tax: regions with their rates, and a quote to check them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Header, Response

from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import InvalidInput, NotFound
from omni.kernel.money import Money
from omni.taxes import api, queries, service
from omni.taxes.models import TaxRateRecord, TaxRegionRecord
from omni.taxes.schemas import (
    QuoteIn,
    QuoteOut,
    TaxRateIn,
    TaxRateOut,
    TaxRatePatch,
    TaxRegionIn,
    TaxRegionOut,
    TaxRegionPatch,
)

router = new_router("/tax", ["taxes"])
PageDep = Annotated[PageParams, Depends(page_params)]
IfMatch = Annotated[str | None, Header()]


def _region_out(region: TaxRegionRecord, rates: Sequence[TaxRateRecord]) -> TaxRegionOut:
    out = TaxRegionOut.model_validate(region)
    out.rates = [TaxRateOut.model_validate(rate) for rate in rates]
    return out


@router.get(
    "/regions", summary="List tax regions with their rates", response_model=Page[TaxRegionOut]
)
async def list_regions(
    session: ReaderDep, page: PageDep, actor: Actor = Access("taxes.read")
) -> Page[TaxRegionOut]:
    regions = await queries.list_regions(session, page)
    rates = await queries.rates_of(session, [r.code for r in regions])
    items = [_region_out(region, rates[region.code]) for region in regions]
    return make_page(items, page, key=lambda r: r.code)


@router.post(
    "/regions",
    summary="Create a tax region (optionally with its rates)",
    status_code=201,
    response_model=TaxRegionOut,
)
async def create_region(
    body: TaxRegionIn, db: DbDep, response: Response, actor: Actor = Access("taxes.write")
) -> TaxRegionOut:
    region, rates = await service.create_region(db.uow(actor), body)
    set_etag(response, region.version)
    response.headers["Location"] = f"/api/v1/tax/regions/{region.code}"
    return _region_out(region, rates)


@router.get(
    "/regions/{code}", summary="A tax region with all its rates", response_model=TaxRegionOut
)
async def get_region(
    code: str, session: ReaderDep, response: Response, actor: Actor = Access("taxes.read")
) -> TaxRegionOut:
    region = await session.get(TaxRegionRecord, code.strip().upper())
    if region is None:
        raise NotFound("No such tax region.")
    rates = await queries.rates_of(session, [region.code])
    set_etag(response, region.version)
    return _region_out(region, rates[region.code])


@router.patch("/regions/{code}", summary="Change a tax region", response_model=TaxRegionOut)
async def update_region(
    code: str,
    body: TaxRegionPatch,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access("taxes.write"),
) -> TaxRegionOut:
    region, rates = await service.update_region(
        db.uow(actor), code, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, region.version)
    return _region_out(region, rates)


@router.delete("/regions/{code}", summary="Delete a tax region and its rates", status_code=204)
async def delete_region(
    code: str, db: DbDep, if_match: IfMatch = None, actor: Actor = Access("taxes.write")
) -> Response:
    await service.delete_region(db.uow(actor), code, if_match=parse_if_match(if_match))
    return Response(status_code=204)


@router.post(
    "/regions/{code}/rates",
    summary="Add a rate (one rate per tax class at any moment)",
    status_code=201,
    response_model=TaxRateOut,
)
async def add_rate(
    code: str,
    body: TaxRateIn,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access("taxes.write"),
) -> TaxRateOut:
    region, rate = await service.add_rate(
        db.uow(actor), code, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, region.version)
    return TaxRateOut.model_validate(rate)


@router.patch("/regions/{code}/rates/{rate_id}", summary="Change a rate", response_model=TaxRateOut)
async def update_rate(
    code: str,
    rate_id: str,
    body: TaxRatePatch,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access("taxes.write"),
) -> TaxRateOut:
    region, rate = await service.update_rate(
        db.uow(actor), code, rate_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, region.version)
    return TaxRateOut.model_validate(rate)


@router.delete("/regions/{code}/rates/{rate_id}", summary="Remove a rate", status_code=204)
async def delete_rate(
    code: str,
    rate_id: str,
    db: DbDep,
    if_match: IfMatch = None,
    actor: Actor = Access("taxes.write"),
) -> Response:
    region = await service.delete_rate(
        db.uow(actor), code, rate_id, if_match=parse_if_match(if_match)
    )
    response = Response(status_code=204)
    set_etag(response, region.version)
    return response


@router.post(
    "/quote",
    summary="Quote the tax of amounts in a region, as checkout would (changes nothing)",
    response_model=QuoteOut,
)
async def quote(
    body: QuoteIn, db: DbDep, session: ReaderDep, actor: Actor = Access("taxes.read")
) -> QuoteOut:
    lines = [
        api.TaxableLine(line.line_id, Money(line.amount, body.currency), line.tax_class)
        for line in body.lines
    ]
    shipping = None if body.shipping is None else Money(body.shipping, body.currency)
    try:
        result = await api.quote(
            session,
            body.region,
            lines,
            shipping,
            body.currency,
            body.prices_include_tax,
            at=body.at or db.clock.now(),
        )
    except ValueError as error:  # duplicate line ids
        raise InvalidInput(str(error), field="lines") from error
    return QuoteOut.model_validate(result.as_dict())
