"""Till receipt numbers (ORD3): one counter row per till, never one for the company.

A store's tills each count their own receipts, so sales at different tills — and at
different stores — never wait on one another's counter; a till rings one sale at a time,
so its own row is never contended. The counter is taken inside the sale's unit of work:
a sale that rolls back gives its number back (no gaps from failed sales).
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base
from omni.db.uow import UnitOfWork
from omni.orders.domain import receipt_number


class TillCounter(Base):
    __tablename__ = "order_till_counters"

    location_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    register_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_receipt: Mapped[int] = mapped_column(Integer, default=0)


async def next_receipt_number(
    uow: UnitOfWork, location_id: str, location_code: str, register_id: str
) -> str:
    """The till's next receipt number (``SOHO-T1-000042``), in one upsert."""
    dialect = uow.session.get_bind().dialect.name
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = make_insert(TillCounter).values(
        location_id=location_id, register_id=register_id, last_receipt=1
    )
    sequence = await uow.session.scalar(
        statement.on_conflict_do_update(
            index_elements=["location_id", "register_id"],
            set_={"last_receipt": TillCounter.last_receipt + 1},
        ).returning(TillCounter.last_receipt)
    )
    assert sequence is not None
    return receipt_number(location_code, register_id, int(sequence))
