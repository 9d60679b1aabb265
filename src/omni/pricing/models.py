"""Tables owned by the pricing module."""
