"""Customers: one profile across channels — identities, addresses, preferences (CUS1)."""
