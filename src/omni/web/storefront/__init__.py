"""The storefront (UI1) at ``/``: browse, search, product, cart, checkout, account.

Every route below shares one dependency: the CSRF check on unsafe requests."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from omni.web.security import require_csrf
from omni.web.storefront import account, browse, cart, checkout

router = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)
for part in (browse.router, cart.router, checkout.router, account.router):
    router.include_router(part)
