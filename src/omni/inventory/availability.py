"""The availability read model (INV3/INV4/INV6): what can be sold, where, through which
channel. Reads only: no row is ever locked, and each call runs a fixed, small number of
statements whatever the number of SKUs or locations.

A channel sells from its pool of locations; at each one it sees what is available there
after that location's buffer, so a store can keep units for walk-ins that online
channels never see. A bundle has no stock of its own: at each location it is as
available as its scarcest component allows, and the channel's figure is the sum over
locations (a kit is picked whole from one place).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from omni.catalog import api as catalog_api
from omni.channels import api as channels_api
from omni.inventory import policies
from omni.inventory.domain import NO_BUFFER, Buffer, Quantities, bundle_available, stock_state
from omni.inventory.models import StockLevel
from omni.kernel.errors import NotFound
from omni.kernel.ids import is_id

# What no reservation, hold or safety stock has taken: a channel's buffer comes off this.
_FREE = StockLevel.on_hand - StockLevel.reserved - StockLevel.unsellable - StockLevel.safety_stock

LEVEL_COLUMNS = (
    StockLevel.variant_id,
    StockLevel.location_id,
    StockLevel.on_hand,
    StockLevel.reserved,
    StockLevel.unsellable,
    StockLevel.safety_stock,
    StockLevel.incoming,
)


@dataclass(frozen=True)
class LevelRow:
    variant_id: str
    location_id: str
    quantities: Quantities


@dataclass(frozen=True)
class ChannelAvailability:
    """Available-to-sell of one variant through one channel."""

    variant_id: str
    # Sum over the channel's pool, each location after its buffer.
    available: int
    # Pool locations with something available, and how much.
    by_location: Mapping[str, int] = field(default_factory=dict)
    is_bundle: bool = False
    backorder: bool = False
    preorder: bool = False
    # Units that may be promised beyond stock at a location (backorder/preorder).
    allowance: int = 0

    def status(self, low_threshold: int = policies.DEFAULT_LOW_STOCK_THRESHOLD) -> str:
        """in_stock | low_stock | out_of_stock, or backorder/preorder when out but allowed."""
        if self.available <= 0 and self.allowance > 0:
            return "preorder" if self.preorder and not self.backorder else "backorder"
        return stock_state(self.available, low_threshold)


def pool_buffers(channel: channels_api.ChannelInfo) -> dict[str, Buffer]:
    return {
        entry.location_id: Buffer(entry.buffer_units, entry.buffer_percent)
        for entry in channel.pool
    }


async def channel_or_404(session: AsyncSession, channel_id: str) -> channels_api.ChannelInfo:
    channel = await channels_api.get_channel(session, channel_id)
    if channel is None:
        raise NotFound("No such channel.", channel_id=channel_id)
    return channel


# Up to this many locations (or SKUs), a list of them is an index condition. Longer,
# see ``_located``.
FEW = 16


def _located(location_ids: list[str], variant_count: int) -> ColumnElement[bool] | None:
    """What keeps levels to ``location_ids``, in the cheapest of three ways (same rows).

    With both lists as index conditions PostgreSQL (before 17) descends the (variant,
    location) index once per *pair*: 100 SKUs x 100 locations is 10,000 descents, ~50 ms
    on 10M levels. So a short list stays an index condition (a till's pool, one store);
    for a few SKUs, whose levels are at most one per location, a long list is not sent
    at all but applied in Python (``level_rows``) — sending and parsing 1,000 ids costs
    more than reading a SKU's every level; otherwise the column is wrapped in an
    expression, which no index matches: each SKU's levels are read once, in one index
    range, and checked against the list, which PostgreSQL hashes."""
    if len(location_ids) <= FEW:
        return StockLevel.location_id.in_(location_ids)
    if variant_count <= FEW:
        return None
    return _among(StockLevel.location_id.concat(""), location_ids)


async def level_rows(
    session: AsyncSession,
    variant_ids: Iterable[str],
    location_ids: Iterable[str] | None = None,
    *,
    only_free: bool = False,
) -> list[LevelRow]:
    """Levels of these variants (at these locations), one statement. ``only_free`` keeps
    rows with something left after reservations, holds and safety stock — a buffer can
    only take more away, so the others can never be available to any channel."""
    variants = sorted(set(variant_ids))
    query = select(*LEVEL_COLUMNS).where(StockLevel.variant_id.in_(variants))
    places = None if location_ids is None else set(location_ids)
    located = None if places is None else _located(sorted(places), len(variants))
    if located is not None:
        query = query.where(located)
    if only_free:
        query = query.where(_FREE > 0)
    return [
        LevelRow(v, loc, Quantities(oh, rs, un, ss, inc))
        for v, loc, oh, rs, un, ss, inc in await session.execute(query)
        if places is None or loc in places
    ]


def _per_location(rows: list[LevelRow], pool: Mapping[str, Buffer]) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        available = row.quantities.available(pool.get(row.location_id, NO_BUFFER))
        if available > 0:
            found.setdefault(row.variant_id, {})[row.location_id] = available
    return found


def _bundle_per_location(
    stock: Mapping[str, Mapping[str, int]], recipe: Mapping[str, int]
) -> dict[str, int]:
    places = set.intersection(*(set(stock.get(component, {})) for component in recipe))
    made = {
        location: bundle_available(
            {component: stock[component][location] for component in recipe}, recipe
        )
        for location in places
    }
    return {location: units for location, units in made.items() if units > 0}


async def pool_availability(
    session: AsyncSession,
    pool: Mapping[str, Buffer] | None,
    variant_ids: Iterable[str],
    recipes: Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, int]]:
    """{variant: {pool location: available > 0}}; bundles (``recipes``) derived from
    their components. ``pool`` None: every location, without buffers (what a walk-in
    shopper could buy). One statement on stock_levels."""
    wanted = sorted(set(variant_ids))
    plain = [v for v in wanted if v not in recipes]
    components = {c for v in wanted if v in recipes for c in recipes[v]}
    if pool == {} or not wanted:
        return {v: {} for v in wanted}
    rows = await level_rows(session, {*plain, *components}, pool, only_free=True)
    stock = _per_location(rows, pool or {})
    return {
        v: _bundle_per_location(stock, recipes[v]) if v in recipes else stock.get(v, {})
        for v in wanted
    }


async def channel_availability(
    session: AsyncSession,
    channel: channels_api.ChannelInfo,
    variant_ids: Iterable[str],
    now: datetime,
) -> dict[str, ChannelAvailability]:
    """Available-to-sell per variant through the channel, with its backorder/preorder
    allowance. Three statements: bundle recipes, stock levels, policies."""
    wanted = sorted(set(variant_ids))
    recipes = await catalog_api.bundle_recipes(session, wanted)
    stock = await pool_availability(session, pool_buffers(channel), wanted, recipes)
    variant_policies = await policies.variant_policies(session, channel.id, wanted)
    result = {}
    for variant_id in wanted:
        policy = variant_policies[variant_id]
        by_location = dict(sorted(stock[variant_id].items()))
        result[variant_id] = ChannelAvailability(
            variant_id=variant_id,
            available=sum(by_location.values()),
            by_location=by_location,
            is_bundle=variant_id in recipes,
            backorder=policy.backorder,
            preorder=policy.preorder_open(now),
            allowance=policy.allowance(now),
        )
    return result


async def in_stock_variant_ids(
    session: AsyncSession, channel: channels_api.ChannelInfo, variant_ids: Iterable[str]
) -> set[str]:
    """Of ``variant_ids``, those with at least one unit available through the channel
    (reservations, holds, safety stock and buffers counted). Three statements."""
    wanted = sorted(set(variant_ids))
    if not wanted:
        return set()
    recipes = await catalog_api.bundle_recipes(session, wanted)
    pool = pool_buffers(channel)
    stocked = await _plain_in_stock(session, [v for v in wanted if v not in recipes], pool)
    # Bundles are judged on their components' levels. The statement runs even when no
    # bundle is asked about, so a listing's cost never depends on what it lists.
    bundles = {v: recipes[v] for v in wanted if v in recipes}
    components = {c for recipe in bundles.values() for c in recipe}
    stock = _per_location(await level_rows(session, components, pool, only_free=True), pool)
    return stocked | {v for v, recipe in bundles.items() if _bundle_per_location(stock, recipe)}


async def _plain_in_stock(
    session: AsyncSession, variant_ids: list[str], pool: Mapping[str, Buffer]
) -> set[str]:
    """Whether each SKU has *a* level with a unit for the channel: one EXISTS per SKU,
    which stops at the first such level, where reading every level of a page of SKUs
    at a thousand locations (and judging them here) took a second."""
    if not variant_ids or not pool:
        return set()
    wanted = _id_table(session.get_bind().dialect.name, variant_ids)
    sellable = exists().where(StockLevel.variant_id == wanted, _sellable_through(pool))
    return set(await session.scalars(select(wanted).where(sellable)))


def _id_table(dialect: str, ids: list[str]) -> ColumnElement[str]:
    """The id column of ``ids`` as a table, bound as ONE parameter: the statement is
    then compiled (and prepared) once, where a VALUES list of 500 ids took SQLAlchemy
    longer to compile than PostgreSQL to run."""
    if dialect == "postgresql":
        listed = bindparam("ids", ids, type_=postgresql.ARRAY(String))
        return func.unnest(listed).table_valued("id").render_derived(name="wanted").c.id
    return func.json_each(json.dumps(ids)).table_valued("value").alias("wanted").c.value


def _sellable_through(pool: Mapping[str, Buffer]) -> ColumnElement[bool]:
    """SQL form of ``Quantities.available(buffer) > 0`` at the pool's locations, the
    pool grouped by buffer (a channel has a few distinct ones: stores, DCs…)."""
    groups: dict[Buffer, list[str]] = {}
    for location, buffer in sorted(pool.items()):
        groups.setdefault(buffer, []).append(location)
    tests = []
    for buffer, locations in groups.items():
        # available > 0 ⇔ free > max(units, ⌈on_hand x percent / 100⌉); a row passing
        # free > units ≥ 0 has on_hand > 0, so the ceiling is integer arithmetic.
        test = [buffer.units < _FREE]
        if buffer.percent:
            test.append((StockLevel.on_hand * buffer.percent + 99) // 100 < _FREE)
        tests.append(and_(_location_in(locations), *test))
    return or_(*tests)


def _location_in(location_ids: list[str]) -> ColumnElement[bool]:
    # Long lists as a hashed filter, never as index keys: see ``_located``.
    if len(location_ids) <= FEW:
        return StockLevel.location_id.in_(location_ids)
    return _among(StockLevel.location_id.concat(""), location_ids)


def _among(value: ColumnElement[str], ids: list[str]) -> ColumnElement[bool]:
    """``value IN ids``, the ids written into the SQL rather than bound when they are
    all well-formed ids (a list from a request may hold anything: that one is bound).

    PostgreSQL hashes an IN list only when it is a constant. Bound ids are constants
    in the first five runs of a prepared statement; from the sixth, its generic plan
    searches the list row by row — a pool of 1,000 ids made the in-stock check 25x
    slower. A pool is a stable list, so the statement is still prepared once."""
    if not all(is_id(each) for each in ids):
        return value.in_(ids)
    listed = bindparam(None, ids, type_=String, expanding=True, literal_execute=True)
    return value.in_(listed)


async def bulk_levels(
    session: AsyncSession,
    variant_ids: Iterable[str],
    location_ids: Iterable[str],
) -> list[LevelRow]:
    """Every existing level for these SKUs x locations: one statement on stock_levels.
    Pairs without a row have never held stock (all zero)."""
    rows = await level_rows(session, variant_ids, location_ids)
    return sorted(rows, key=lambda row: (row.variant_id, row.location_id))
