"""Orders (ORD2, ORD3, ORD6): one order book for every channel."""
