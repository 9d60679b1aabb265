"""The demo retailer (Harbor & Pine), built deterministically from a seed and a scale."""
