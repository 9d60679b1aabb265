"""Read side of orders: one order with its groups, lines and history; lists. Never locks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.orders.models import FulfilmentGroup, Order, OrderLine, OrderStatusChange


@dataclass(frozen=True)
class OrderView:
    order: Order
    groups: list[FulfilmentGroup]
    lines: list[OrderLine]
    history: list[OrderStatusChange]

    @property
    def location_ids(self) -> set[str]:
        """Where it was sold or is fulfilled: the stores whose staff may see it."""
        places = {group.location_id for group in self.groups}
        if self.order.selling_location_id:
            places.add(self.order.selling_location_id)
        return places


async def get_order(session: AsyncSession, order_id: str) -> OrderView | None:
    order = await session.get(Order, order_id)
    if order is None:
        return None
    groups = await session.scalars(
        select(FulfilmentGroup).where(FulfilmentGroup.order_id == order_id)
    )
    lines = await session.scalars(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.position)
    )
    history = await session.scalars(
        select(OrderStatusChange)
        .where(OrderStatusChange.order_id == order_id)
        .order_by(OrderStatusChange.at, OrderStatusChange.id)
    )
    return OrderView(order, list(groups), list(lines), list(history))


@dataclass(frozen=True)
class OrderFilter:
    customer_id: str | None = None
    channel_id: str | None = None
    status: str | None = None
    location_ids: frozenset[str] | None = None  # sold or fulfilled at one of these
    placed_from: datetime | None = None
    placed_to: datetime | None = None


async def list_orders(
    session: AsyncSession, where: OrderFilter, *, before: str | None, limit: int
) -> list[Order]:
    """Newest first (ids sort by time); ``before`` is the last id of the previous page."""
    query = select(Order).order_by(Order.id.desc()).limit(limit)
    if where.customer_id is not None:
        query = query.where(Order.customer_id == where.customer_id)
    if where.channel_id is not None:
        query = query.where(Order.channel_id == where.channel_id)
    if where.status is not None:
        query = query.where(Order.status == where.status)
    if where.placed_from is not None:
        query = query.where(Order.placed_at >= where.placed_from)
    if where.placed_to is not None:
        query = query.where(Order.placed_at < where.placed_to)
    if where.location_ids is not None:
        places = sorted(where.location_ids)
        fulfilled_there = select(FulfilmentGroup.order_id).where(
            FulfilmentGroup.location_id.in_(places)
        )
        query = query.where(
            or_(Order.selling_location_id.in_(places), Order.id.in_(fulfilled_there))
        )
    if before is not None:
        query = query.where(Order.id < before)
    return list(await session.scalars(query))
