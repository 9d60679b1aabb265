"""channels module."""
