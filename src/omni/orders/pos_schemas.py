"""Bodies of a till sale. Like every order, nothing about money is accepted but how the
shopper pays: prices, discounts, taxes and totals are the server's (unknown fields: 422)."""

from __future__ import annotations

from pydantic import BaseModel, EmailStr, Field

from omni.http.schemas import StrictModel
from omni.orders.checkout import TenderRequest
from omni.orders.checkout_schemas import TenderIn
from omni.orders.items import MAX_QUANTITY, ItemRequest
from omni.orders.pos import TillReceipt, TillSale


class ItemIn(StrictModel):
    """One item, named by exactly one of its variant id, SKU or scanned barcode."""

    variant_id: str | None = Field(default=None, max_length=32)
    sku: str | None = Field(default=None, max_length=64)
    gtin: str | None = Field(default=None, pattern=r"^\d{8,14}$")
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY)

    def command(self) -> ItemRequest:
        return ItemRequest(self.quantity, self.variant_id, self.sku, self.gtin)


class TillContactIn(StrictModel):
    email: EmailStr | None = None  # for the e-receipt
    phone: str | None = Field(default=None, max_length=30)
    name: str | None = Field(default=None, max_length=200)


class TillSaleIn(StrictModel):
    register_session_id: str = Field(min_length=1, max_length=32)
    items: list[ItemIn] = Field(default_factory=list, max_length=200)
    cart_id: str | None = Field(default=None, max_length=32, description="Or: a shopper's cart")
    customer_id: str | None = Field(default=None, max_length=32)
    coupon_codes: list[str] = Field(default_factory=list, max_length=10)
    contact: TillContactIn | None = None
    payment: list[TenderIn] = Field(min_length=1, max_length=10)

    def command(self) -> TillSale:
        return TillSale(
            register_session_id=self.register_session_id,
            tenders=tuple(TenderRequest(**t.model_dump()) for t in self.payment),
            items=tuple(item.command() for item in self.items),
            cart_id=self.cart_id,
            customer_id=self.customer_id,
            coupon_codes=tuple(self.coupon_codes),
            contact=self.contact.model_dump(exclude_none=True) if self.contact else {},
        )


class TillReceiptOut(BaseModel):
    order_id: str
    number: str
    currency: str
    total: int
    change: int

    @classmethod
    def of(cls, receipt: TillReceipt) -> TillReceiptOut:
        return cls(
            order_id=receipt.order_id,
            number=receipt.number,
            currency=receipt.total.currency,
            total=receipt.total.amount,
            change=receipt.change.amount,
        )
