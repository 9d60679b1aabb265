"""pricing module."""
