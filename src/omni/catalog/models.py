"""Tables owned by the catalog module.

Channels live in another module and are referenced by id only (no foreign key), as are
the variants that pricing, inventory and orders reference here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class Product(Base):
    __tablename__ = "catalog_products"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    handle: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    brand: Mapped[str | None] = mapped_column(String(100))
    # draft | active | archived
    status: Mapped[str] = mapped_column(String(16))
    # The option names every variant must give a value for, in display order.
    option_names: Mapped[list[str]] = mapped_column(JSON)
    # Free key → value facts (material, care…); not used for rules.
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    tax_class: Mapped[str] = mapped_column(String(32))
    # Ordered [{url, alt, variant_id}] — the product's images, first one is the cover.
    media: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The product is the aggregate: variant, category and media changes bump it too,
    # so its ETag changes whenever its representation does.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_catalog_products_status", "status", "id"),
        Index("ix_catalog_products_brand", "brand"),
        Index("ix_catalog_products_updated_at", "updated_at"),
    )


class Variant(Base):
    __tablename__ = "catalog_variants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    # Normalized to 14 digits (GTIN-14, zero-padded) so one item has one stored form.
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True)
    option_values: Mapped[dict[str, str]] = mapped_column(JSON)
    # Canonical "name=value|…" text of the option values: the unique index on it makes
    # "one variant per combination" hold even for two concurrent inserts.
    option_key: Mapped[str] = mapped_column(String(600))
    weight_grams: Mapped[int | None]
    # active | archived
    status: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_bundle: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("uq_catalog_variants_options", "product_id", "option_key", unique=True),
        Index("ix_catalog_variants_product", "product_id", "position"),
    )


class Category(Base):
    __tablename__ = "catalog_categories"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("catalog_categories.id"))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_catalog_categories_parent", "parent_id", "position"),)


class ProductCategory(Base):
    """A product sits in several categories."""

    __tablename__ = "catalog_product_categories"

    product_id: Mapped[str] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[str] = mapped_column(
        ForeignKey("catalog_categories.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (Index("ix_catalog_product_categories_category", "category_id"),)


class Publication(Base):
    """Whether a product is offered on a channel, and from when."""

    __tablename__ = "catalog_publications"

    product_id: Mapped[str] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    published: Mapped[bool] = mapped_column(Boolean)
    # May lie in the future: the product appears on the channel from then on.
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_catalog_publications_channel", "channel_id", "product_id"),)


class BundleComponent(Base):
    """One component of a bundle (kit) variant, with how many go into one bundle."""

    __tablename__ = "catalog_bundle_components"

    bundle_variant_id: Mapped[str] = mapped_column(
        ForeignKey("catalog_variants.id", ondelete="CASCADE"), primary_key=True
    )
    component_variant_id: Mapped[str] = mapped_column(
        ForeignKey("catalog_variants.id", ondelete="CASCADE"), primary_key=True
    )
    quantity: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_catalog_bundle_components_component", "component_variant_id"),)
