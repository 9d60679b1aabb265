"""The shopper's account: sign-in, sign-up and sign-out through the access module (the
same revocable sessions as the API), and "my orders" from every channel.

At sign-in a guest cart is folded into the shopper's cart (ORD1), and the CSRF token is
replaced, so nothing issued before sign-in works after it."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from omni.access import api as access_api
from omni.carts import api as carts_api
from omni.db.database import Database
from omni.http.deps import DbDep
from omni.kernel.errors import DomainError
from omni.orders import api as orders_api
from omni.web.security import rotate_csrf_token
from omni.web.storefront.shop import current_actor, open_shop, page

router = APIRouter()
Email = Annotated[str, Form(min_length=3, max_length=254)]
Password = Annotated[str, Form(min_length=1, max_length=200)]
Name = Annotated[str, Form(min_length=1, max_length=100)]
SIGN_IN_FAILED = "That email and password do not match an account."


@router.get("/account", name="store_account")
async def account(request: Request, db: DbDep) -> Response:
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        if not shop.signed_in or shop.actor.id is None:
            return RedirectResponse(request.url_for("store_sign_in"), status_code=303)
        orders = await orders_api.orders_of_customer(session, shop.actor.id)
        return await page(request, db, session, shop, "storefront/account.html",
                          {"orders": orders})  # fmt: skip


def _local(path: str | None) -> str | None:
    """Where to go after signing in: a path on this site only (no open redirect)."""
    if path and path.startswith("/") and not path.startswith(("//", "/\\")):
        return path
    return None


@router.get("/account/sign-in", name="store_sign_in")
async def sign_in_page(
    request: Request,
    db: DbDep,
    next_path: Annotated[str | None, Query(alias="next", max_length=200)] = None,
) -> Response:
    context = {"next": _local(next_path) or ""}
    return await _form(request, db, "storefront/sign_in.html", context)


@router.get("/account/sign-up", name="store_sign_up")
async def sign_up_page(request: Request, db: DbDep) -> Response:
    return await _form(request, db, "storefront/sign_up.html", {})


async def _form(
    request: Request, db: Database, name: str, context: dict[str, str], status_code: int = 200
) -> Response:
    async with db.reader() as session:
        shop = await open_shop(request, db, session)
        return await page(request, db, session, shop, name, context, status_code)


@router.post("/account/sign-in", name="store_sign_in_post")
async def sign_in(
    request: Request,
    db: DbDep,
    email: Email,
    password: Password,
    next_path: Annotated[str, Form(alias="next", max_length=200)] = "",
) -> Response:
    try:
        issued = await access_api.sign_in(db, email=email, password=password, staff=False)
    except DomainError:
        context = {"error": SIGN_IN_FAILED, "email": email, "next": _local(next_path) or ""}
        return await _form(request, db, "storefront/sign_in.html", context, status_code=401)
    await _start_session(request, db, issued.token)
    target = _local(next_path) or request.url_for("store_account").path
    return RedirectResponse(target, status_code=303)


@router.post("/account/sign-up", name="store_sign_up_post")
async def sign_up(
    request: Request,
    db: DbDep,
    email: Email,
    password: Password,
    first_name: Name,
    last_name: Name,
) -> Response:
    try:
        issued = await access_api.sign_up(
            db, await current_actor(request, db), email=email, password=password,
            first_name=first_name, last_name=last_name, phone=None,
            marketing_email_opt_in=False,
        )  # fmt: skip
    except DomainError as error:
        context = {"error": error.detail, "email": email, "first_name": first_name,
                   "last_name": last_name}  # fmt: skip
        return await _form(request, db, "storefront/sign_up.html", context, error.status)
    await _start_session(request, db, issued.token)
    return RedirectResponse(request.url_for("store_account"), status_code=303)


async def _start_session(request: Request, db: Database, token: str) -> None:
    """Signed in: keep the access session's token, fold the guest cart in, new CSRF token."""
    request.session["auth"] = token
    rotate_csrf_token(request)
    guest_token = request.session.pop("guest", None)
    request.session.pop("cart", None)
    actor = await current_actor(request, db)
    if isinstance(guest_token, str) and actor.is_customer:
        # The guest cart may have been ordered or swept meanwhile: nothing to fold in then.
        with contextlib.suppress(DomainError):
            await carts_api.merge_guest_cart(db.uow(actor), carts_api.Caller(actor), guest_token)


@router.post("/account/sign-out", name="store_sign_out")
async def sign_out(request: Request, db: DbDep) -> Response:
    token = request.session.get("auth")
    if isinstance(token, str):
        await access_api.sign_out(db, token)
    request.session.clear()
    rotate_csrf_token(request)
    return RedirectResponse(request.url_for("store_home"), status_code=303)
