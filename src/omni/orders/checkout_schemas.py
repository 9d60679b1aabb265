"""Request and response bodies of checkout. Nothing about money is accepted from the
client but how it pays: totals, prices, discounts and taxes are the server's (any such
field is refused as unknown, 422)."""

from __future__ import annotations

from pydantic import BaseModel, EmailStr, Field

from omni.http.schemas import StrictModel
from omni.orders.basket import Fulfilment
from omni.orders.checkout import CartCheckout, TenderRequest
from omni.orders.domain import FulfilmentMethod
from omni.orders.shipping import Address


class AddressIn(StrictModel):
    name: str | None = Field(default=None, max_length=200)
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str = Field(min_length=1, max_length=20)
    country: str = Field(min_length=2, max_length=2, pattern="^[A-Z]{2}$")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class ContactIn(StrictModel):
    email: EmailStr
    phone: str | None = Field(default=None, max_length=30)
    name: str | None = Field(default=None, max_length=200)


class TenderIn(StrictModel):
    kind: str = Field(min_length=1, max_length=20, examples=["card_online"])
    amount: int | None = Field(default=None, ge=1, description="Minor units; omit: the rest")
    reference: str | None = Field(
        default=None, max_length=200, description="The provider's card token, never a number"
    )
    tendered: int | None = Field(default=None, ge=1, description="Cash handed over")


class CheckoutIn(StrictModel):
    cart_id: str = Field(min_length=1, max_length=32)
    method: FulfilmentMethod
    location_id: str | None = Field(default=None, max_length=32, description="The store")
    shipping_address: AddressIn | None = None
    contact: ContactIn
    payment: list[TenderIn] = Field(min_length=1, max_length=10)
    coupon_codes: list[str] = Field(default_factory=list, max_length=10)
    selling_location_id: str | None = Field(
        default=None, max_length=32, description="Staff: the store credited with the sale"
    )

    def command(self, guest_token: str | None) -> CartCheckout:
        address = Address(**self.shipping_address.model_dump()) if self.shipping_address else None
        return CartCheckout(
            cart_id=self.cart_id,
            fulfilment=Fulfilment(self.method, self.location_id, address),
            contact=self.contact.model_dump(exclude_none=True),
            tenders=tuple(TenderRequest(**t.model_dump()) for t in self.payment),
            coupon_codes=tuple(self.coupon_codes),
            guest_token=guest_token,
            selling_location_id=self.selling_location_id,
        )


class CheckoutOut(BaseModel):
    order_id: str
    number: str
    status: str
    next_action_url: str | None = None  # 3-D Secure
    payment_link_url: str | None = None  # a social or phone order: where the shopper pays
