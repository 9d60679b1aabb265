"""inventory_ledger_without_fk

Revision ID: 514e66056253
Revises: a8bd26420a07
Create Date: 2026-11-25 14:22:40.059623
"""

from collections.abc import Sequence

from alembic import op

revision: str = "514e66056253"
down_revision: str | None = "a8bd26420a07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_stock_movements_stock_level_id_stock_levels"), type_="foreignkey"
        )

    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_stock_reservations_stock_level_id_stock_levels"), type_="foreignkey"
        )


def downgrade() -> None:

    with op.batch_alter_table("stock_reservations", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_stock_reservations_stock_level_id_stock_levels"),
            "stock_levels",
            ["stock_level_id"],
            ["id"],
        )

    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_stock_movements_stock_level_id_stock_levels"),
            "stock_levels",
            ["stock_level_id"],
            ["id"],
        )
