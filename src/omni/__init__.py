"""Omni — the open omnichannel commerce platform."""

__version__ = "0.1.0"
