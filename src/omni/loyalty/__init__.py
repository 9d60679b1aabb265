"""Loyalty and stored value (LOY1-LOY4): one double-entry ledger for gift cards, store
credit and points, which payments takes tenders from."""
