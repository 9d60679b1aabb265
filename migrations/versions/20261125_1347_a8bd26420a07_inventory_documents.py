"""inventory_documents

Revision ID: a8bd26420a07
Revises: 48abe3196316
Create Date: 2026-11-25 13:47:13.975219
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import omni.db.base

revision: str = "a8bd26420a07"
down_revision: str | None = "48abe3196316"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "inventory_counts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("posted_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("lines_counted", sa.Integer(), nullable=True),
        sa.Column("lines_with_difference", sa.Integer(), nullable=True),
        sa.Column("units_difference", sa.Integer(), nullable=True),
        sa.Column("system_units", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_counts")),
    )
    with op.batch_alter_table("inventory_counts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inventory_counts_location", ["location_id", "status", "posted_at"], unique=False
        )

    op.create_table(
        "inventory_purchase_orders",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("supplier_code", sa.String(length=64), nullable=False),
        sa.Column("supplier_name", sa.String(length=200), nullable=True),
        sa.Column("location_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("tolerance_percent", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "tolerance_percent BETWEEN 0 AND 100",
            name=op.f("ck_inventory_purchase_orders_tolerance_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_purchase_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_inventory_purchase_orders_number")),
    )
    with op.batch_alter_table("inventory_purchase_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inventory_purchase_orders_location", ["location_id", "status"], unique=False
        )

    op.create_table(
        "inventory_receipts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("document_type", sa.String(length=20), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=32), nullable=False),
        sa.Column("asn_id", sa.String(length=32), nullable=True),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("received_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_receipts")),
    )
    with op.batch_alter_table("inventory_receipts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inventory_receipts_document", ["document_type", "document_id"], unique=False
        )

    op.create_table(
        "inventory_transfers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("from_location_id", sa.String(length=32), nullable=False),
        sa.Column("to_location_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("carrier", sa.String(length=100), nullable=True),
        sa.Column("tracking", sa.String(length=100), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("shipped_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("received_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_transfers")),
    )
    with op.batch_alter_table("inventory_transfers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inventory_transfers_from", ["from_location_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_inventory_transfers_to", ["to_location_id", "status"], unique=False
        )

    op.create_table(
        "inventory_asns",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("purchase_order_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("carrier", sa.String(length=100), nullable=True),
        sa.Column("tracking", sa.String(length=100), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("received_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["inventory_purchase_orders.id"],
            name=op.f("fk_inventory_asns_purchase_order_id_inventory_purchase_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_asns")),
        sa.UniqueConstraint(
            "purchase_order_id", "number", name=op.f("uq_inventory_asns_purchase_order_id")
        ),
    )
    op.create_table(
        "inventory_count_lines",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("count_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("system_quantity", sa.Integer(), nullable=True),
        sa.Column("difference", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "counted >= 0", name=op.f("ck_inventory_count_lines_counted_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["inventory_counts.id"],
            name=op.f("fk_inventory_count_lines_count_id_inventory_counts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_count_lines")),
        sa.UniqueConstraint(
            "count_id", "variant_id", name=op.f("uq_inventory_count_lines_count_id")
        ),
    )
    op.create_table(
        "inventory_count_tags",
        sa.Column("count_id", sa.String(length=32), nullable=False),
        sa.Column("epc", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["inventory_counts.id"],
            name=op.f("fk_inventory_count_tags_count_id_inventory_counts"),
        ),
        sa.PrimaryKeyConstraint("count_id", "epc", name=op.f("pk_inventory_count_tags")),
    )
    op.create_table(
        "inventory_purchase_order_lines",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("purchase_order_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("ordered", sa.Integer(), nullable=False),
        sa.Column("advised", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("damaged", sa.Integer(), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "advised >= 0 AND received >= 0 AND damaged >= 0 AND short >= 0",
            name=op.f("ck_inventory_purchase_order_lines_not_negative"),
        ),
        sa.CheckConstraint(
            "ordered > 0", name=op.f("ck_inventory_purchase_order_lines_ordered_positive")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["inventory_purchase_orders.id"],
            name=op.f(
                "fk_inventory_purchase_order_lines_purchase_order_id_inventory_purchase_orders"
            ),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_purchase_order_lines")),
        sa.UniqueConstraint(
            "purchase_order_id",
            "variant_id",
            name=op.f("uq_inventory_purchase_order_lines_purchase_order_id"),
        ),
    )
    op.create_table(
        "inventory_receipt_lines",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("receipt_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("damaged", sa.Integer(), nullable=False),
        sa.Column("over", sa.Integer(), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity >= 0 AND damaged >= 0 AND over >= 0 AND short >= 0",
            name=op.f("ck_inventory_receipt_lines_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["inventory_receipts.id"],
            name=op.f("fk_inventory_receipt_lines_receipt_id_inventory_receipts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_receipt_lines")),
    )
    op.create_table(
        "inventory_transfer_lines",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("transfer_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("damaged", sa.Integer(), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_inventory_transfer_lines_quantity_positive")
        ),
        sa.CheckConstraint(
            "received >= 0 AND damaged >= 0 AND short >= 0",
            name=op.f("ck_inventory_transfer_lines_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["inventory_transfers.id"],
            name=op.f("fk_inventory_transfer_lines_transfer_id_inventory_transfers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_transfer_lines")),
        sa.UniqueConstraint(
            "transfer_id", "variant_id", name=op.f("uq_inventory_transfer_lines_transfer_id")
        ),
    )
    op.create_table(
        "inventory_asn_lines",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("asn_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_inventory_asn_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["asn_id"],
            ["inventory_asns.id"],
            name=op.f("fk_inventory_asn_lines_asn_id_inventory_asns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_asn_lines")),
        sa.UniqueConstraint("asn_id", "variant_id", name=op.f("uq_inventory_asn_lines_asn_id")),
    )


def downgrade() -> None:

    op.drop_table("inventory_asn_lines")
    op.drop_table("inventory_transfer_lines")
    op.drop_table("inventory_receipt_lines")
    op.drop_table("inventory_purchase_order_lines")
    op.drop_table("inventory_count_tags")
    op.drop_table("inventory_count_lines")
    op.drop_table("inventory_asns")
    with op.batch_alter_table("inventory_transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_transfers_to")
        batch_op.drop_index("ix_inventory_transfers_from")

    op.drop_table("inventory_transfers")
    with op.batch_alter_table("inventory_receipts", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_receipts_document")

    op.drop_table("inventory_receipts")
    with op.batch_alter_table("inventory_purchase_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_purchase_orders_location")

    op.drop_table("inventory_purchase_orders")
    with op.batch_alter_table("inventory_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_inventory_counts_location")

    op.drop_table("inventory_counts")
