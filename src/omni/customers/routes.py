"""HTTP endpoints: /customers — profiles, identities, addresses (CUS1).

Staff with ``customers.read``/``customers.write`` act on any profile. Signed-in
shoppers use the same endpoints on their own profile only; see ``_own_profile_only``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Response
from sqlalchemy.ext.asyncio import AsyncSession

from omni.customers import addresses, identities, queries, service
from omni.customers.schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    CustomerSummaryOut,
    CustomerView,
    IdentityIn,
    IdentityOut,
    StaffCustomerOut,
)
from omni.customers.service import NOT_FOUND
from omni.db.database import Database
from omni.http.deps import Access, DbDep, ReaderDep
from omni.http.etag import parse_if_match, set_etag
from omni.http.pagination import Page, PageParams, make_page, page_params
from omni.http.router import new_router
from omni.kernel.actor import Actor
from omni.kernel.errors import NotFound

router = new_router("/customers", ["customers"])
PageDep = Annotated[PageParams, Depends(page_params)]
IfMatch = Annotated[str | None, Header(description="ETag of the profile you read")]
Identifier = Annotated[str | None, Query(max_length=254)]


def _own_profile_only(actor: Actor, customer_id: str) -> None:
    """Shoppers may act on their own profile only.

    Any other id answers 404, exactly like an id that does not exist, so a shopper
    cannot learn which customer ids exist. Staff passed ``Access`` by permission.
    """
    if actor.is_customer and actor.id != customer_id:
        raise NotFound(NOT_FOUND)


async def _view(db: Database, customer_id: str, actor: Actor, response: Response) -> CustomerOut:
    """The profile as this caller may see it (no staff note for shoppers), with its ETag.

    Read after the command committed, in a fresh reader, so it shows what was stored.
    """
    async with db.reader() as session:
        detail = await queries.get_customer(session, customer_id)
    if detail is None:
        raise NotFound(NOT_FOUND)
    set_etag(response, detail.customer.version)
    model = CustomerOut if actor.is_customer else StaffCustomerOut
    fields = {
        name: getattr(detail.customer, name)
        for name in model.model_fields
        if name not in ("identities", "addresses")
    }
    return model(
        **fields,
        identities=[IdentityOut.model_validate(i) for i in detail.identities],
        addresses=[AddressOut.model_validate(a) for a in detail.addresses],
    )


@router.post(
    "", summary="Create a customer profile", status_code=201, response_model=StaffCustomerOut
)
async def create_customer(
    body: CustomerIn, db: DbDep, response: Response, actor: Actor = Access("customers.write")
) -> CustomerOut:
    customer_id = await service.add_customer(db.uow(actor), body)
    response.headers["Location"] = f"{router.prefix}/{customer_id}"
    return await _view(db, customer_id, actor, response)


@router.get("", summary="Find customers", response_model=Page[CustomerSummaryOut])
async def search_customers(
    session: ReaderDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100, description="Start of first/last name")] = None,
    email: Identifier = None,
    phone: Annotated[str | None, Query(max_length=32)] = None,
    loyalty_card: Annotated[str | None, Query(max_length=32)] = None,
    app_device_id: Identifier = None,
    actor: Actor = Access("customers.read"),
) -> Page[CustomerSummaryOut]:
    search = queries.CustomerSearch(
        q=q, email=email, phone=phone, loyalty_card=loyalty_card, app_device_id=app_device_id
    )
    found = await queries.search_customers(session, search, page)
    rows = [CustomerSummaryOut.model_validate(c) for c in found]
    return make_page(rows, page, key=lambda c: c.id)


@router.get("/me", summary="My profile (shoppers)", response_model=CustomerOut)
async def my_profile(
    db: DbDep, response: Response, actor: Actor = Access(customers=True)
) -> CustomerOut:
    assert actor.id is not None  # a signed-in shopper always has their customer id
    return await _view(db, actor.id, actor, response)


@router.get("/{customer_id}", summary="A customer profile", response_model=CustomerView)
async def get_customer(
    customer_id: str,
    db: DbDep,
    response: Response,
    actor: Actor = Access("customers.read", customers=True),
) -> CustomerOut:
    _own_profile_only(actor, customer_id)
    return await _view(db, customer_id, actor, response)


@router.patch("/{customer_id}", summary="Change a customer profile", response_model=CustomerView)
async def update_customer(
    customer_id: str,
    body: CustomerPatch,
    db: DbDep,
    response: Response,
    if_match: IfMatch = None,
    actor: Actor = Access("customers.write", customers=True),
) -> CustomerOut:
    _own_profile_only(actor, customer_id)
    await service.update_customer(
        db.uow(actor), customer_id, body, if_match=parse_if_match(if_match)
    )
    return await _view(db, customer_id, actor, response)


@router.post(
    "/{customer_id}/identities",
    summary="Add an identifier (email, phone, loyalty card, app device, social)",
    status_code=201,
    response_model=IdentityOut,
)
async def add_identity(
    customer_id: str,
    body: IdentityIn,
    db: DbDep,
    session: ReaderDep,
    actor: Actor = Access("customers.write", customers=True),
) -> IdentityOut:
    _own_profile_only(actor, customer_id)
    identity_id = await identities.add_identity(db.uow(actor), customer_id, body)
    identity = await queries.get_identity(session, customer_id, identity_id)
    if identity is None:  # removed by a concurrent request since
        raise NotFound("No such identity on this customer.")
    return IdentityOut.model_validate(identity)


@router.delete(
    "/{customer_id}/identities/{identity_id}", summary="Remove an identifier", status_code=204
)
async def remove_identity(
    customer_id: str,
    identity_id: str,
    db: DbDep,
    actor: Actor = Access("customers.write", customers=True),
) -> Response:
    _own_profile_only(actor, customer_id)
    await identities.remove_identity(db.uow(actor), customer_id, identity_id)
    return Response(status_code=204)


@router.post(
    "/{customer_id}/addresses",
    summary="Add an address",
    status_code=201,
    response_model=AddressOut,
)
async def add_address(
    customer_id: str,
    body: AddressIn,
    db: DbDep,
    session: ReaderDep,
    actor: Actor = Access("customers.write", customers=True),
) -> AddressOut:
    _own_profile_only(actor, customer_id)
    address_id = await addresses.add_address(db.uow(actor), customer_id, body)
    return await _address_out(session, customer_id, address_id)


@router.patch(
    "/{customer_id}/addresses/{address_id}", summary="Change an address", response_model=AddressOut
)
async def update_address(
    customer_id: str,
    address_id: str,
    body: AddressPatch,
    db: DbDep,
    session: ReaderDep,
    actor: Actor = Access("customers.write", customers=True),
) -> AddressOut:
    _own_profile_only(actor, customer_id)
    await addresses.update_address(db.uow(actor), customer_id, address_id, body)
    return await _address_out(session, customer_id, address_id)


@router.delete(
    "/{customer_id}/addresses/{address_id}", summary="Remove an address", status_code=204
)
async def remove_address(
    customer_id: str,
    address_id: str,
    db: DbDep,
    actor: Actor = Access("customers.write", customers=True),
) -> Response:
    _own_profile_only(actor, customer_id)
    await addresses.remove_address(db.uow(actor), customer_id, address_id)
    return Response(status_code=204)


async def _address_out(session: AsyncSession, customer_id: str, address_id: str) -> AddressOut:
    address = await queries.get_address(session, customer_id, address_id)
    if address is None:
        raise NotFound("No such address on this customer.")
    return AddressOut.model_validate(address)
