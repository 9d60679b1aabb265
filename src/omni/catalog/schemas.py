"""Request and response models of the catalog module."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from omni.http.schemas import StrictModel

ProductStatus = Literal["draft", "active", "archived"]
VariantStatus = Literal["active", "archived"]
MAX_ATTRIBUTES = 100


class MediaIn(StrictModel):
    # HttpUrl accepts only http and https: no javascript:, data: or file: URLs.
    url: HttpUrl = Field(max_length=2048)
    alt: str | None = Field(default=None, max_length=300)
    variant_id: str | None = Field(default=None, max_length=32)


class MediaOut(BaseModel):
    url: str
    alt: str | None = None
    variant_id: str | None = None


def _check_attributes(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return value
    if len(value) > MAX_ATTRIBUTES:
        raise ValueError(f"at most {MAX_ATTRIBUTES} attributes")
    for key in value:
        if not 1 <= len(key) <= 64:
            raise ValueError("attribute names are 1 to 64 characters")
    return value


GTIN_HELP = "GTIN-8/12/13/14 (EAN/UPC), check digit verified; stored and shown as 14 digits"
SKU_HELP = "Letters, digits, '-', '_', '.'; stored upper-case, unique"


class VariantIn(StrictModel):
    sku: str = Field(min_length=1, max_length=64, description=SKU_HELP)
    gtin: str | None = Field(default=None, max_length=20, description=GTIN_HELP)
    option_values: dict[str, str] = Field(default_factory=dict)
    weight_grams: int | None = Field(default=None, ge=0, le=10_000_000)
    status: VariantStatus = "active"
    position: int | None = Field(default=None, ge=0, le=100_000)


class VariantPatch(StrictModel):
    sku: str | None = Field(default=None, min_length=1, max_length=64, description=SKU_HELP)
    gtin: str | None = Field(default=None, max_length=20, description="null removes it")
    option_values: dict[str, str] | None = None
    weight_grams: int | None = Field(default=None, ge=0, le=10_000_000)
    status: VariantStatus | None = None
    position: int | None = Field(default=None, ge=0, le=100_000)


class VariantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    product_id: str
    sku: str
    gtin: str | None
    option_values: dict[str, str]
    weight_grams: int | None
    status: str
    position: int
    is_bundle: bool
    created_at: datetime
    updated_at: datetime
    version: int


class ProductIn(StrictModel):
    handle: str | None = Field(default=None, max_length=120, description="Made from the name")
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20_000)
    brand: str | None = Field(default=None, max_length=100)
    status: ProductStatus = "draft"
    category_ids: list[str] = Field(default_factory=list, max_length=50)
    attributes: dict[str, Any] = Field(default_factory=dict)
    tax_class: str = Field(default="standard", max_length=32)
    option_names: list[str] = Field(default_factory=list, max_length=3)
    media: list[MediaIn] = Field(default_factory=list, max_length=50)
    variants: list[VariantIn] = Field(default_factory=list, max_length=250)

    _attributes = field_validator("attributes")(_check_attributes)


class ProductPatch(StrictModel):
    handle: str | None = Field(default=None, max_length=120)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20_000)
    brand: str | None = Field(default=None, max_length=100)
    status: ProductStatus | None = None
    category_ids: list[str] | None = Field(default=None, max_length=50)
    attributes: dict[str, Any] | None = None
    tax_class: str | None = Field(default=None, max_length=32)
    option_names: list[str] | None = Field(default=None, max_length=3)
    media: list[MediaIn] | None = Field(default=None, max_length=50)

    _attributes = field_validator("attributes")(_check_attributes)


class ProductOut(BaseModel):
    id: str
    handle: str
    name: str
    description: str | None
    brand: str | None
    status: str
    category_ids: list[str]
    attributes: dict[str, Any]
    tax_class: str
    option_names: list[str]
    media: list[MediaOut]
    variants: list[VariantOut]
    created_at: datetime
    updated_at: datetime
    version: int


class CategoryIn(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    slug: str | None = Field(default=None, max_length=120, description="Made from the name")
    parent_id: str | None = Field(default=None, max_length=32)
    position: int = Field(default=0, ge=0, le=100_000)


class CategoryPatch(StrictModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    slug: str | None = Field(default=None, max_length=120)
    parent_id: str | None = Field(default=None, max_length=32, description="null: a root")
    position: int | None = Field(default=None, ge=0, le=100_000)


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    parent_id: str | None
    slug: str
    name: str
    position: int
    created_at: datetime
    updated_at: datetime
    version: int


class CategoryNode(BaseModel):
    id: str
    slug: str
    name: str
    position: int
    children: list[CategoryNode] = Field(default_factory=list)


class PublicationIn(StrictModel):
    published_at: datetime | None = Field(
        default=None, description="When it appears on the channel; now if omitted"
    )


class PublicationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: str
    channel_id: str
    published: bool
    published_at: datetime | None
    updated_at: datetime


class ComponentIn(StrictModel):
    variant_id: str = Field(min_length=1, max_length=32)
    quantity: int = Field(ge=1, le=10_000)


class ComponentsIn(StrictModel):
    components: list[ComponentIn] = Field(max_length=50, description="Empty: not a bundle")


class ComponentOut(BaseModel):
    variant_id: str
    sku: str
    quantity: int


class ComponentsOut(BaseModel):
    bundle_variant_id: str
    components: list[ComponentOut]
