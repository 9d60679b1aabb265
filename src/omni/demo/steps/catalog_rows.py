"""The rows the catalog step collects, for one bulk insert per table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omni.catalog import domain
from omni.demo.identifiers import gtin13

FIRST_GTIN_SERIAL = 100_001


@dataclass
class CatalogRows:
    """Rows collected for one bulk insert per table."""

    categories: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    variants: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    bundle_components: list[dict[str, Any]] = field(default_factory=list)
    category_ids: dict[str, str] = field(default_factory=dict)
    gtin_serial: int = FIRST_GTIN_SERIAL
    skus: set[str] = field(default_factory=set)

    def next_gtin(self) -> str:
        gtin = gtin13(self.gtin_serial)
        self.gtin_serial += 1
        # Stored as the catalog stores every GTIN: validated, 14 digits.
        return domain.normalize_gtin(gtin)

    def claim_sku(self, raw: str) -> str:
        sku = domain.normalize_sku(raw)
        if sku in self.skus:
            raise ValueError(f"demo SKU {sku} made twice")
        self.skus.add(sku)
        return sku

    def link(self, product_id: str, slug: str) -> None:
        self.links.append({"product_id": product_id, "category_id": self.category_ids[slug]})
