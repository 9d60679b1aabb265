"""Locations: stores, warehouses, pickup points and lockers (INV1)."""
