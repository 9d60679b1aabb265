"""``new_router``: every module's APIRouter, with the shared idempotent route class."""

from __future__ import annotations

from enum import Enum

from fastapi import APIRouter

from omni.http.idempotency import IdempotentRoute


def new_router(prefix: str, tags: list[str | Enum]) -> APIRouter:
    return APIRouter(prefix=prefix, tags=tags, route_class=IdempotentRoute)
