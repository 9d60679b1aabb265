"""Small builders for inventory tests: fresh ids, stock in place, level snapshots."""

from __future__ import annotations

from sqlalchemy import func, select

from omni.db.database import Database
from omni.inventory import stock
from omni.inventory.domain import MovementKind
from omni.inventory.models import Reservation, StockLevel, StockMovement
from omni.inventory.queries import ledger_mismatches
from omni.kernel.ids import new_id


def fresh() -> tuple[str, str]:
    return new_id("var"), new_id("loc")


async def receive(db: Database, variant_id: str, location_id: str, quantity: int) -> None:
    async with db.uow() as uow:
        await stock.apply_changes(
            uow, [stock.StockChange(variant_id, location_id, MovementKind.RECEIPT, quantity)]
        )
        await uow.commit()


async def snapshot(db: Database, variant_id: str) -> dict:
    """Everything the inventory holds about one variant: levels, movements, reservations."""
    async with db.reader() as session:
        levels = {
            row.location_id: (
                row.on_hand,
                row.reserved,
                row.incoming,
                row.unsellable,
                row.safety_stock,
            )
            for row in await session.scalars(
                select(StockLevel).where(StockLevel.variant_id == variant_id)
            )
        }
        movements = await session.scalar(
            select(func.count())
            .select_from(StockMovement)
            .where(StockMovement.variant_id == variant_id)
        )
        reservations = {
            (r.id, r.status, r.quantity)
            for r in await session.scalars(
                select(Reservation).where(Reservation.variant_id == variant_id)
            )
        }
    return {"levels": levels, "movements": movements, "reservations": reservations}


async def assert_ledger_balanced(db: Database) -> None:
    async with db.reader() as session:
        assert await ledger_mismatches(session) == []
