"""Carts (ORD1): persistent, cross-device and cross-channel; guest carts merge on sign-in."""
