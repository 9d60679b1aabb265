"""Roles and the permissions they grant (INT4). Deny is the default.

Store managers and associates are additionally scoped to their stores
(``Actor.store_ids``); object-level checks use :func:`can_act_in_store`.
"""

from __future__ import annotations

from omni.kernel.actor import Actor, ActorKind

ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({"*"}),
    "merchandiser": frozenset(
        {
            "catalog.read",
            "catalog.write",
            "prices.read",
            "prices.write",
            "channels.read",
            "locations.read",
            "catalog.export",
            "prices.export",
            "promotions.read",
            "promotions.write",
            "taxes.read",
            "taxes.write",
        }
    ),
    "planner": frozenset(
        {
            "catalog.read",
            "prices.read",
            "channels.read",
            "locations.read",
            "locations.write",
            "inventory.read",
            "inventory.write",
            "catalog.export",
            "locations.export",
            "promotions.read",
            "sourcing.read",
            "sourcing.write",
        }
    ),
    "store_manager": frozenset(
        {
            "carts.read",
            "carts.write",
            "orders.read",
            "orders.write",
            "catalog.read",
            "prices.read",
            "channels.read",
            "locations.read",
            "locations.write_own",
            "customers.read",
            "customers.write",
            "inventory.read",
            "inventory.write_own",
            "promotions.read",
            "payments.read",
            "payments.write",
            "registers.operate",
            "loyalty.read",
            "loyalty.manage",
        }
    ),
    "associate": frozenset(
        {
            "carts.read",
            "carts.write",
            "orders.read",
            "orders.write",
            "catalog.read",
            "prices.read",
            "channels.read",
            "locations.read",
            "customers.read",
            "customers.write",
            "inventory.read",
            "promotions.read",
            "registers.operate",
            "loyalty.read",
        }
    ),
    "agent": frozenset(
        {
            "carts.read",
            "carts.write",
            "orders.read",
            "orders.write",
            "catalog.read",
            "prices.read",
            "channels.read",
            "locations.read",
            "customers.read",
            "customers.write",
            "inventory.read",
            "promotions.read",
            "payments.read",
            "loyalty.read",
            "loyalty.manage",
        }
    ),
    "analyst": frozenset(
        {
            "orders.read",
            "catalog.read",
            "prices.read",
            "channels.read",
            "locations.read",
            "inventory.read",
            "analytics.read",
            "catalog.export",
            "prices.export",
            "locations.export",
            "promotions.read",
            "taxes.read",
            "sourcing.read",
        }
    ),
}

STORE_SCOPED_ROLES = frozenset({"store_manager", "associate"})

# Every permission an API client may be granted (its scopes) — the union of the roles'.
ALL_PERMISSIONS: frozenset[str] = frozenset(
    {
        *(p for perms in ROLES.values() for p in perms if p != "*"),
        "staff.manage",
        "clients.manage",
        "audit.read",
        "customers.export",
        "customers.import",
        "channels.write",
    }
)


def role_permissions(roles: frozenset[str]) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLES.get(role, frozenset())
    return frozenset(granted)


def has_permission(actor: Actor, permission: str) -> bool:
    if actor.kind is ActorKind.SYSTEM:
        return True
    if actor.kind is ActorKind.API_CLIENT:
        return permission in actor.scopes
    if actor.kind is ActorKind.STAFF:
        granted = role_permissions(actor.roles)
        return "*" in granted or permission in granted
    return False


def is_store_scoped(actor: Actor) -> bool:
    """Staff whose every role is store-scoped act only in their stores."""
    return actor.is_staff and bool(actor.roles) and actor.roles <= STORE_SCOPED_ROLES


def can_act_in_store(actor: Actor, location_id: str) -> bool:
    if not is_store_scoped(actor):
        return actor.kind in (ActorKind.STAFF, ActorKind.API_CLIENT, ActorKind.SYSTEM)
    return location_id in actor.store_ids
