"""The delivery promise of a cart (ORD7): for each fulfilment method its channel offers,
where it would come from and the earliest time it can be picked up or delivered — or
why it is not offered.

Reads only. Sourcing is decided exactly as checkout decides it (the channel's pool, the
stock available to the channel now, its sourcing profile, the locations' remaining
capacity); the times follow ``omni.orders.promise_rules``. Unavailable options are
listed with a reason code, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from omni.carts import api as carts_api
from omni.channels import api as channels_api
from omni.inventory import api as inventory_api
from omni.kernel.errors import InvalidInput
from omni.kernel.money import Money
from omni.locations import api as locations_api
from omni.orders import promise_rules as rules
from omni.orders.capacity import capacity_use
from omni.orders.domain import FulfilmentMethod
from omni.orders.shipping import SHIPPING_CHARGES
from omni.sourcing import api as sourcing_api

# The methods a promise is given for, in the order options are listed.
PROMISED_METHODS = (
    FulfilmentMethod.SAME_DAY,
    FulfilmentMethod.PICKUP,
    FulfilmentMethod.CURBSIDE,
    FulfilmentMethod.SHIP,
    FulfilmentMethod.SHIP_TO_STORE,
)
_MAX_PERIODS = 200  # safety bound when reading a location's opening periods


@dataclass(frozen=True)
class DeliveryOption:
    method: FulfilmentMethod
    available: bool
    charge: Money
    earliest: datetime | None = None
    location_id: str | None = None  # the store (pickup, curbside, ship-to-store, same day)
    location_name: str | None = None
    distance_km: float | None = None
    sourced_from: tuple[str, ...] = ()
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            "available": self.available,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "location_id": self.location_id,
            "location_name": self.location_name,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
            "sourced_from": list(self.sourced_from),
            "charge": {"amount": self.charge.amount, "currency": self.charge.currency},
            "reason": self.reason,
        }


@dataclass(frozen=True)
class DeliveryPromise:
    cart_id: str
    computed_at: datetime
    destination: tuple[float, float]
    options: tuple[DeliveryOption, ...]


class _Inputs:
    """Everything read once for one promise: pool places, candidates, opening periods."""

    def __init__(
        self,
        session: AsyncSession,
        view: carts_api.CartView,
        places: dict[str, locations_api.LocationInfo],
        candidates: tuple[sourcing_api.Candidate, ...],
        profile: sourcing_api.SourcingProfile,
        point: tuple[float, float],
        now: datetime,
    ) -> None:
        self.session = session
        self.view = view
        self.places = places
        self.candidates = candidates
        self.profile = profile
        self.point = point
        self.now = now
        self.lines = tuple(
            sourcing_api.OrderLine(line.id, line.variant_id, line.quantity) for line in view.lines
        )
        self._periods: dict[str, list[rules.Period]] = {}

    def charge(self, method: FulfilmentMethod) -> Money:
        return Money(SHIPPING_CHARGES[method], self.view.cart.currency)

    def distance(self, place: locations_api.LocationInfo) -> float:
        return locations_api.haversine_km(self.point[0], self.point[1], place.lat, place.lon)

    def decide(
        self, method: FulfilmentMethod, destination: sourcing_api.Destination
    ) -> sourcing_api.Decision:
        return sourcing_api.decide(
            sourcing_api.SourcingRequest(
                self.lines, method.value, destination, self.candidates, self.profile
            )
        )

    async def periods(self, location_id: str) -> list[rules.Period]:
        """The location's opening periods from now to the horizon, read through the
        locations API (the current period, if open, starts now)."""
        if location_id not in self._periods:
            self._periods[location_id] = await _opening_periods(self.session, location_id, self.now)
        return self._periods[location_id]


async def _opening_periods(
    session: AsyncSession, location_id: str, now: datetime
) -> list[rules.Period]:
    horizon = now + timedelta(days=rules.HORIZON_DAYS)
    periods: list[rules.Period] = []
    at = now
    while at < horizon and len(periods) < _MAX_PERIODS:
        state = await locations_api.location_open_state(session, location_id, at)
        if state is None:
            break
        if state.is_open:
            periods.append((at, state.closes_at or horizon))
            if state.closes_at is None:
                break  # open beyond the horizon (24/7)
        if state.next_opening is None:
            break
        at = state.next_opening
    return periods


async def delivery_promise(
    session: AsyncSession,
    view: carts_api.CartView,
    point: tuple[float, float],
    now: datetime,
) -> DeliveryPromise:
    """Every option of the cart's channel for delivery to (or collection near) ``point``."""
    if not view.lines:
        raise InvalidInput("The cart is empty.", field="cart_id")
    if not view.purchasable:
        raise InvalidInput("Every line needs a price on this channel.", field="cart_id")
    channel = await channels_api.get_channel(session, view.cart.channel_id)
    if channel is None or not channel.active:
        raise InvalidInput("The cart's channel is not active.", field="cart_id")
    wanted = sorted({line.variant_id for line in view.lines})
    stock = await inventory_api.availability_for_channel(session, channel.id, wanted)
    pool = await locations_api.get_locations(session, [e.location_id for e in channel.pool])
    places = {pid: p for pid, p in pool.items() if p.kind in ("store", "warehouse")}
    # The same profile and capacity as checkout, so the promise names the store it will.
    used = await capacity_use(session, list(places.values()), now)
    candidates = tuple(
        sourcing_api.Candidate(
            location_id=place.id,
            kind=place.kind,
            lat=place.lat,
            lon=place.lon,
            capabilities=place.capabilities,
            available={v: stock[v].by_location.get(place.id, 0) for v in wanted},
            remaining_capacity=used[place.id].remaining if place.id in used else None,
            exclusion=None if place.status == "active" else f"location {place.status}",
        )
        for place in places.values()
    )
    profile = await sourcing_api.profile_for_channel(session, channel.id)
    inputs = _Inputs(session, view, places, candidates, profile, point, now)
    options: list[DeliveryOption] = []
    for method in PROMISED_METHODS:
        if method.value not in channel.fulfillment_methods:
            continue
        if method is FulfilmentMethod.SHIP:
            options.append(await _ship(inputs))
        elif method is FulfilmentMethod.SAME_DAY:
            options.append(await _same_day(inputs))
        elif method is FulfilmentMethod.SHIP_TO_STORE:
            options.append(await _ship_to_store(inputs))
        else:
            options += await _at_store(inputs, method)
    return DeliveryPromise(view.cart.id, now, point, tuple(options))


def _zone(place: locations_api.LocationInfo) -> ZoneInfo:
    return ZoneInfo(place.time_zone)


def _latest(promises: Sequence[rules.Promise]) -> rules.Promise:
    """The whole order is there when its last part is (or the first reason it is not)."""
    for promise in promises:
        if promise.at is None:
            return promise
    return rules.Promise(max(p.at for p in promises if p.at is not None))


def _refusal_reason(inputs: _Inputs, method: FulfilmentMethod, radius: float | None) -> str:
    """Why sourcing found nothing: nobody can do this method, nobody near enough, or stock."""
    capability = {
        FulfilmentMethod.SAME_DAY: "same_day_delivery",
        FulfilmentMethod.SHIP: "ship_from_store",
        FulfilmentMethod.SHIP_TO_STORE: "ship_from_store",
    }[method]
    able = [
        place
        for place in inputs.places.values()
        if place.status == "active"
        and (
            capability in place.capabilities
            or (place.kind == "warehouse" and method is not FulfilmentMethod.SAME_DAY)
        )
    ]
    if method is FulfilmentMethod.SAME_DAY:
        able = [p for p in able if p.kind == "store"]
    if not able:
        return rules.NO_CAPABILITY
    if radius is not None and all(inputs.distance(p) > radius for p in able):
        return rules.OUT_OF_RANGE
    return rules.NO_STOCK


async def _ship(inputs: _Inputs) -> DeliveryOption:
    method = FulfilmentMethod.SHIP
    decision = inputs.decide(method, sourcing_api.Destination(*inputs.point))
    if decision.status != "sourced":
        reason = _refusal_reason(inputs, method, None)
        return DeliveryOption(method, False, inputs.charge(method), reason=reason)
    promises = []
    for allocation in decision.allocations:
        place = inputs.places[allocation.location_id]
        periods = await inputs.periods(place.id)
        promises.append(
            rules.ship_delivery(
                inputs.now, _zone(place), place.kind, periods, inputs.distance(place)
            )
        )
    promise = _latest(promises)
    return DeliveryOption(
        method,
        promise.at is not None,
        inputs.charge(method),
        earliest=promise.at,
        sourced_from=decision.location_ids,
        reason=promise.reason,
    )


async def _same_day(inputs: _Inputs) -> DeliveryOption:
    method = FulfilmentMethod.SAME_DAY
    decision = inputs.decide(method, sourcing_api.Destination(*inputs.point))
    radius = decision.profile.same_day_radius_km
    if decision.status != "sourced":
        reason = _refusal_reason(inputs, method, radius)
        return DeliveryOption(method, False, inputs.charge(method), reason=reason)
    promises = []
    for allocation in decision.allocations:
        place = inputs.places[allocation.location_id]
        promises.append(
            rules.same_day_delivery(
                inputs.now,
                _zone(place),
                place.kind,
                place.capabilities,
                await inputs.periods(place.id),
                inputs.distance(place),
                radius,
            )
        )
    promise = _latest(promises)
    first = inputs.places[decision.location_ids[0]]
    return DeliveryOption(
        method,
        promise.at is not None,
        inputs.charge(method),
        earliest=promise.at,
        location_id=first.id,
        location_name=first.name,
        distance_km=inputs.distance(first),
        sourced_from=decision.location_ids,
        reason=promise.reason,
    )


def _nearby_stores(inputs: _Inputs, capability: str) -> list[locations_api.LocationInfo]:
    """Active pool stores offering ``capability`` within the pickup radius, nearest first."""
    near = [
        place
        for place in inputs.places.values()
        if place.kind == "store"
        and place.status == "active"
        and capability in place.capabilities
        and inputs.distance(place) <= rules.PICKUP_RADIUS_KM
    ]
    return sorted(near, key=lambda place: (inputs.distance(place), place.id))


async def _at_store(inputs: _Inputs, method: FulfilmentMethod) -> list[DeliveryOption]:
    """Pickup or curbside: every nearby store that holds all the lines (up to
    ``MAX_PICKUP_STORES``); if none can, one unavailable option saying why."""
    stores = _nearby_stores(inputs, method.value)
    if not stores:
        return [DeliveryOption(method, False, inputs.charge(method), reason=rules.NO_STORE_NEARBY)]
    offered: list[DeliveryOption] = []
    first_refusal: DeliveryOption | None = None
    for store in stores:
        decision = inputs.decide(method, sourcing_api.Destination(store.lat, store.lon, store.id))
        promise = (
            rules.store_ready_at(inputs.now, await inputs.periods(store.id))
            if decision.status == "sourced"
            else rules.Promise.refused(rules.NO_STOCK)
        )
        option = DeliveryOption(
            method,
            promise.at is not None,
            inputs.charge(method),
            earliest=promise.at,
            location_id=store.id,
            location_name=store.name,
            distance_km=inputs.distance(store),
            sourced_from=decision.location_ids if promise.at else (),
            reason=promise.reason,
        )
        if option.available:
            offered.append(option)
            if len(offered) == rules.MAX_PICKUP_STORES:
                break
        elif first_refusal is None:
            first_refusal = option
    if offered:
        return offered
    assert first_refusal is not None
    return [first_refusal]


async def _ship_to_store(inputs: _Inputs) -> DeliveryOption:
    method = FulfilmentMethod.SHIP_TO_STORE
    near = await locations_api.locations_near(
        inputs.session,
        inputs.point[0],
        inputs.point[1],
        rules.PICKUP_RADIUS_KM,
        capability="receive_transfers",
        kinds=("store",),
        limit=1,
    )
    if not near:
        return DeliveryOption(method, False, inputs.charge(method), reason=rules.NO_STORE_NEARBY)
    store = near[0].location
    common: dict[str, Any] = {
        "location_id": store.id,
        "location_name": store.name,
        "distance_km": near[0].distance_km,
    }
    decision = inputs.decide(method, sourcing_api.Destination(store.lat, store.lon, store.id))
    if decision.status != "sourced":
        reason = _refusal_reason(inputs, method, None)
        return DeliveryOption(method, False, inputs.charge(method), reason=reason, **common)
    store_periods = await _opening_periods(inputs.session, store.id, inputs.now)
    promises = []
    for allocation in decision.allocations:
        if allocation.location_id == store.id:
            promises.append(rules.store_ready_at(inputs.now, store_periods))
            continue
        source = inputs.places[allocation.location_id]
        promises.append(
            rules.transfer_ready_at(
                inputs.now,
                _zone(source),
                source.kind,
                await inputs.periods(source.id),
                _zone(store),
                store_periods,
                locations_api.haversine_km(source.lat, source.lon, store.lat, store.lon),
            )
        )
    promise = _latest(promises)
    return DeliveryOption(
        method,
        promise.at is not None,
        inputs.charge(method),
        earliest=promise.at,
        sourced_from=decision.location_ids,
        reason=promise.reason,
        **common,
    )
