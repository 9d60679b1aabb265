"""Pure catalog rules: identifiers (SKU, GTIN, handles), option combinations, bundles.

No SQLAlchemy, no FastAPI: everything here is a function of its arguments, so the
service, the CSV importer and the tests share one definition of "valid".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from stdnum import ean
from stdnum.exceptions import ValidationError

PRODUCT_STATUSES = ("draft", "active", "archived")
VARIANT_STATUSES = ("active", "archived")
MAX_OPTIONS = 3
MAX_OPTION_VALUE_LENGTH = 100
GTIN_LENGTH = 14

_SKU = re.compile(r"^[A-Z0-9._-]{1,64}$")
_HANDLE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_OPTION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_TAX_CLASS = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class CatalogRuleBroken(ValueError):
    """A catalog rule refused a value; ``field`` says which input was wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def normalize_sku(value: str) -> str:
    """SKUs are case-insensitive for people, so they are stored upper-case."""
    sku = value.strip().upper()
    if not _SKU.match(sku):
        raise CatalogRuleBroken(
            "sku", "A SKU is 1 to 64 characters: letters, digits, '-', '_' and '.'."
        )
    return sku


def normalize_gtin(value: str) -> str:
    """A GTIN-8/12/13/14 (EAN/UPC) with a correct check digit, as 14 digits.

    Padding with leading zeros keeps the check digit valid (it is computed from the
    right), and makes the UPC-A ``036000291452`` and the EAN-13 ``0036000291452`` the
    same stored value, so lookups and the uniqueness rule see one item.
    """
    try:
        digits = ean.validate(value)
    except ValidationError as error:
        raise CatalogRuleBroken("gtin", f"{value!r} is not a valid GTIN: {error}") from error
    return digits.zfill(GTIN_LENGTH)


def check_handle(value: str) -> str:
    if len(value) > 120 or not _HANDLE.match(value):
        raise CatalogRuleBroken(
            "handle", "A handle is lower-case letters and digits separated by single dashes."
        )
    return value


def slugify(text: str) -> str:
    """A URL handle from a name: ``"Crème Brûlée Mug"`` → ``"creme-brulee-mug"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120].strip("-")
    if not slug:
        raise CatalogRuleBroken("handle", "Give a handle: none can be made from this name.")
    return slug


def check_status(value: str, allowed: Sequence[str] = PRODUCT_STATUSES) -> str:
    if value not in allowed:
        raise CatalogRuleBroken("status", f"Status must be one of {', '.join(allowed)}.")
    return value


def check_tax_class(value: str) -> str:
    if not _TAX_CLASS.match(value):
        raise CatalogRuleBroken(
            "tax_class", "A tax class is a short lower-case code such as 'standard'."
        )
    return value


def check_option_names(names: Sequence[str]) -> list[str]:
    if len(names) > MAX_OPTIONS:
        raise CatalogRuleBroken("option_names", f"At most {MAX_OPTIONS} options per product.")
    if len(set(names)) != len(names):
        raise CatalogRuleBroken("option_names", "Option names must be distinct.")
    for name in names:
        if not _OPTION_NAME.match(name):
            raise CatalogRuleBroken(
                "option_names", f"{name!r}: option names are short lower-case codes like 'size'."
            )
    return list(names)


def check_option_values(option_names: Sequence[str], values: Mapping[str, str]) -> dict[str, str]:
    """A variant gives exactly one non-empty value per option the product declares."""
    missing = [name for name in option_names if name not in values]
    extra = sorted(set(values) - set(option_names))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"unknown {', '.join(extra)}")
        raise CatalogRuleBroken(
            "option_values",
            f"Option values must match the product's options ({'; '.join(parts)}).",
        )
    cleaned = {}
    for name in option_names:
        value = str(values[name]).strip()
        if not value or len(value) > MAX_OPTION_VALUE_LENGTH:
            raise CatalogRuleBroken(
                "option_values", f"The value of {name!r} must be 1 to 100 characters."
            )
        cleaned[name] = value
    return cleaned


def option_key(option_names: Sequence[str], values: Mapping[str, str]) -> str:
    """Canonical text of a combination; case-insensitive so "navy" and "Navy" clash."""
    return "|".join(f"{name}={values[name].casefold()}" for name in option_names)


def duplicate_combinations(keys: Sequence[str]) -> list[int]:
    """Positions of combinations already seen earlier in ``keys``."""
    seen: set[str] = set()
    duplicates = []
    for index, key in enumerate(keys):
        if key in seen:
            duplicates.append(index)
        seen.add(key)
    return duplicates


def can_activate(variant_statuses: Sequence[str]) -> bool:
    """An active product must have something to sell: at least one active variant."""
    return "active" in variant_statuses


def is_visible(
    *,
    product_status: str,
    published: bool,
    published_at: datetime | None,
    at: datetime,
) -> bool:
    """Shoppers see a product on a channel only if it is active and published there."""
    return product_status == "active" and published and (published_at is None or published_at <= at)


@dataclass(frozen=True)
class ComponentLine:
    variant_id: str
    quantity: int


@dataclass(frozen=True)
class VariantFacts:
    """What the bundle rules need to know about a variant."""

    id: str
    status: str
    is_bundle: bool
    is_component: bool


def check_bundle(
    bundle: VariantFacts,
    components: Sequence[ComponentLine],
    known: Mapping[str, VariantFacts],
) -> None:
    """Bundles are one level deep: made of plain variants, never part of another bundle.

    One level rules out cycles by construction and keeps derived stock a single
    min(component stock / quantity) over plain variants.
    """
    if components and bundle.is_component:
        raise CatalogRuleBroken(
            "components", "This variant is a component of another bundle; bundles do not nest."
        )
    seen: set[str] = set()
    for line in components:
        if line.quantity < 1:
            raise CatalogRuleBroken("components", "Component quantities are at least 1.")
        if line.variant_id == bundle.id:
            raise CatalogRuleBroken("components", "A bundle cannot contain itself.")
        if line.variant_id in seen:
            raise CatalogRuleBroken("components", f"{line.variant_id} is listed twice.")
        seen.add(line.variant_id)
        component = known.get(line.variant_id)
        if component is None:
            raise CatalogRuleBroken("components", f"Unknown variant {line.variant_id}.")
        if component.is_bundle:
            raise CatalogRuleBroken(
                "components", f"{line.variant_id} is itself a bundle; bundles do not nest."
            )
        if component.status != "active":
            raise CatalogRuleBroken("components", f"{line.variant_id} is archived.")


def would_cycle(parents: Mapping[str, str | None], category_id: str, new_parent: str) -> bool:
    """Whether making ``new_parent`` the parent of ``category_id`` closes a loop."""
    current: str | None = new_parent
    steps = 0
    while current is not None and steps <= len(parents):
        if current == category_id:
            return True
        current = parents.get(current)
        steps += 1
    return False
