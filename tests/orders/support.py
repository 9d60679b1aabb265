"""Orders placed straight through ``placement.place_order`` with a hand-made draft, for
tests of what happens after placement (reads, access, status moves, cancellation)."""

from __future__ import annotations

from omni.db.database import Database
from omni.orders.domain import FulfilmentMethod, OrderStatus
from omni.orders.drafts import DraftGroup, DraftLine, OrderDraft
from omni.orders.placement import Placed, place_order
from tests.carts.support import PRICES, Shop

ORDERS = "/api/v1/orders"


def simple_draft(
    shop: Shop,
    quantities: list[int],
    *,
    customer_id: str | None = None,
    method: FulfilmentMethod = FulfilmentMethod.SHIP,
) -> OrderDraft:
    lines = tuple(
        DraftLine(
            variant_id=shop.variants[i],
            sku=f"SKU-{i}",
            title=f"Item {i}",
            quantity=quantity,
            unit_price=PRICES[i],
            discount=0,
            tax=0,
            tax_rate=None,
            promotions=(),
            group=0,
        )
        for i, quantity in enumerate(quantities)
        if quantity
    )
    return OrderDraft(
        channel_id=shop.channel_id,
        channel_kind="web",
        currency="USD",
        prices_include_tax=False,
        lines=lines,
        groups=(DraftGroup(method, shop.store_id, shipping_amount=500),),
        contact={"email": "shopper@example.com"},
        customer_id=customer_id,
    )


async def place(
    database: Database, draft: OrderDraft, status: OrderStatus = OrderStatus.PLACED
) -> Placed:
    return await place_order(database.uow(), draft, status=status)
