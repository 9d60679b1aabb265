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
    from omni.loyalty.routes import router as loyalty_router
    from omni.orders.change_routes import router as order_changes_router
    from omni.orders.checkout_routes import router as checkout_router
    from omni.orders.import_routes import router as imports_router
    from omni.orders.pos_routes import router as till_sales_router
    from omni.orders.promise_routes import router as promise_router
    from omni.orders.routes import router as orders_router
    from omni.orders.sourcing_routes import capacity_router
    from omni.orders.sourcing_routes import router as order_sourcing_router
    from omni.payments.register_routes import router as registers_router
    from omni.payments.routes import router as payments_router
    from omni.payments.routes import webhook_router as payment_webhook_router
    from omni.payments.test_provider_routes import router as test_provider_router
    from omni.pricing.routes import router as pricing_router
    from omni.promotions.routes import router as promotions_router
    from omni.sourcing.routes import router as sourcing_router
    from omni.taxes.routes import router as taxes_router

    return [
        access_router,
        access_admin_router,
        customers_router,
        locations_router,
        channels_router,
        *catalog_routers,
        pricing_router,
        promotions_router,
        taxes_router,
        sourcing_router,
        capacity_router,
        integrations_router,
        *inventory_routers,
        transfer_router,
        receiving_router,
        count_router,
        replenishment_router,
        carts_router,
        checkout_router,
        till_sales_router,
        imports_router,
        promise_router,
        order_sourcing_router,
        orders_router,
        order_changes_router,
        payment_webhook_router,
        test_provider_router,
        payments_router,
        registers_router,
        loyalty_router,
    ]


def handler_registry(settings: Settings, database: Database) -> HandlerRegistry:
    from omni.access.events import PasswordResetRequested
    from omni.loyalty import api as loyalty_api
    from omni.notifications.handlers import send_password_reset_email
    from omni.notifications.transports import transport_from_settings
    from omni.orders import handlers as orders
    from omni.orders.events import OrderCancelled, OrderPlaced
    from omni.payments.api import provider_from_settings
    from omni.payments.events import PaymentAuthorized, PaymentFailed, PaymentLinkPaid

    registry = HandlerRegistry()
    transport = transport_from_settings(settings)
    registry.on(
        PasswordResetRequested,
        send_password_reset_email(transport, settings),
        key="notifications.send_password_reset_email",
    )
    registry.on(PaymentAuthorized, orders.place_order_when_payment_authorized)
    registry.on(PaymentLinkPaid, orders.place_order_when_link_paid)
    registry.on(PaymentFailed, orders.cancel_order_when_authorization_fails)
    provider = provider_from_settings(settings, database.clock)
    registry.on(
        OrderCancelled,
        orders.void_payments_of_cancelled_order(database, provider),
        key="orders.void_payments_of_cancelled_order",
    )
    registry.on(OrderCancelled, orders.release_coupons_of_cancelled_order)
    # Gift cards, store credit and points: tenders taken off the loyalty ledger.
    loyalty_api.register_tenders(settings)
    registry.on(OrderPlaced, loyalty_api.award_points_for_order(settings.loyalty_points_per_unit))
    return registry


async def sweep_timed_state(database: Database, settings: Settings) -> None:
    """What time alone changes, run every few seconds (in-process in the embedded
    default, by ``omni worker`` in production): expired cart holds go back to
    availability; carts idle too long are announced as abandoned; orders nobody paid (3-D
    Secure abandoned, payment link ignored) are cancelled; payment operations
    left with an unknown outcome are finished. A failing chore is
    logged and does not stop the others."""
    from omni.carts import api as carts_api
    from omni.inventory import api as inventory_api
    from omni.loyalty import api as loyalty_api
    from omni.orders.unpaid import cancel_unpaid_orders
    from omni.payments import api as payments_api

    chores = {
        "cart hold expiry": lambda: inventory_api.expire_due_holds(database),
        "abandoned carts": lambda: carts_api.mark_abandoned(
            database, settings.cart_abandon_minutes
        ),
        "unpaid orders": lambda: cancel_unpaid_orders(
            database,
            action_minutes=settings.payment_action_minutes,
            link_minutes=settings.payment_link_minutes,
        ),
        "balance-check limits": lambda: loyalty_api.forget_full_buckets(database),
        # Captures, voids and refunds whose outcome is unknown (timeout, crash).
        "payment operations": lambda: payments_api.resume_stale_operations(
            database, payments_api.provider_from_settings(settings, database.clock)
        ),
    }
    for name, chore in chores.items():
        try:
            await chore()
        except Exception:  # keep sweeping through a database blip
            log.exception("%s failed", name)
