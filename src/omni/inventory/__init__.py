"""Inventory: one ledger of every unit in every location, sold through every channel
without overselling (INV2-INV11)."""
