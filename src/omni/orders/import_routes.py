"""HTTP endpoint: POST /orders/imports — a marketplace order, imported once (ORD2).

For marketplace connectors (API clients with ``orders.write``) and staff. Requires an
Idempotency-Key like every order-making POST; beyond that the marketplace's own order id
makes the import idempotent: the first import answers 201, any later one 200 with the
same order. Items and quantities only: prices, taxes and totals are the server's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Request, Response
from pydantic import BaseModel, EmailStr, Field

from omni.http.deps import Access, DbDep
from omni.http.idempotency import IDEMPOTENCY_REQUIRED
from omni.http.router import new_router
from omni.http.schemas import StrictModel
from omni.kernel.actor import Actor
from omni.orders import access
from omni.orders.basket import Fulfilment
from omni.orders.checkout_schemas import AddressIn
from omni.orders.domain import FulfilmentMethod
from omni.orders.imports import MarketplaceOrder, import_order
from omni.orders.pos_schemas import ItemIn
from omni.orders.shipping import Address
from omni.payments import api as payments_api

router = payments_api.guard_router(new_router("/orders", ["marketplace imports"]))


class BuyerIn(StrictModel):
    email: EmailStr | None = None  # often a marketplace relay address
    phone: str | None = Field(default=None, max_length=30)
    name: str | None = Field(default=None, max_length=200)


class MarketplaceOrderIn(StrictModel):
    channel_id: str = Field(min_length=1, max_length=32)
    external_id: str = Field(min_length=1, max_length=100, description="The marketplace's id")
    items: list[ItemIn] = Field(min_length=1, max_length=100)
    method: FulfilmentMethod = FulfilmentMethod.SHIP
    location_id: str | None = Field(default=None, max_length=32, description="Pickup store")
    shipping_address: AddressIn | None = None
    buyer: BuyerIn | None = None
    note: str | None = Field(default=None, max_length=2000)

    def command(self) -> MarketplaceOrder:
        address = Address(**self.shipping_address.model_dump()) if self.shipping_address else None
        return MarketplaceOrder(
            channel_id=self.channel_id,
            external_id=self.external_id.strip(),
            items=tuple(item.command() for item in self.items),
            fulfilment=Fulfilment(self.method, self.location_id, address),
            contact=self.buyer.model_dump(exclude_none=True) if self.buyer else {},
            note=self.note,
        )


class ImportedOut(BaseModel):
    order_id: str
    number: str
    status: str
    created: bool


@router.post(
    "/imports",
    summary="Import a marketplace order (idempotent on the marketplace's order id)",
    status_code=201,
    openapi_extra=IDEMPOTENCY_REQUIRED,
    responses={200: {"description": "Imported before: the same order"}},
)
async def import_marketplace_order(
    body: MarketplaceOrderIn,
    db: DbDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=200)],
    actor: Actor = Access(access.WRITE),
) -> ImportedOut:
    provider = payments_api.app_provider(request.app.state)
    imported = await import_order(db, provider, actor, body.command())
    if not imported.created:
        response.status_code = 200
    response.headers["Location"] = f"/api/v1/orders/{imported.order_id}"
    return ImportedOut(**imported.__dict__)
