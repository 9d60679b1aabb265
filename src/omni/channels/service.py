"""Use cases: create and change channels, replace a channel's stock pool.

Each runs in one unit of work. ``Channel.version`` is the mapper's version column, so
every UPDATE is conditional on the version read: a concurrent change makes the loser
fail (412) instead of silently overwriting, whether or not the client sent If-Match.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from omni.channels import domain
from omni.channels.api import forget_channels
from omni.channels.events import ChannelCreated, ChannelStockPoolChanged, ChannelUpdated
from omni.channels.models import Channel, ChannelStockLocation
from omni.channels.queries import PoolRow, pool_rows
from omni.channels.schemas import ChannelIn, ChannelPatch, StockPoolIn
from omni.db.uow import UnitOfWork
from omni.http.etag import check_version
from omni.kernel.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from omni.kernel.ids import new_id
from omni.locations import api as locations_api
from omni.pricing import api as pricing_api


class _Problems:
    """Collects every problem of a request, so one answer lists them all."""

    def __init__(self) -> None:
        self.found: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.found.append({"field": field, "message": message})

    def check(self, field: str, rule: Any, *args: Any) -> Any:
        try:
            return rule(*args)
        except ValueError as error:
            self.add(field, str(error))
            return None

    def raise_if_any(self) -> None:
        if self.found:
            detail = "; ".join(f"{p['field']}: {p['message']}" for p in self.found)
            raise InvalidInput(detail, field=self.found[0]["field"], errors=self.found)


def _check_market(problems: _Problems, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "currency": problems.check("currency", domain.normalize_currency, values["currency"]),
        "locale": problems.check("locale", domain.normalize_locale, values["locale"]),
        "tax_region": problems.check(
            "tax_region", domain.normalize_tax_region, values["tax_region"]
        ),
        "fulfillment_methods": problems.check(
            "fulfillment_methods",
            domain.check_methods,
            values["kind"],
            list(values["fulfillment_methods"]),
        ),
    }


async def _check_store(uow: UnitOfWork, problems: _Problems, kind: str, location_id: str) -> None:
    if kind != "pos":
        problems.add("location_id", "only POS channels belong to a store")
        return
    found = await locations_api.get_locations(uow.session, [location_id])
    if location_id not in found:
        problems.add("location_id", f"unknown location {location_id}")
    elif found[location_id].kind != "store":
        problems.add("location_id", "a POS channel belongs to a store")


async def _checked(
    uow: UnitOfWork, problems: _Problems, values: dict[str, Any], changed: set[str]
) -> dict[str, Any]:
    """Normalized values; references (store, price list) are checked when they change."""
    checked = dict(values) | _check_market(problems, values)
    if values.get("location_id") and "location_id" in changed:
        await _check_store(uow, problems, values["kind"], values["location_id"])
    price_list_id = values.get("price_list_id")
    if (
        price_list_id
        and "price_list_id" in changed
        and not await pricing_api.price_list_exists(uow.session, price_list_id)
    ):
        problems.add("price_list_id", f"unknown price list {price_list_id}")
    problems.raise_if_any()
    return checked


async def _commit(uow: UnitOfWork) -> None:
    try:
        await uow.commit()
    except IntegrityError as error:  # lost a race for the same code
        raise Conflict("A channel with this code exists.", field="code") from error
    except StaleDataError as error:
        raise _changed_meanwhile() from error
    forget_channels()


async def _flush(uow: UnitOfWork) -> None:
    try:
        await uow.flush()
    except StaleDataError as error:
        raise _changed_meanwhile() from error


def _changed_meanwhile() -> PreconditionFailed:
    return PreconditionFailed("The channel changed while you were saving it; read it again.")


async def create_channel(uow: UnitOfWork, body: ChannelIn) -> Channel:
    async with uow:
        problems = _Problems()
        code = problems.check("code", domain.normalize_code, body.code)
        values = await _checked(uow, problems, body.model_dump(), set(ChannelIn.model_fields))
        if await uow.session.scalar(select(Channel.id).where(Channel.code == code)):
            raise Conflict(f"A channel with code {code} exists.", field="code")
        now = uow.clock.now()
        channel = Channel(
            id=new_id("chn"), **(values | {"code": code}), created_at=now, updated_at=now
        )
        uow.session.add(channel)
        uow.record(ChannelCreated(channel_id=channel.id, code=channel.code, kind=channel.kind))
        uow.audit("channel.created", "channel", channel.id, {"code": code, "kind": channel.kind})
        await _commit(uow)
    return channel


async def _get(uow: UnitOfWork, channel_id: str) -> Channel:
    channel = await uow.session.get(Channel, channel_id)
    if channel is None:
        raise NotFound("No such channel.")
    return channel


async def update_channel(
    uow: UnitOfWork, channel_id: str, patch: ChannelPatch, *, if_match: int | None
) -> Channel:
    changes = patch.model_dump(exclude_unset=True)
    async with uow:
        channel = await _get(uow, channel_id)
        check_version(if_match, channel.version, "channel")
        current = {name: getattr(channel, name) for name in ChannelPatch.model_fields}
        merged = current | {"kind": channel.kind} | changes
        values = await _checked(uow, _Problems(), merged, set(changes))
        changed = {
            name: value
            for name, value in values.items()
            if name != "kind" and getattr(channel, name) != value
        }
        if changed:
            for name, value in changed.items():
                setattr(channel, name, value)
            channel.updated_at = uow.clock.now()
            uow.record(ChannelUpdated(channel_id=channel.id, fields=sorted(changed)))
            uow.audit("channel.updated", "channel", channel.id, changed)
        await _commit(uow)
    return channel


async def _check_pool(uow: UnitOfWork, body: StockPoolIn) -> list[PoolRow]:
    wanted = [entry.location_id for entry in body.locations]
    repeated = sorted({location_id for location_id in wanted if wanted.count(location_id) > 1})
    if repeated:
        raise InvalidInput(f"Listed twice: {', '.join(repeated)}.", field="locations")
    found = await locations_api.get_locations(uow.session, wanted)
    unknown = sorted(set(wanted) - set(found))
    if unknown:
        raise InvalidInput(
            f"Unknown locations: {', '.join(unknown)}.", field="locations", location_ids=unknown
        )
    unfit = sorted(i for i, info in found.items() if info.kind not in domain.POOL_LOCATION_KINDS)
    if unfit:
        raise InvalidInput(
            f"Pickup points and lockers hold no stock to sell: {', '.join(unfit)}.",
            field="locations",
            location_ids=unfit,
        )
    return sorted((e.location_id, e.buffer_units, e.buffer_percent) for e in body.locations)


async def replace_stock_pool(
    uow: UnitOfWork, channel_id: str, body: StockPoolIn, *, if_match: int | None
) -> tuple[Channel, list[PoolRow]]:
    """Make the pool exactly ``body`` in one transaction: all of it or none of it."""
    async with uow:
        channel = await _get(uow, channel_id)
        check_version(if_match, channel.version, "channel")
        new_rows = await _check_pool(uow, body)
        old_rows = await pool_rows(uow.session, channel_id)
        if new_rows == old_rows:
            await uow.commit()  # nothing to write; committing keeps `channel` loaded
            return channel, old_rows
        # Bumping the channel's version first locks its row, so two replacements of
        # one pool run one after the other instead of interleaving deletes and inserts.
        channel.updated_at = uow.clock.now()
        await _flush(uow)
        await uow.session.execute(
            delete(ChannelStockLocation).where(ChannelStockLocation.channel_id == channel_id)
        )
        uow.session.add_all(
            ChannelStockLocation(
                channel_id=channel_id, location_id=loc, buffer_units=units, buffer_percent=pct
            )
            for loc, units, pct in new_rows
        )
        affected = sorted({row[0] for row in set(old_rows) ^ set(new_rows)})
        uow.record(ChannelStockPoolChanged(channel_id=channel_id, location_ids=affected))
        uow.audit(
            "channel.stock_pool_changed",
            "channel",
            channel_id,
            {"locations": [list(row) for row in new_rows]},
        )
        await _commit(uow)
    return channel, new_rows
