"""Explicit wiring: which routers are mounted and which handlers react to which events.

One place to read to know how the modules are connected at run time.
"""

from __future__ import annotations

from fastapi import APIRouter

from omni.db.dispatcher import HandlerRegistry


def api_routers() -> list[APIRouter]:
    from omni.access.admin_routes import router as access_admin_router
    from omni.access.routes import router as access_router

    return [access_router, access_admin_router]


def handler_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    return registry
