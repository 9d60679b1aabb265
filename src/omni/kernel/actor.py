"""Who is acting: carried from the HTTP layer into use cases and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ActorKind(StrEnum):
    STAFF = "staff"
    CUSTOMER = "customer"
    API_CLIENT = "api_client"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    id: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    # Store-scoped staff (store managers, associates) act only in these locations.
    store_ids: frozenset[str] = field(default_factory=frozenset)
    # API clients are limited to these permissions.
    scopes: frozenset[str] = field(default_factory=frozenset)
    channel: str | None = None
    request_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind is ActorKind.STAFF

    @property
    def is_customer(self) -> bool:
        return self.kind is ActorKind.CUSTOMER


SYSTEM = Actor(kind=ActorKind.SYSTEM, id="system")
ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS)
