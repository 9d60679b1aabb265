"""Tests of the pure order-sourcing engine (ORD4)."""
