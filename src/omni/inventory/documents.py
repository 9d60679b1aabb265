"""Tables of the stock documents (INV7, INV8): transfers, purchase orders and their
advance shipping notices, receipts, cycle counts.

Documents say *why* stock moved; only the ledger (``ledger.py``) moves it. Every stock
change a document causes is a movement whose ``source_type``/``source_id`` name the
document, so its story is one ledger query. Line quantities are changed by SQL
expressions while the document row is claimed (see ``document_store.claim``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class Transfer(Base):
    """Stock moving between two of our locations; in transit between ship and receipt."""

    __tablename__ = "inventory_transfers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    from_location_id: Mapped[str] = mapped_column(String(32))
    to_location_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    expected_on: Mapped[date | None]
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    shipped_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_inventory_transfers_from", "from_location_id", "status"),
        Index("ix_inventory_transfers_to", "to_location_id", "status"),
    )


class TransferLine(Base):
    __tablename__ = "inventory_transfer_lines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    transfer_id: Mapped[str] = mapped_column(ForeignKey("inventory_transfers.id"))
    variant_id: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)  # shipped
    received: Mapped[int] = mapped_column(Integer, default=0)  # arrived sellable
    damaged: Mapped[int] = mapped_column(Integer, default=0)  # arrived damaged
    short: Mapped[int] = mapped_column(Integer, default=0)  # never arrived: written off

    __table_args__ = (
        UniqueConstraint("transfer_id", "variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("received >= 0 AND damaged >= 0 AND short >= 0", name="not_negative"),
    )


class PurchaseOrder(Base):
    """Goods ordered from a supplier for one location; incoming there once opened."""

    __tablename__ = "inventory_purchase_orders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)  # the ERP's PO number
    supplier_code: Mapped[str] = mapped_column(String(64))
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    location_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    expected_on: Mapped[date | None]
    # How far above the ordered quantity a receipt may go (whole percent).
    tolerance_percent: Mapped[int] = mapped_column(Integer, default=5)
    note: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_inventory_purchase_orders_location", "location_id", "status"),
        CheckConstraint("tolerance_percent BETWEEN 0 AND 100", name="tolerance_range"),
    )


class PurchaseOrderLine(Base):
    __tablename__ = "inventory_purchase_order_lines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    purchase_order_id: Mapped[str] = mapped_column(ForeignKey("inventory_purchase_orders.id"))
    variant_id: Mapped[str] = mapped_column(String(32))
    ordered: Mapped[int] = mapped_column(Integer)
    advised: Mapped[int] = mapped_column(Integer, default=0)  # announced by ASNs
    received: Mapped[int] = mapped_column(Integer, default=0)
    damaged: Mapped[int] = mapped_column(Integer, default=0)
    short: Mapped[int] = mapped_column(Integer, default=0)  # released when closed short

    __table_args__ = (
        UniqueConstraint("purchase_order_id", "variant_id"),
        CheckConstraint("ordered > 0", name="ordered_positive"),
        CheckConstraint(
            "advised >= 0 AND received >= 0 AND damaged >= 0 AND short >= 0", name="not_negative"
        ),
    )


class AdvanceShippingNotice(Base):
    """The supplier's word that goods of a purchase order are on their way, and when."""

    __tablename__ = "inventory_asns"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    purchase_order_id: Mapped[str] = mapped_column(ForeignKey("inventory_purchase_orders.id"))
    number: Mapped[str] = mapped_column(String(64))  # the supplier's ASN / delivery number
    status: Mapped[str] = mapped_column(String(20))  # in_transit | received
    expected_on: Mapped[date | None]
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    received_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("purchase_order_id", "number"),)


class AdvanceShippingNoticeLine(Base):
    __tablename__ = "inventory_asn_lines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    asn_id: Mapped[str] = mapped_column(ForeignKey("inventory_asns.id"))
    variant_id: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("asn_id", "variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class Receipt(Base):
    """One delivery booked in at a location, against a transfer or a purchase order."""

    __tablename__ = "inventory_receipts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    document_type: Mapped[str] = mapped_column(String(20))  # transfer | purchase_order
    document_id: Mapped[str] = mapped_column(String(32))
    location_id: Mapped[str] = mapped_column(String(32))
    asn_id: Mapped[str | None] = mapped_column(String(32))
    final: Mapped[bool] = mapped_column(default=False)  # closed the document
    received_at: Mapped[datetime]  # when the goods arrived (may precede booking)
    recorded_at: Mapped[datetime]
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(2000))

    __table_args__ = (Index("ix_inventory_receipts_document", "document_type", "document_id"),)


class ReceiptLine(Base):
    __tablename__ = "inventory_receipt_lines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("inventory_receipts.id"))
    variant_id: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(Integer)  # arrived sellable
    damaged: Mapped[int] = mapped_column(Integer)  # arrived damaged
    over: Mapped[int] = mapped_column(Integer)  # of these, more than was expected
    short: Mapped[int] = mapped_column(Integer)  # written off when the document closed

    __table_args__ = (
        CheckConstraint(
            "quantity >= 0 AND damaged >= 0 AND over >= 0 AND short >= 0", name="not_negative"
        ),
    )


class Count(Base):
    """A cycle count (or RFID sweep) at one location; posting corrects the books."""

    __tablename__ = "inventory_counts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    location_id: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(16))  # listed | all_with_stock
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    posted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Figures fixed at posting, so accuracy over many counts is one cheap aggregate.
    lines_counted: Mapped[int | None] = mapped_column(Integer)
    lines_with_difference: Mapped[int | None] = mapped_column(Integer)
    units_difference: Mapped[int | None] = mapped_column(Integer)
    system_units: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_inventory_counts_location", "location_id", "status", "posted_at"),)


class CountLine(Base):
    __tablename__ = "inventory_count_lines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    count_id: Mapped[str] = mapped_column(ForeignKey("inventory_counts.id"))
    variant_id: Mapped[str] = mapped_column(String(32))
    counted: Mapped[int] = mapped_column(Integer, default=0)  # sum of all submissions
    system_quantity: Mapped[int | None] = mapped_column(Integer)  # on hand when posted
    difference: Mapped[int | None] = mapped_column(Integer)  # counted - system

    __table_args__ = (
        UniqueConstraint("count_id", "variant_id"),
        CheckConstraint("counted >= 0", name="counted_not_negative"),
    )


class CountTag(Base):
    """RFID tags already counted in a count: a tag read by two readers (or uploaded
    twice) is one unit, not two."""

    __tablename__ = "inventory_count_tags"

    count_id: Mapped[str] = mapped_column(ForeignKey("inventory_counts.id"), primary_key=True)
    epc: Mapped[str] = mapped_column(String(100), primary_key=True)  # pure identity URI
