"""The cart page and its changes: the same cart the API and the app use (a signed-in
shopper's cart follows them across devices; a guest's is kept by the session). Every
change posts a form with the CSRF token and comes back to the cart (POST → redirect)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from omni.carts import api as carts_api
from omni.http.deps import DbDep
from omni.kernel.errors import DomainError
from omni.web.storefront.shop import (
    cart_to_change,
    current_cart,
    guest_caller,
    open_shop,
    page,
)

router = APIRouter()
Quantity = Annotated[int, Form(ge=0, le=99)]


@router.get("/cart", name="store_cart")
async def view_cart(request: Request, db: DbDep) -> Response:
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        cart = await current_cart(request, db, session, shop)
        return await page(
            request, db, session, shop, "storefront/cart.html",
            {"cart": cart, "error": request.session.pop("flash_error", None)},
        )  # fmt: skip


@router.post("/cart/lines", name="store_add_to_cart")
async def add_to_cart(
    request: Request,
    db: DbDep,
    variant_id: Annotated[str, Form(max_length=32)],
    quantity: Annotated[int, Form(ge=1, le=99)] = 1,
) -> Response:
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
    try:
        cart_id, caller = await cart_to_change(request, db, shop)
        await carts_api.add_line(db.uow(shop.actor), caller, cart_id, variant_id, quantity)
    except DomainError as error:
        request.session["flash_error"] = error.detail
    return RedirectResponse(request.url_for("store_cart"), status_code=303)


@router.post("/cart/lines/{line_id}", name="store_set_quantity")
async def set_quantity(request: Request, line_id: str, db: DbDep, quantity: Quantity) -> Response:
    """A line's new quantity; 0 (the Remove button) takes it out."""
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        cart = await current_cart(request, db, session, shop)
    if cart is not None:
        caller = shop.caller if shop.signed_in else guest_caller(request)
        try:
            await carts_api.set_quantity(
                db.uow(shop.actor), caller, cart.cart.id, line_id, quantity
            )
        except DomainError as error:
            request.session["flash_error"] = error.detail
    return RedirectResponse(request.url_for("store_cart"), status_code=303)
