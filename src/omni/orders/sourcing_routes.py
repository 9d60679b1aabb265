"""HTTP endpoints: "why this store?" (ORD4) and how much order capacity locations use.

``GET /orders/{id}/sourcing`` returns the sourcing decision stored with the order's
fulfilment groups: every candidate considered, its outcome and why it won or lost, the
winner(s) and the profile used. Access is that of the order itself (its shopper; staff
with ``orders.read``, store staff for their stores; anyone else 404).

``GET /sourcing/capacity`` lives here because the orders module owns the fulfilment
groups counted against a location's ``orders_per_day`` / ``orders_per_hour``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel

from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound
from omni.locations import api as locations_api
from omni.orders import access
from omni.orders.capacity import CapacityUse, capacity_use, window_at
from omni.orders.queries import OrderView, get_order

router = new_router("/orders", ["orders", "sourcing"])
capacity_router = new_router("/sourcing", ["sourcing"])


class GroupSourcingOut(BaseModel):
    group_id: str
    location_id: str
    method: str
    status: str
    decision: int | None  # index into ``decisions``; None: not sourced (a till sale)


class OrderSourcingOut(BaseModel):
    """Groups placed by one checkout share one decision: it is listed once."""

    order_id: str
    groups: list[GroupSourcingOut]
    decisions: list[dict[str, Any]]


def _summarised(decision: dict[str, Any], location_id: str | None) -> dict[str, Any]:
    """The stored decision with the answer up front: who won, with which profile. With
    ``location_id``, only that candidate's report ("why not this store?")."""
    candidates = decision.get("candidates", [])
    if location_id is not None:
        candidates = [c for c in candidates if c.get("location_id") == location_id]
    return {
        "profile_name": decision.get("profile", {}).get("name"),
        "winners": [a["location_id"] for a in decision.get("allocations", [])],
        **decision,
        "candidates": candidates,
    }


def explain(view: OrderView, location_id: str | None) -> OrderSourcingOut:
    decisions: list[dict[str, Any]] = []
    groups = []
    for group in sorted(view.groups, key=lambda g: g.id):
        index = None
        if group.sourcing is not None:
            if group.sourcing not in decisions:
                decisions.append(group.sourcing)
            index = decisions.index(group.sourcing)
        groups.append(
            GroupSourcingOut(
                group_id=group.id,
                location_id=group.location_id,
                method=group.method,
                status=group.status,
                decision=index,
            )
        )
    return OrderSourcingOut(
        order_id=view.order.id,
        groups=groups,
        decisions=[_summarised(d, location_id) for d in decisions],
    )


@router.get(
    "/{order_id}/sourcing",
    summary="Why these locations: every candidate considered, and why it won or lost",
)
async def order_sourcing(
    order_id: str,
    session: ReaderDep,
    location_id: Annotated[str | None, Query(max_length=32)] = None,
    actor: Actor = Access(access.READ, customers=True),
) -> OrderSourcingOut:
    view = access.visible(await get_order(session, order_id), actor)
    return explain(view, location_id)


class CapacityOut(BaseModel):
    location_id: str
    time_zone: str
    day: str  # the location's local date the counts are for
    orders_per_day: int | None
    orders_per_hour: int | None
    placed_today: int
    placed_this_hour: int
    remaining_today: int | None
    remaining_this_hour: int | None
    remaining: int | None  # what sourcing sees: the smaller; None = unlimited

    @classmethod
    def of(
        cls, place: locations_api.LocationInfo, use: CapacityUse | None, at: datetime
    ) -> CapacityOut:
        limits = place.capacity
        return cls(
            location_id=place.id,
            time_zone=place.time_zone,
            day=window_at(place.time_zone, at).day.isoformat(),
            orders_per_day=limits.orders_per_day,
            orders_per_hour=limits.orders_per_hour,
            placed_today=0 if use is None else use.placed_today,
            placed_this_hour=0 if use is None else use.placed_this_hour,
            remaining_today=None if use is None else use.remaining_today,
            remaining_this_hour=None if use is None else use.remaining_this_hour,
            remaining=None if use is None else use.remaining,
        )


@capacity_router.get(
    "/capacity",
    summary="Orders the locations took today and this hour, against their capacity",
)
async def location_capacity(
    db: DbDep,
    session: ReaderDep,
    location_id: Annotated[list[str], Query(min_length=1, max_length=100)],
    actor: Actor = Access("sourcing.read"),
) -> list[CapacityOut]:
    places = await locations_api.get_locations(session, location_id)
    unknown = sorted(set(location_id) - set(places))
    if unknown:
        raise NotFound(f"No such location: {', '.join(unknown)}.", unknown=unknown)
    now = db.clock.now()
    used = await capacity_use(session, places.values(), now)
    return [CapacityOut.of(places[i], used.get(i), now) for i in dict.fromkeys(location_id)]
