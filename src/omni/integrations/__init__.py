"""Integrations: bulk CSV import/export over the modules' public APIs (CH6, INT3)."""

# What ``omni import``/``omni export`` and the /imports, /exports routes accept; kept
# here (no imports) so the command line can name them without loading every module.
ENTITIES = ("products", "prices", "locations", "customers")
# Imported only: goods arriving against purchase orders (inventory).
IMPORT_ONLY_ENTITIES = ("po_receipts", "asns")
