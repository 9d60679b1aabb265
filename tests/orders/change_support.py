"""Orders checked out through the API, ready to be changed (ORD6 tests): a shop with New
York taxes, a checkout helper, the change call, and stock/ledger/payment snapshots."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from omni.db.database import Database
from omni.inventory.models import StockLevel, StockMovement
from omni.orders.change_models import OrderChange
from omni.payments.models import PaymentOperation, PaymentRow
from tests.carts.support import CARTS, Shop, add
from tests.orders.checkout_support import CHECKOUT, checkout_body, filled_guest_cart, key
from tests.orders.support import ORDERS


async def checkout(
    client: httpx.AsyncClient,
    shop: Shop,
    quantities: list[int],
    *,
    shopper: dict[str, str] | None = None,
    **fields: Any,
) -> str:
    """Check out a cart of ``quantities`` (a guest's, or ``shopper``'s own); the order id."""
    if shopper is None:
        cart_id, headers = await filled_guest_cart(client, shop, quantities)
    else:
        cart_id, headers = await _shopper_cart(client, shop, shopper, quantities)
    response = await client.post(
        CHECKOUT, json=checkout_body(cart_id, **fields), headers=headers | key()
    )
    assert response.status_code == 201, response.text
    order_id: str = response.json()["order_id"]
    return order_id


async def _shopper_cart(
    client: httpx.AsyncClient, shop: Shop, shopper: dict[str, str], quantities: list[int]
) -> tuple[str, dict[str, str]]:
    created = await client.post(CARTS, json={"channel_id": shop.channel_id}, headers=shopper)
    assert created.status_code == 201, created.text
    cart_id: str = created.json()["id"]
    for index, quantity in enumerate(quantities):
        if quantity:
            response = await add(client, cart_id, shopper, shop.variants[index], quantity)
            assert response.status_code == 200, response.text
    return cart_id, shopper


async def change(
    client: httpx.AsyncClient,
    order_id: str,
    body: dict[str, Any],
    headers: dict[str, str],
    *,
    idempotency: dict[str, str] | None = None,
) -> httpx.Response:
    return await client.post(
        f"{ORDERS}/{order_id}/changes", json=body, headers=headers | (idempotency or key())
    )


async def read_order(
    client: httpx.AsyncClient, order_id: str, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.get(f"{ORDERS}/{order_id}", headers=headers)
    assert response.status_code == 200, response.text
    order: dict[str, Any] = response.json()
    return order


def lines(**quantities: int) -> dict[str, Any]:
    return {"lines": [{"line_id": line_id, "quantity": q} for line_id, q in quantities.items()]}


async def ledger_matches_levels(db: Database, *variant_ids: str) -> bool:
    """Every level equals the sum of its movements (on hand and reserved)."""
    async with db.reader() as session:
        sums = {
            row.stock_level_id: (row.on_hand, row.reserved)
            for row in await session.execute(
                select(
                    StockMovement.stock_level_id,
                    func.sum(StockMovement.on_hand_delta).label("on_hand"),
                    func.sum(StockMovement.reserved_delta).label("reserved"),
                )
                .where(StockMovement.variant_id.in_(variant_ids))
                .group_by(StockMovement.stock_level_id)
            )
        }
        levels = {
            level.id: (level.on_hand, level.reserved)
            for level in await session.scalars(
                select(StockLevel).where(StockLevel.variant_id.in_(variant_ids))
            )
        }
    return all(sums.get(level_id) == values for level_id, values in levels.items())


async def payments(db: Database, order_id: str) -> list[PaymentRow]:
    async with db.reader() as session:
        rows = await session.scalars(
            select(PaymentRow).where(PaymentRow.order_id == order_id).order_by(PaymentRow.id)
        )
        return list(rows)


async def refunds(db: Database, order_id: str) -> list[tuple[int | None, str]]:
    async with db.reader() as session:
        rows = await session.execute(
            select(PaymentOperation.amount, PaymentOperation.status)
            .join(PaymentRow, PaymentRow.id == PaymentOperation.payment_id)
            .where(PaymentRow.order_id == order_id, PaymentOperation.kind == "refund")
        )
        return [(amount, status) for amount, status in rows]


async def change_count(db: Database, order_id: str) -> int:
    async with db.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(OrderChange).where(OrderChange.order_id == order_id)
        )
    return int(count or 0)
