"""What other parts of Omni (the web apps) may call in the orders module: check a cart
out, ask for its delivery promise, read a shopper's orders. The same use cases the REST
routes call, so a page and an API client follow the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.kernel.actor import Actor
from omni.orders import access
from omni.orders.basket import Fulfilment
from omni.orders.checkout import (
    CartCheckout,
    CheckoutResult,
    PaymentDeclined,
    TenderRequest,
    checkout_cart,
)
from omni.orders.domain import FulfilmentMethod, OrderStatus
from omni.orders.models import Order
from omni.orders.promise import DeliveryOption, DeliveryPromise, delivery_promise
from omni.orders.queries import OrderFilter, OrderView, get_order, list_orders
from omni.orders.shipping import Address, point_of

__all__ = [
    "Address",
    "CartCheckout",
    "CheckoutResult",
    "DeliveryOption",
    "DeliveryPromise",
    "Fulfilment",
    "FulfilmentMethod",
    "OrderLineSummary",
    "OrderStatus",
    "OrderSummary",
    "PaymentDeclined",
    "TenderRequest",
    "checkout_cart",
    "customer_of_order",
    "delivery_promise",
    "orders_of_customer",
    "point_of",
    "visible_order",
]


@dataclass(frozen=True)
class OrderLineSummary:
    sku: str
    title: str
    quantity: int
    unit_price: int


@dataclass(frozen=True)
class OrderSummary:
    id: str
    number: str
    status: str
    channel_kind: str
    placed_at: datetime
    total: int
    currency: str
    methods: tuple[str, ...]
    lines: tuple[OrderLineSummary, ...] = ()


def _summary(
    order: Order, methods: tuple[str, ...] = (), lines: tuple[OrderLineSummary, ...] = ()
) -> OrderSummary:
    return OrderSummary(
        id=order.id,
        number=order.number,
        status=order.status,
        channel_kind=order.channel_kind,
        placed_at=order.placed_at,
        total=order.total,
        currency=order.currency,
        methods=methods,
        lines=lines,
    )


def _detailed(view: OrderView) -> OrderSummary:
    return _summary(
        view.order,
        tuple(sorted({group.method for group in view.groups})),
        tuple(
            OrderLineSummary(line.sku, line.title, line.quantity, line.unit_price)
            for line in view.lines
        ),
    )


async def visible_order(session: AsyncSession, order_id: str, actor: Actor) -> OrderSummary:
    """The order with its lines if ``actor`` may see it (its shopper, or staff allowed
    to); ``NotFound`` otherwise, exactly as for an order that does not exist."""
    return _detailed(access.visible(await get_order(session, order_id), actor))


async def orders_of_customer(
    session: AsyncSession, customer_id: str, *, limit: int = 20
) -> list[OrderSummary]:
    """The customer's newest orders from every channel (web, app, store, phone…), without
    their lines: for an account page."""
    orders = await list_orders(
        session, OrderFilter(customer_id=customer_id), before=None, limit=limit
    )
    return [_summary(order) for order in orders]


async def customer_of_order(session: AsyncSession, order_id: str) -> str | None:
    """The customer an order belongs to; None for a guest's order or no such order.
    Read in the caller's session, so an order written earlier in the same unit of work
    (checkout, a till sale) is seen before it commits: the stored-value tenders check
    with it that only the order's customer spends their store credit or points."""
    return await session.scalar(select(Order.customer_id).where(Order.id == order_id))
