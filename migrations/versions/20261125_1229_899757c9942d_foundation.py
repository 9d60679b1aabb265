"""foundation

Revision ID: 899757c9942d
Revises:
Create Date: 2026-11-25 12:29:26.394019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import omni.db.base

revision: str = "899757c9942d"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "api_clients",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_hint", sa.String(length=16), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_clients_key_hash")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column(
            "changes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_actor", ["actor_id", "id"], unique=False)
        batch_op.create_index("ix_audit_log_object", ["object_type", "object_id"], unique=False)

    op.create_table(
        "auth_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("principal_kind", sa.String(length=16), nullable=False),
        sa.Column("principal_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_auth_sessions")),
    )
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_auth_sessions_principal", ["principal_id"], unique=False)

    op.create_table(
        "catalog_categories",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("parent_id", sa.String(length=32), nullable=True),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["catalog_categories.id"],
            name=op.f("fk_catalog_categories_parent_id_catalog_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_catalog_categories_slug")),
    )
    with op.batch_alter_table("catalog_categories", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_categories_parent", ["parent_id", "position"], unique=False
        )

    op.create_table(
        "catalog_products",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("handle", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("brand", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("option_names", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("tax_class", sa.String(length=32), nullable=False),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_products")),
        sa.UniqueConstraint("handle", name=op.f("uq_catalog_products_handle")),
    )
    with op.batch_alter_table("catalog_products", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_products_brand", ["brand"], unique=False)
        batch_op.create_index("ix_catalog_products_status", ["status", "id"], unique=False)
        batch_op.create_index("ix_catalog_products_updated_at", ["updated_at"], unique=False)

    op.create_table(
        "channels",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("tax_region", sa.String(length=10), nullable=False),
        sa.Column("price_list_id", sa.String(length=32), nullable=True),
        sa.Column("location_id", sa.String(length=32), nullable=True),
        sa.Column("fulfillment_methods", sa.JSON(), nullable=False),
        sa.Column("default_buffer_units", sa.Integer(), nullable=False),
        sa.Column("default_buffer_percent", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
        sa.UniqueConstraint("code", name=op.f("uq_channels_code")),
    )
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.create_index("ix_channels_kind", ["kind"], unique=False)
        batch_op.create_index("ix_channels_location", ["location_id"], unique=False)

    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name_key", sa.String(length=100), nullable=False),
        sa.Column("last_name_key", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("preferred_store_id", sa.String(length=32), nullable=True),
        sa.Column("communication", sa.JSON(), nullable=False),
        sa.Column("source_channel_id", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index("ix_customers_email", ["email"], unique=False)
        batch_op.create_index(
            "ix_customers_first_name_key",
            ["first_name_key"],
            unique=False,
            postgresql_ops={"first_name_key": "text_pattern_ops"},
        )
        batch_op.create_index("ix_customers_last_name", ["last_name", "first_name"], unique=False)
        batch_op.create_index(
            "ix_customers_last_name_key",
            ["last_name_key"],
            unique=False,
            postgresql_ops={"last_name_key": "text_pattern_ops"},
        )
        batch_op.create_index("ix_customers_phone", ["phone"], unique=False)

    op.create_table(
        "demo_builds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("retailer", sa.String(length=100), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("scale", sa.Float(), nullable=False),
        sa.Column("built_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_builds")),
    )
    op.create_table(
        "demo_ground_truth",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("person_key", sa.String(length=40), nullable=False),
        sa.Column("pattern", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_demo_ground_truth")),
    )
    with op.batch_alter_table("demo_ground_truth", schema=None) as batch_op:
        batch_op.create_index("ix_demo_ground_truth_person", ["person_key"], unique=False)

    op.create_table(
        "event_handlings",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("handler", sa.String(length=120), nullable=False),
        sa.Column("handled_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "handler", name=op.f("pk_event_handlings")),
    )
    op.create_table(
        "handler_failures",
        sa.Column("event_id", sa.String(length=32), nullable=False),
        sa.Column("handler", sa.String(length=120), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("failed_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("dead_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("event_id", "handler", name=op.f("pk_handler_failures")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("locked_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column(
            "response_headers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("expires_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index("ix_idempotency_keys_expires_at", ["expires_at"], unique=False)

    op.create_table(
        "locations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("line1", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("metro", sa.String(length=100), nullable=True),
        sa.Column("opening_hours", sa.JSON(), nullable=False),
        sa.Column("special_days", sa.JSON(), nullable=False),
        sa.Column("capabilities", sa.JSON(), nullable=False),
        sa.Column("orders_per_day", sa.Integer(), nullable=True),
        sa.Column("orders_per_hour", sa.Integer(), nullable=True),
        sa.Column("pickup_slot_minutes", sa.Integer(), nullable=True),
        sa.Column("pickup_slot_capacity", sa.Integer(), nullable=True),
        sa.Column("pickup_hold_days", sa.Integer(), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
        sa.UniqueConstraint("code", name=op.f("uq_locations_code")),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index("ix_locations_country", ["country"], unique=False)
        batch_op.create_index("ix_locations_kind_status", ["kind", "status"], unique=False)
        batch_op.create_index("ix_locations_lat_lon", ["latitude", "longitude"], unique=False)
        batch_op.create_index("ix_locations_metro", ["metro"], unique=False)

    op.create_table(
        "outbox_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("occurred_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=True),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("dispatched_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
    )
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_events_pending", ["dispatched_at", "id"], unique=False)

    op.create_table(
        "password_reset_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("principal_kind", sa.String(length=16), nullable=False),
        sa.Column("principal_id", sa.String(length=32), nullable=False),
        sa.Column("expires_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_password_reset_tokens")),
    )
    op.create_table(
        "price_lists",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("channel_ids", sa.JSON(), nullable=False),
        sa.Column("customer_segment", sa.String(length=64), nullable=True),
        sa.Column("loyalty_tier", sa.String(length=64), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("valid_from", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("valid_to", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("prices_include_tax", sa.Boolean(), nullable=False),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_lists")),
        sa.UniqueConstraint("code", name=op.f("uq_price_lists_code")),
    )
    with op.batch_alter_table("price_lists", schema=None) as batch_op:
        batch_op.create_index(
            "ix_price_lists_currency_active", ["currency", "active"], unique=False
        )

    op.create_table(
        "shopper_accounts",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_shopper_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_shopper_accounts_email")),
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("store_ids", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_users_email")),
    )
    op.create_table(
        "catalog_product_categories",
        sa.Column("product_id", sa.String(length=32), nullable=False),
        sa.Column("category_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["catalog_categories.id"],
            name=op.f("fk_catalog_product_categories_category_id_catalog_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_catalog_product_categories_product_id_catalog_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "product_id", "category_id", name=op.f("pk_catalog_product_categories")
        ),
    )
    with op.batch_alter_table("catalog_product_categories", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_product_categories_category", ["category_id"], unique=False
        )

    op.create_table(
        "catalog_publications",
        sa.Column("product_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", omni.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_catalog_publications_product_id_catalog_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", "channel_id", name=op.f("pk_catalog_publications")),
    )
    with op.batch_alter_table("catalog_publications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_publications_channel", ["channel_id", "product_id"], unique=False
        )

    op.create_table(
        "catalog_variants",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("product_id", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("option_values", sa.JSON(), nullable=False),
        sa.Column("option_key", sa.String(length=600), nullable=False),
        sa.Column("weight_grams", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_bundle", sa.Boolean(), nullable=False),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["catalog_products.id"],
            name=op.f("fk_catalog_variants_product_id_catalog_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_variants")),
        sa.UniqueConstraint("gtin", name=op.f("uq_catalog_variants_gtin")),
        sa.UniqueConstraint("sku", name=op.f("uq_catalog_variants_sku")),
    )
    with op.batch_alter_table("catalog_variants", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_variants_product", ["product_id", "position"], unique=False
        )
        batch_op.create_index(
            "uq_catalog_variants_options", ["product_id", "option_key"], unique=True
        )

    op.create_table(
        "channel_stock_pool",
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=32), nullable=False),
        sa.Column("buffer_units", sa.Integer(), nullable=True),
        sa.Column("buffer_percent", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_channel_stock_pool_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", "location_id", name=op.f("pk_channel_stock_pool")),
    )
    with op.batch_alter_table("channel_stock_pool", schema=None) as batch_op:
        batch_op.create_index("ix_channel_stock_pool_location", ["location_id"], unique=False)

    op.create_table(
        "customer_addresses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=True),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("line1", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("is_default_shipping", sa.Boolean(), nullable=False),
        sa.Column("is_default_billing", sa.Boolean(), nullable=False),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_addresses_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_addresses")),
    )
    with op.batch_alter_table("customer_addresses", schema=None) as batch_op:
        batch_op.create_index("ix_customer_addresses_customer", ["customer_id"], unique=False)
        batch_op.create_index(
            "uq_customer_addresses_default_billing",
            ["customer_id"],
            unique=True,
            sqlite_where=sa.text("is_default_billing"),
            postgresql_where=sa.text("is_default_billing"),
        )
        batch_op.create_index(
            "uq_customer_addresses_default_shipping",
            ["customer_id"],
            unique=True,
            sqlite_where=sa.text("is_default_shipping"),
            postgresql_where=sa.text("is_default_shipping"),
        )

    op.create_table(
        "customer_identities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=254), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_identities_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_identities")),
    )
    with op.batch_alter_table("customer_identities", schema=None) as batch_op:
        batch_op.create_index("ix_customer_identities_customer", ["customer_id"], unique=False)
        batch_op.create_index("ix_customer_identities_lookup", ["kind", "value"], unique=False)
        batch_op.create_index(
            "uq_customer_identities_verified",
            ["kind", "value"],
            unique=True,
            sqlite_where=sa.text("verified"),
            postgresql_where=sa.text("verified"),
        )

    op.create_table(
        "prices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("price_list_id", sa.String(length=32), nullable=False),
        sa.Column("variant_id", sa.String(length=32), nullable=False),
        sa.Column("min_quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("compare_at_amount", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", omni.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["price_list_id"],
            ["price_lists.id"],
            name=op.f("fk_prices_price_list_id_price_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prices")),
    )
    with op.batch_alter_table("prices", schema=None) as batch_op:
        batch_op.create_index("ix_prices_variant", ["variant_id", "price_list_id"], unique=False)
        batch_op.create_index(
            "uq_prices_list_variant_quantity",
            ["price_list_id", "variant_id", "min_quantity"],
            unique=True,
        )

    op.create_table(
        "catalog_bundle_components",
        sa.Column("bundle_variant_id", sa.String(length=32), nullable=False),
        sa.Column("component_variant_id", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bundle_variant_id"],
            ["catalog_variants.id"],
            name=op.f("fk_catalog_bundle_components_bundle_variant_id_catalog_variants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["component_variant_id"],
            ["catalog_variants.id"],
            name=op.f("fk_catalog_bundle_components_component_variant_id_catalog_variants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "bundle_variant_id", "component_variant_id", name=op.f("pk_catalog_bundle_components")
        ),
    )
    with op.batch_alter_table("catalog_bundle_components", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_bundle_components_component", ["component_variant_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("catalog_bundle_components", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_bundle_components_component")

    op.drop_table("catalog_bundle_components")
    with op.batch_alter_table("prices", schema=None) as batch_op:
        batch_op.drop_index("uq_prices_list_variant_quantity")
        batch_op.drop_index("ix_prices_variant")

    op.drop_table("prices")
    with op.batch_alter_table("customer_identities", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_customer_identities_verified",
            sqlite_where=sa.text("verified"),
            postgresql_where=sa.text("verified"),
        )
        batch_op.drop_index("ix_customer_identities_lookup")
        batch_op.drop_index("ix_customer_identities_customer")

    op.drop_table("customer_identities")
    with op.batch_alter_table("customer_addresses", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_customer_addresses_default_shipping",
            sqlite_where=sa.text("is_default_shipping"),
            postgresql_where=sa.text("is_default_shipping"),
        )
        batch_op.drop_index(
            "uq_customer_addresses_default_billing",
            sqlite_where=sa.text("is_default_billing"),
            postgresql_where=sa.text("is_default_billing"),
        )
        batch_op.drop_index("ix_customer_addresses_customer")

    op.drop_table("customer_addresses")
    with op.batch_alter_table("channel_stock_pool", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_stock_pool_location")

    op.drop_table("channel_stock_pool")
    with op.batch_alter_table("catalog_variants", schema=None) as batch_op:
        batch_op.drop_index("uq_catalog_variants_options")
        batch_op.drop_index("ix_catalog_variants_product")

    op.drop_table("catalog_variants")
    with op.batch_alter_table("catalog_publications", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_publications_channel")

    op.drop_table("catalog_publications")
    with op.batch_alter_table("catalog_product_categories", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_product_categories_category")

    op.drop_table("catalog_product_categories")
    op.drop_table("staff_users")
    op.drop_table("shopper_accounts")
    with op.batch_alter_table("price_lists", schema=None) as batch_op:
        batch_op.drop_index("ix_price_lists_currency_active")

    op.drop_table("price_lists")
    op.drop_table("password_reset_tokens")
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_events_pending")

    op.drop_table("outbox_events")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index("ix_locations_metro")
        batch_op.drop_index("ix_locations_lat_lon")
        batch_op.drop_index("ix_locations_kind_status")
        batch_op.drop_index("ix_locations_country")

    op.drop_table("locations")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_keys_expires_at")

    op.drop_table("idempotency_keys")
    op.drop_table("handler_failures")
    op.drop_table("event_handlings")
    with op.batch_alter_table("demo_ground_truth", schema=None) as batch_op:
        batch_op.drop_index("ix_demo_ground_truth_person")

    op.drop_table("demo_ground_truth")
    op.drop_table("demo_builds")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index("ix_customers_phone")
        batch_op.drop_index(
            "ix_customers_last_name_key", postgresql_ops={"last_name_key": "text_pattern_ops"}
        )
        batch_op.drop_index("ix_customers_last_name")
        batch_op.drop_index(
            "ix_customers_first_name_key", postgresql_ops={"first_name_key": "text_pattern_ops"}
        )
        batch_op.drop_index("ix_customers_email")

    op.drop_table("customers")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_index("ix_channels_location")
        batch_op.drop_index("ix_channels_kind")

    op.drop_table("channels")
    with op.batch_alter_table("catalog_products", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_products_updated_at")
        batch_op.drop_index("ix_catalog_products_status")
        batch_op.drop_index("ix_catalog_products_brand")

    op.drop_table("catalog_products")
    with op.batch_alter_table("catalog_categories", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_categories_parent")

    op.drop_table("catalog_categories")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_auth_sessions_principal")

    op.drop_table("auth_sessions")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_object")
        batch_op.drop_index("ix_audit_log_actor")

    op.drop_table("audit_log")
    op.drop_table("api_clients")
