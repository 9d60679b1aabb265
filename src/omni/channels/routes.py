"""HTTP endpoints: /channels (admin writes, staff reads), their stock pools, and the
storefront's public view of one channel."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Response
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.channels import queries, service
from omni.channels.models import Channel
from omni.channels.schemas import (
    ChannelIn,
    ChannelOut,
    ChannelPatch,
    Kind,
    PoolLocationOut,
    PublicChannelOut,
    StockPoolIn,
    StockPoolOut,
)
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound

router = new_router("/channels", ["channels"])
PageDep = Annotated[PageParams, Depends(page_params)]
IfMatch = Annotated[str | None, Header()]


# Declared before "/{channel_id}/…" so that "/public/x" is never read as a channel id.
@router.get(
    "/public/{code}",
    summary="What a storefront needs to know about its channel",
    response_model=PublicChannelOut,
)
async def public_channel(
    code: str, session: ReaderDep, actor: Actor = Access(public=True)
) -> PublicChannelOut:
    channel = await session.scalar(select(Channel).where(Channel.code == code.lower()))
    if channel is None or not channel.active:
        raise NotFound("No such channel.")
    return PublicChannelOut.model_validate(channel)


@router.post("", summary="Create a channel", status_code=201, response_model=ChannelOut)
async def create_channel(
    body: ChannelIn, db: DbDep, response: Response, actor: Actor = Access("channels.write")
) -> ChannelOut:
    channel = await service.create_channel(db.uow(actor), body)
    set_etag(response, channel.version)
    return ChannelOut.model_validate(channel)


@router.get("", summary="List channels", response_model=Page[ChannelOut])
async def list_channels(
    session: ReaderDep,
    page: PageDep,
    kind: Kind | None = None,
    active: bool | None = None,
    location_id: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=100, description="In code or name")] = None,
    actor: Actor = Access("channels.read"),
) -> Page[ChannelOut]:
    query = select(Channel).order_by(Channel.id).limit(page.limit + 1)
    if isinstance(page.after, str):
        query = query.where(Channel.id > page.after)
    if kind:
        query = query.where(Channel.kind == kind)
    if active is not None:
        query = query.where(Channel.active == active)
    if location_id:
        query = query.where(Channel.location_id == location_id)
    if q:
        needle = q.lower()
        query = query.where(
            or_(
                Channel.code.contains(needle, autoescape=True),
                func.lower(Channel.name).contains(needle, autoescape=True),
            )
        )
    channels = [ChannelOut.model_validate(c) for c in await session.scalars(query)]
    return make_page(channels, page, key=lambda c: c.id)


async def _get(session: AsyncSession, channel_id: str) -> Channel:
    channel = await session.get(Channel, channel_id)
    if channel is None:
        raise NotFound("No such channel.")
    return channel


@router.get("/{channel_id}", summary="A channel", response_model=ChannelOut)
async def get_channel(
    channel_id: str, session: ReaderDep, response: Response, actor: Actor = Access("channels.read")
) -> ChannelOut:
    channel = await _get(session, channel_id)
    set_etag(response, channel.version)
    return ChannelOut.model_validate(channel)


@router.patch("/{channel_id}", summary="Change a channel", response_model=ChannelOut)
async def update_channel(
    channel_id: str,
    body: ChannelPatch,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access("channels.write"),
) -> ChannelOut:
    channel = await service.update_channel(
        db.uow(actor), channel_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, channel.version)
    return ChannelOut.model_validate(channel)


def _pool_out(channel: Channel, rows: list[queries.PoolRow]) -> StockPoolOut:
    return StockPoolOut(
        channel_id=channel.id,
        default_buffer_units=channel.default_buffer_units,
        default_buffer_percent=channel.default_buffer_percent,
        locations=[
            PoolLocationOut(location_id=loc, buffer_units=units, buffer_percent=percent)
            for loc, units, percent in rows
        ],
    )


@router.get(
    "/{channel_id}/stock-pool",
    summary="The locations this channel sells from, with their buffers",
    response_model=StockPoolOut,
)
async def get_stock_pool(
    channel_id: str, session: ReaderDep, response: Response, actor: Actor = Access("channels.read")
) -> StockPoolOut:
    channel = await _get(session, channel_id)
    set_etag(response, channel.version)
    return _pool_out(channel, await queries.pool_rows(session, channel_id))


@router.put(
    "/{channel_id}/stock-pool",
    summary="Replace the channel's stock pool (all or nothing)",
    response_model=StockPoolOut,
    description="Null buffers take the channel's defaults. The pool is part of the channel: "
    "If-Match takes the channel's ETag, and a change bumps it.",
)
async def replace_stock_pool(
    channel_id: str,
    body: StockPoolIn,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access("channels.write"),
) -> StockPoolOut:
    channel, rows = await service.replace_stock_pool(
        db.uow(actor), channel_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, channel.version)
    return _pool_out(channel, rows)
