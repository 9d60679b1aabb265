"""Facts the customers module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class CustomerCreated(Event):
    name = "customer.created"
    customer_id: str
    channel_id: str | None


@dataclass(frozen=True, kw_only=True)
class CustomerUpdated(Event):
    name = "customer.updated"
    customer_id: str
    fields: list[str]
