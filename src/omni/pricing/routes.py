"""HTTP endpoints under /pricing: price lists, their prices, and price resolution."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Query, Response

from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import Forbidden, InvalidInput, NotFound
from omni.kernel.money import is_currency
from omni.permissions import has_permission
from omni.pricing import api, price_lists, prices, queries
from omni.pricing.models import PriceList
from omni.pricing.schemas import (
    PriceListIn,
    PriceListOut,
    PriceListPatch,
    PriceOut,
    PricesIn,
    PricesUpsertedOut,
    ResolvedPriceOut,
    ResolveOut,
)

router = new_router("/pricing", ["pricing"])
PageDep = Annotated[PageParams, Depends(page_params)]
MAX_RESOLVE_VARIANTS = 100


@router.get("/price-lists", summary="List price lists", response_model=Page[PriceListOut])
async def list_price_lists(
    session: ReaderDep,
    page: PageDep,
    active: bool | None = None,
    currency: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    actor: Actor = Access("prices.read"),
) -> Page[PriceListOut]:
    rows = await queries.list_price_lists(session, page, active=active, currency=currency)
    return make_page([PriceListOut.model_validate(r) for r in rows], page, key=lambda r: r.id)


@router.post(
    "/price-lists", summary="Create a price list", status_code=201, response_model=PriceListOut
)
async def create_price_list(
    body: PriceListIn, db: DbDep, response: Response, actor: Actor = Access("prices.write")
) -> PriceListOut:
    price_list = await price_lists.create_price_list(db.uow(actor), body)
    set_etag(response, price_list.version)
    response.headers["Location"] = f"/api/v1/pricing/price-lists/{price_list.id}"
    return PriceListOut.model_validate(price_list)


@router.get("/price-lists/{price_list_id}", summary="A price list", response_model=PriceListOut)
async def get_price_list(
    price_list_id: str,
    session: ReaderDep,
    response: Response,
    actor: Actor = Access("prices.read"),
) -> PriceListOut:
    price_list = await session.get(PriceList, price_list_id)
    if price_list is None:
        raise NotFound("No such price list.")
    set_etag(response, price_list.version)
    return PriceListOut.model_validate(price_list)


@router.patch(
    "/price-lists/{price_list_id}", summary="Change a price list", response_model=PriceListOut
)
async def update_price_list(
    price_list_id: str,
    body: PriceListPatch,
    db: DbDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
    actor: Actor = Access("prices.write"),
) -> PriceListOut:
    price_list = await price_lists.update_price_list(
        db.uow(actor), price_list_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, price_list.version)
    return PriceListOut.model_validate(price_list)


@router.delete(
    "/price-lists/{price_list_id}", summary="Delete a price list and its prices", status_code=204
)
async def delete_price_list(
    price_list_id: str, db: DbDep, actor: Actor = Access("prices.write")
) -> Response:
    await price_lists.delete_price_list(db.uow(actor), price_list_id)
    return Response(status_code=204)


@router.get(
    "/price-lists/{price_list_id}/prices",
    summary="The prices of a list",
    response_model=Page[PriceOut],
)
async def list_prices(
    price_list_id: str,
    session: ReaderDep,
    page: PageDep,
    variant_id: Annotated[str | None, Query(max_length=32)] = None,
    actor: Actor = Access("prices.read"),
) -> Page[PriceOut]:
    if not await api.price_list_exists(session, price_list_id):
        raise NotFound("No such price list.")
    rows = await queries.list_prices(session, price_list_id, page, variant_id=variant_id)
    return make_page([PriceOut.model_validate(r) for r in rows], page, key=lambda r: r.id)


@router.put(
    "/price-lists/{price_list_id}/prices",
    summary="Create or replace up to 1,000 prices at once (all or nothing)",
    response_model=PricesUpsertedOut,
)
async def upsert_prices(
    price_list_id: str,
    body: PricesIn,
    db: DbDep,
    response: Response,
    actor: Actor = Access("prices.write"),
) -> PricesUpsertedOut:
    result = await prices.upsert_prices(db.uow(actor), price_list_id, body.prices)
    set_etag(response, result.version)
    return PricesUpsertedOut(
        price_list_id=price_list_id,
        created=result.created,
        updated=result.updated,
        version=result.version,
    )


@router.delete(
    "/price-lists/{price_list_id}/prices/{price_id}",
    summary="Remove one price row",
    status_code=204,
)
async def delete_price(
    price_list_id: str, price_id: str, db: DbDep, actor: Actor = Access("prices.write")
) -> Response:
    await prices.delete_price(db.uow(actor), price_list_id, price_id)
    return Response(status_code=204)


def _variant_ids(values: list[str]) -> list[str]:
    """Accepts ``variant_ids=a&variant_ids=b`` and ``variant_ids=a,b``."""
    ids = list(dict.fromkeys(v.strip() for value in values for v in value.split(",") if v.strip()))
    if not ids or len(ids) > MAX_RESOLVE_VARIANTS:
        raise InvalidInput(f"Give 1 to {MAX_RESOLVE_VARIANTS} variant ids.", param="variant_ids")
    return ids


@router.get(
    "/resolve",
    summary="Prices of variants for a channel, currency and quantity (public)",
    response_model=ResolveOut,
)
async def resolve(
    db: DbDep,
    session: ReaderDep,
    variant_ids: Annotated[list[str], Query(description="Repeat it or separate ids by commas")],
    currency: Annotated[str, Query(min_length=3, max_length=3)],
    channel_id: Annotated[str | None, Query(max_length=32)] = None,
    quantity: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    segment: Annotated[list[str] | None, Query(description="Staff only")] = None,
    loyalty_tier: Annotated[str | None, Query(max_length=64, description="Staff only")] = None,
    at: Annotated[datetime | None, Query(description="Staff only: price at another time")] = None,
    actor: Actor = Access(public=True),
) -> ResolveOut:
    ids = _variant_ids(variant_ids)
    if not is_currency(currency):
        raise InvalidInput(f"{currency!r} is not an ISO 4217 currency code.", param="currency")
    staff = has_permission(actor, "prices.read")
    if not staff and (segment or loyalty_tier or at):
        # Until segments and tiers come from the shopper's own profile, nobody may
        # claim them: that would let anyone ask for VIP prices.
        raise Forbidden("Only staff may price for a segment, tier or time.")
    if at is not None and at.tzinfo is None:
        raise InvalidInput("at needs a time zone.", param="at")
    channel = channel_id or actor.channel
    if channel and not await channels_api.channel_exists(session, channel):
        raise InvalidInput(f"Unknown channel {channel}.", param="channel_id")
    context = api.PricingContext(
        currency=currency,
        at=at or db.clock.now(),
        channel_id=channel,
        quantity=quantity,
        segments=frozenset(segment or ()),
        loyalty_tier=loyalty_tier,
    )
    priced = ids
    if not staff:
        sellable = await catalog_api.sellable_variant_ids(
            session, ids, channel_id=channel, at=context.at
        )
        priced = [variant_id for variant_id in ids if variant_id in sellable]
    resolved = await api.resolve_prices(session, priced, context)
    return ResolveOut(
        currency=currency,
        quantity=quantity,
        channel_id=channel,
        at=context.at,
        prices={
            variant_id: (
                ResolvedPriceOut.model_validate(resolved[variant_id])
                if resolved.get(variant_id)
                else None
            )
            for variant_id in ids
        },
    )
