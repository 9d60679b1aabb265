"""HTTP endpoint: POST /carts/{cart_id}/delivery-options (ORD7) — for a cart and a
destination, each fulfilment option with its earliest pickup or delivery time.

Reads only. Who may ask is who may check the cart out: its shopper, a guest with the
cart token, staff serving the customer; anyone else gets 404.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

from fastapi import Header
from pydantic import BaseModel, Field, model_validator

from omni.carts import api as carts_api
from omni.http.deps import Access, DbDep
from omni.http.router import new_router
from omni.http.schemas import StrictModel
from omni.kernel.actor import Actor
from omni.orders.checkout_schemas import AddressIn
from omni.orders.promise import delivery_promise
from omni.orders.shipping import Address, point_of

router = new_router("/carts", ["delivery promise"])


class DeliveryOptionsIn(StrictModel):
    """Where to: a shipping address (placed by its coordinates or its US ZIP code), or a
    bare point (latitude and longitude) for "near me"."""

    address: AddressIn | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _one_destination(self) -> DeliveryOptionsIn:
        point = self.latitude is not None and self.longitude is not None
        if self.address is None and not point:
            raise ValueError("give an address, or a latitude and a longitude")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude")
        return self


class ChargeOut(BaseModel):
    amount: int
    currency: str


class DeliveryOptionOut(BaseModel):
    method: str
    available: bool
    earliest: datetime | None
    location_id: str | None
    location_name: str | None
    distance_km: float | None
    sourced_from: list[str]
    charge: ChargeOut
    reason: str | None = Field(
        description="Why not offered: no_stock, no_capability, no_store_nearby, "
        "out_of_range, past_cutoff, closed"
    )


class DeliveryOptionsOut(BaseModel):
    cart_id: str
    computed_at: datetime
    latitude: float
    longitude: float
    options: list[DeliveryOptionOut]


@router.post(
    "/{cart_id}/delivery-options",
    summary="Delivery promise: each fulfilment option with its earliest date and time",
)
async def delivery_options(
    cart_id: str,
    body: DeliveryOptionsIn,
    db: DbDep,
    cart_token: Annotated[str | None, Header(alias="X-Cart-Token", max_length=100)] = None,
    actor: Actor = Access(public=True),
) -> DeliveryOptionsOut:
    if body.latitude is not None and body.longitude is not None:
        point = (body.latitude, body.longitude)
    else:
        assert body.address is not None
        address = Address(**body.address.model_dump())
        # The ZIP table loads from disk on first use: keep that off the event loop.
        point = await asyncio.to_thread(point_of, address)
    at = db.clock.now()
    async with db.reader() as session:
        view = await carts_api.cart_for_checkout(session, cart_id, actor, cart_token, at)
        promise = await delivery_promise(session, view, point, at)
    return DeliveryOptionsOut(
        cart_id=promise.cart_id,
        computed_at=promise.computed_at,
        latitude=point[0],
        longitude=point[1],
        options=[DeliveryOptionOut(**option.as_dict()) for option in promise.options],
    )
