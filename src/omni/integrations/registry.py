"""Every CSV import and export Omni offers, by entity name (routes and CLI read this)."""

from __future__ import annotations

from omni.integrations.csv_import import ImportSpec
from omni.integrations.inventory_specs import ASNS, PO_RECEIPTS
from omni.integrations.specs import EXPORTS
from omni.integrations.specs import IMPORTS as CATALOG_AND_PARTY_IMPORTS

IMPORTS: dict[str, ImportSpec] = {
    **CATALOG_AND_PARTY_IMPORTS,
    PO_RECEIPTS.entity: PO_RECEIPTS,
    ASNS.entity: ASNS,
}

__all__ = ["EXPORTS", "IMPORTS"]
