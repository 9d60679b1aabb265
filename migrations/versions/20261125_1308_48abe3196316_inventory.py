"""inventory

Revision ID: 48abe3196316
Revises: 899757c9942d
Create Date: 2026-11-25 13:08:07.516253
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import omni.db.base

revision: str = "48abe3196316"
down_revision: str | None = "899757c9942d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "inventory_location_policies",
        sa.Column("location_id", sa.String(length=32), nullable=False),
        sa.Column("allow_negative", sa.Boolean(), nullable=False),
        sa.Column("low_stock_threshold", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("location_id", name=op.f("pk_inventory_location_policies")),
    )
    op.create_table(
        "inventory_variant_policies",
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("backorder", sa.Boolean(), nullable=False),
        sa.Column("preorder", sa.Boolean(), nullable=False),
        sa.Column("oversell_limit", sa.Integer(), nullable=True),
        sa.Column("available_from", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint(
            "variant_id", "channel_id", name=op.f("pk_inventory_variant_policies")
        ),
    )
    op.create_table(
        "stock_levels",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=32), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("incoming", sa.Integer(), nullable=False),
        sa.Column("unsellable", sa.Integer(), nullable=False),
        sa.Column("safety_stock", sa.Integer(), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("incoming >= 0", name=op.f("ck_stock_levels_incoming_not_negative")),
        sa.CheckConstraint("reserved >= 0", name=op.f("ck_stock_levels_reserved_not_negative")),
        sa.CheckConstraint(
            "safety_stock >= 0", name=op.f("ck_stock_levels_safety_stock_not_negative")
        ),
        sa.CheckConstraint("unsellable >= 0", name=op.f("ck_stock_levels_unsellable_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_levels")),
        sa.UniqueConstraint("variant_id", "location_id", name=op.f("uq_stock_levels_variant_id")),
    )
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_levels_location_variant", ["location_id", "variant_id"], unique=False
        )

    op.create_table(
        "stock_movements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("stock_level_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("on_hand_delta", sa.Integer(), nullable=False),
        sa.Column("reserved_delta", sa.Integer(), nullable=False),
        sa.Column("incoming_delta", sa.Integer(), nullable=False),
        sa.Column("unsellable_delta", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("source_type", sa.String(length=24), nullable=True),
        sa.Column("source_id", sa.String(length=64), nullable=True),
        sa.Column("reservation_id", sa.String(length=32), nullable=True),
        sa.Column("occurred_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["stock_level_id"],
            ["stock_levels.id"],
            name=op.f("fk_stock_movements_stock_level_id_stock_levels"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_movements_level_time", ["stock_level_id", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_stock_movements_source", ["source_type", "source_id"], unique=False
        )
        batch_op.create_index(
            "ix_stock_movements_variant_time", ["variant_id", "occurred_at"], unique=False
        )

    op.create_table(
        "stock_reservations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("stock_level_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("expires_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_stock_reservations_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["stock_level_id"],
            ["stock_levels.id"],
            name=op.f("fk_stock_reservations_stock_level_id_stock_levels"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_reservations")),
    )
    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_reservations_expiry", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(
            "ix_stock_reservations_reference", ["reference", "status"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_reservations_reference")
        batch_op.drop_index("ix_stock_reservations_expiry")

    op.drop_table("stock_reservations")
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_movements_variant_time")
        batch_op.drop_index("ix_stock_movements_source")
        batch_op.drop_index("ix_stock_movements_level_time")

    op.drop_table("stock_movements")
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_levels_location_variant")

    op.drop_table("stock_levels")
    op.drop_table("inventory_variant_policies")
    op.drop_table("inventory_location_policies")
