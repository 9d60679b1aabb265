"""Start-up guard: every API route must declare who may call it (``Access(...)``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from omni.http.deps import ACCESS_MARK


def _declares_access(dependant: Dependant) -> bool:
    if dependant.call is not None and hasattr(dependant.call, ACCESS_MARK):
        return True
    return any(_declares_access(sub) for sub in dependant.dependencies)


def api_routes(routers: list[APIRouter]) -> list[APIRoute]:
    return [route for router in routers for route in router.routes if isinstance(route, APIRoute)]


def routes_without_access(routers: list[APIRouter]) -> list[str]:
    return [
        f"{sorted(route.methods or ())} {route.path}"
        for route in api_routes(routers)
        if not _declares_access(route.dependant)
    ]


def access_declaration(route: APIRoute) -> dict[str, object] | None:
    """The ``access(...)`` declaration of a route (used by tests and docs)."""
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        mark = getattr(dependant.call, ACCESS_MARK, None) if dependant.call else None
        if mark is not None:
            return dict(mark)
        stack.extend(dependant.dependencies)
    return None
