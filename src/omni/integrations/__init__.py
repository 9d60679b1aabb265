"""Integrations: bulk CSV import/export over the modules' public APIs (CH6, INT3)."""
