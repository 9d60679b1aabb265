"""Use cases: create, change and delete price lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from omni.channels import api as channels_api
from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.errors import Conflict, InvalidInput, NotFound
from omni.kernel.ids import new_id
from omni.pricing.events import PriceListCreated, PriceListDeleted, PriceListUpdated
from omni.pricing.models import Price, PriceList
from omni.pricing.schemas import PriceListIn, PriceListPatch

_NOT_NULL = ("code", "name", "currency", "channel_ids", "priority", "active", "prices_include_tax")


async def _check_channels(uow: UnitOfWork, channel_ids: list[str]) -> list[str]:
    wanted = sorted(set(channel_ids))
    unknown = [c for c in wanted if not await channels_api.channel_exists(uow.session, c)]
    if unknown:
        raise InvalidInput(f"Unknown channels: {', '.join(unknown)}.", field="channel_ids")
    return wanted


async def _ensure_code_free(uow: UnitOfWork, code: str, owner: str | None = None) -> None:
    holder = await uow.session.scalar(select(PriceList.id).where(PriceList.code == code))
    if holder is not None and holder != owner:
        raise Conflict(f"The code {code!r} is taken by price list {holder}.", field="code")


async def _flush(uow: UnitOfWork) -> None:
    try:
        await uow.flush()
    except IntegrityError as error:  # lost a race for the same code
        raise Conflict("Another price list took this code meanwhile.", field="code") from error


async def list_for_update(uow: UnitOfWork, price_list_id: str) -> PriceList:
    """The list, locked on PostgreSQL so writers of one list (and its prices) queue up."""
    price_list = await uow.session.scalar(
        select(PriceList).where(PriceList.id == price_list_id).with_for_update()
    )
    if price_list is None:
        raise NotFound("No such price list.")
    return price_list


async def create_price_list(uow: UnitOfWork, data: PriceListIn) -> PriceList:
    async with uow:
        await _ensure_code_free(uow, data.code)
        now = uow.clock.now()
        price_list = PriceList(
            id=new_id("prl"),
            **data.model_dump(exclude={"channel_ids"}),
            channel_ids=await _check_channels(uow, data.channel_ids),
            created_at=now,
            updated_at=now,
            version=1,
        )
        uow.session.add(price_list)
        await _flush(uow)
        uow.record(
            PriceListCreated(
                price_list_id=price_list.id, code=price_list.code, currency=price_list.currency
            )
        )
        uow.audit(
            "pricing.price_list_created",
            "price_list",
            price_list.id,
            data.model_dump(mode="json"),
        )
        await uow.commit()
    return price_list


async def update_price_list(
    uow: UnitOfWork, price_list_id: str, patch: PriceListPatch, *, if_match: int | None
) -> PriceList:
    changes = patch.model_dump(exclude_unset=True)
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise InvalidInput(f"{name} cannot be null.", field=name)
    async with uow:
        price_list = await list_for_update(uow, price_list_id)
        check_version(if_match, price_list.version, "price list")
        await _apply_changes(uow, price_list, changes)
        price_list.version += 1
        price_list.updated_at = uow.clock.now()
        await _flush(uow)
        uow.record(PriceListUpdated(price_list_id=price_list.id, fields=sorted(changes)))
        uow.audit(
            "pricing.price_list_updated",
            "price_list",
            price_list.id,
            patch.model_dump(mode="json", exclude_unset=True),
        )
        await uow.commit()
    return price_list


async def _apply_changes(uow: UnitOfWork, price_list: PriceList, changes: dict[str, Any]) -> None:
    if "code" in changes:
        await _ensure_code_free(uow, changes["code"], owner=price_list.id)
    if "currency" in changes and changes["currency"] != price_list.currency:
        has_prices = await uow.session.scalar(
            select(Price.id).where(Price.price_list_id == price_list.id).limit(1)
        )
        if has_prices is not None:
            raise Conflict(
                "The list has prices in its currency; make a new list for another currency.",
                field="currency",
            )
    if "channel_ids" in changes:
        changes["channel_ids"] = await _check_channels(uow, changes["channel_ids"])
    valid_from = changes.get("valid_from", price_list.valid_from)
    valid_to = changes.get("valid_to", price_list.valid_to)
    if valid_from and valid_to and valid_to <= valid_from:
        raise InvalidInput("valid_to must be after valid_from.", field="valid_to")
    for name, value in changes.items():
        setattr(price_list, name, value)


async def delete_price_list(uow: UnitOfWork, price_list_id: str) -> None:
    """Delete a list with its prices (deactivate it instead to keep its history)."""
    async with uow:
        price_list = await list_for_update(uow, price_list_id)
        await uow.session.execute(delete(Price).where(Price.price_list_id == price_list.id))
        await uow.session.execute(delete(PriceList).where(PriceList.id == price_list.id))
        uow.record(PriceListDeleted(price_list_id=price_list.id, code=price_list.code))
        uow.audit(
            "pricing.price_list_deleted", "price_list", price_list.id, {"code": price_list.code}
        )
        await uow.commit()
