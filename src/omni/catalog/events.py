"""Facts the catalog module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class ProductCreated(Event):
    name = "catalog.product_created"
    product_id: str
    handle: str
    status: str
    variant_ids: list[str]


@dataclass(frozen=True, kw_only=True)
class ProductUpdated(Event):
    name = "catalog.product_updated"
    product_id: str
    fields: list[str]
    status: str


@dataclass(frozen=True, kw_only=True)
class ProductDeleted(Event):
    """A draft product and its variants are gone; holders of their ids may drop them."""

    name = "catalog.product_deleted"
    product_id: str
    variant_ids: list[str]


@dataclass(frozen=True, kw_only=True)
class VariantCreated(Event):
    name = "catalog.variant_created"
    variant_id: str
    product_id: str
    sku: str


@dataclass(frozen=True, kw_only=True)
class VariantUpdated(Event):
    name = "catalog.variant_updated"
    variant_id: str
    product_id: str
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class ProductPublished(Event):
    name = "catalog.product_published"
    product_id: str
    channel_id: str
    published_at: str


@dataclass(frozen=True, kw_only=True)
class ProductUnpublished(Event):
    name = "catalog.product_unpublished"
    product_id: str
    channel_id: str


@dataclass(frozen=True, kw_only=True)
class BundleComponentsSet(Event):
    """A bundle's recipe changed (an empty list: it is no longer a bundle)."""

    name = "catalog.bundle_components_set"
    bundle_variant_id: str
    components: list[dict[str, object]]


@dataclass(frozen=True, kw_only=True)
class CategoryChanged(Event):
    """A category was created, renamed, moved or deleted (``change`` says which)."""

    name = "catalog.category_changed"
    category_id: str
    change: str
