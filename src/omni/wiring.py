"""Explicit wiring: which routers are mounted and which handlers react to which events.

One place to read to know how the modules are connected at run time.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter

from omni.db.database import Database
from omni.db.dispatcher import HandlerRegistry
from omni.settings import Settings

log = logging.getLogger("omni.sweep")


def api_routers() -> list[APIRouter]:
    from omni.access.admin_routes import router as access_admin_router
    from omni.access.routes import router as access_router
    from omni.carts.routes import router as carts_router
    from omni.catalog.routes import routers as catalog_routers
    from omni.channels.routes import router as channels_router
    from omni.customers.routes import router as customers_router
    from omni.integrations.routes import router as integrations_router
    from omni.inventory.count_routes import router as count_router
    from omni.inventory.receiving_routes import router as receiving_router
    from omni.inventory.replenishment_routes import router as replenishment_router
    from omni.inventory.routes import routers as inventory_routers
    from omni.inventory.transfer_routes import router as transfer_router
    from omni.locations.routes import router as locations_router
    from omni.orders.routes import router as orders_router
    from omni.pricing.routes import router as pricing_router

    return [
        access_router,
        access_admin_router,
        customers_router,
        locations_router,
        channels_router,
        *catalog_routers,
        pricing_router,
        integrations_router,
        *inventory_routers,
        transfer_router,
        receiving_router,
        count_router,
        replenishment_router,
        carts_router,
        orders_router,
    ]


def handler_registry(settings: Settings) -> HandlerRegistry:
    from omni.access.events import PasswordResetRequested
    from omni.notifications.handlers import send_password_reset_email
    from omni.notifications.transports import transport_from_settings

    registry = HandlerRegistry()
    transport = transport_from_settings(settings)
    registry.on(
        PasswordResetRequested,
        send_password_reset_email(transport, settings),
        key="notifications.send_password_reset_email",
    )
    return registry


async def sweep_timed_state(database: Database, settings: Settings) -> None:
    """What time alone changes, run every few seconds (in-process in the embedded
    default, by ``omni worker`` in production): expired cart holds go back to
    availability; carts idle too long are announced as abandoned. A failing chore is
    logged and does not stop the others."""
    from omni.carts import api as carts_api
    from omni.inventory import api as inventory_api

    chores = {
        "cart hold expiry": lambda: inventory_api.expire_due_holds(database),
        "abandoned carts": lambda: carts_api.mark_abandoned(
            database, settings.cart_abandon_minutes
        ),
    }
    for name, chore in chores.items():
        try:
            await chore()
        except Exception:  # keep sweeping through a database blip
            log.exception("%s failed", name)
