"""Tables owned by the catalog module."""
