"""HTTP endpoints under /sourcing/profiles: each channel's sourcing profile (ORD4).

Reading needs ``sourcing.read``, changing ``sourcing.write`` (admins, planners). A
channel without a stored profile answers the engine's default, flagged ``is_default``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Response

from omni.channels import api as channels_api
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.sourcing import queries, service
from omni.sourcing.schemas import SourcingProfileIn, SourcingProfileOut

router = new_router("/sourcing/profiles", ["sourcing"])
PageDep = Annotated[PageParams, Depends(page_params)]
IfMatch = Annotated[str | None, Header()]
READ, WRITE = "sourcing.read", "sourcing.write"


@router.get(
    "",
    summary="Stored sourcing profiles (channels not listed use the default)",
    response_model=Page[SourcingProfileOut],
)
async def list_profiles(
    session: ReaderDep, page: PageDep, actor: Actor = Access(READ)
) -> Page[SourcingProfileOut]:
    records = await queries.list_profiles(session, page)
    items = [queries.profile_out(record.channel_id, record) for record in records]
    return make_page(items, page, key=lambda profile: profile.channel_id)


@router.get(
    "/{channel_id}",
    summary="The channel's sourcing profile, or the default it uses",
    response_model=SourcingProfileOut,
)
async def get_profile(
    channel_id: str, session: ReaderDep, response: Response, actor: Actor = Access(READ)
) -> SourcingProfileOut:
    if not await channels_api.channel_exists(session, channel_id):
        raise NotFound("No such channel.")
    out = queries.profile_out(channel_id, await queries.stored_profile(session, channel_id))
    set_etag(response, out.version)
    return out


@router.put(
    "/{channel_id}",
    summary="Set the channel's whole sourcing profile (If-Match: the version read)",
    response_model=SourcingProfileOut,
)
async def put_profile(
    channel_id: str,
    body: SourcingProfileIn,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access(WRITE),
) -> SourcingProfileOut:
    record = await service.put_profile(
        db.uow(actor), channel_id, body, if_match=parse_if_match(if_match)
    )
    set_etag(response, record.version)
    return queries.profile_out(channel_id, record)


@router.delete(
    "/{channel_id}",
    summary="Put the channel back on the default sourcing profile",
    status_code=204,
)
async def delete_profile(
    channel_id: str, db: DbDep, if_match: IfMatch = None, actor: Actor = Access(WRITE)
) -> Response:
    await service.delete_profile(db.uow(actor), channel_id, if_match=parse_if_match(if_match))
    return Response(status_code=204)
