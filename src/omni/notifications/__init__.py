"""Notifications: templated messages to people over pluggable transports (NOT1)."""
