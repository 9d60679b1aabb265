"""Facts the customers module publishes.

Payloads carry ids and field names, never personal values: events fan out to webhooks
and live as long as the outbox, personal data must stay erasable (CUS5).
"""

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


@dataclass(frozen=True, kw_only=True)
class CustomerCommunicationChanged(Event):
    """Marketing permissions changed; consumers honoring consent (notifications) need the
    new state, not a diff."""

    name = "customer.communication_changed"
    customer_id: str
    communication: dict[str, bool]


@dataclass(frozen=True, kw_only=True)
class CustomerIdentityAdded(Event):
    name = "customer.identity_added"
    customer_id: str
    identity_id: str
    kind: str
    verified: bool


@dataclass(frozen=True, kw_only=True)
class CustomerIdentityRemoved(Event):
    name = "customer.identity_removed"
    customer_id: str
    identity_id: str
    kind: str


@dataclass(frozen=True, kw_only=True)
class CustomerAddressAdded(Event):
    name = "customer.address_added"
    customer_id: str
    address_id: str


@dataclass(frozen=True, kw_only=True)
class CustomerAddressUpdated(Event):
    name = "customer.address_updated"
    customer_id: str
    address_id: str
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class CustomerAddressRemoved(Event):
    name = "customer.address_removed"
    customer_id: str
    address_id: str
