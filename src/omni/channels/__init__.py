"""Channels: web, app, store POS, social, call center, marketplaces — each with its market,
price list, stock pool and fulfillment methods (CH1)."""
