"""Read side: staff lookup at the till / service desk, and one profile in full."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.customers import domain
from omni.customers.models import Customer, CustomerAddress, CustomerIdentity
from omni.http.pagination import PageParams
from omni.kernel.errors import InvalidInput

MAX_NAME_TERMS = 4
CustomerQuery = Select[Customer]


@dataclass(frozen=True)
class CustomerDetail:
    customer: Customer
    identities: list[CustomerIdentity]
    addresses: list[CustomerAddress]


@dataclass(frozen=True)
class CustomerSearch:
    """Filters combine with AND. Identifiers match exactly after normalization; ``q``
    matches the start of the first or last name (each word of it, in any order)."""

    q: str | None = None
    email: str | None = None
    phone: str | None = None
    loyalty_card: str | None = None
    app_device_id: str | None = None


async def get_customer(session: AsyncSession, customer_id: str) -> CustomerDetail | None:
    """A profile with its identities and addresses: three indexed queries, whatever the size."""
    customer = await session.get(Customer, customer_id, populate_existing=True)
    if customer is None:
        return None
    identities = await session.scalars(
        select(CustomerIdentity)
        .where(CustomerIdentity.customer_id == customer_id)
        .order_by(CustomerIdentity.id)
    )
    addresses = await session.scalars(
        select(CustomerAddress)
        .where(CustomerAddress.customer_id == customer_id)
        .order_by(CustomerAddress.id)
    )
    return CustomerDetail(customer, list(identities), list(addresses))


async def get_identity(
    session: AsyncSession, customer_id: str, identity_id: str
) -> CustomerIdentity | None:
    return await session.scalar(
        select(CustomerIdentity).where(
            CustomerIdentity.id == identity_id, CustomerIdentity.customer_id == customer_id
        )
    )


async def get_address(
    session: AsyncSession, customer_id: str, address_id: str
) -> CustomerAddress | None:
    return await session.scalar(
        select(CustomerAddress).where(
            CustomerAddress.id == address_id, CustomerAddress.customer_id == customer_id
        )
    )


async def search_customers(
    session: AsyncSession, search: CustomerSearch, page: PageParams
) -> list[Customer]:
    """Up to ``page.limit + 1`` profiles after the cursor, in id order (for ``make_page``)."""
    query = select(Customer).order_by(Customer.id).limit(page.limit + 1)
    if page.after is not None:
        if not isinstance(page.after, str):
            raise InvalidInput("The cursor is not one this API issued.", param="cursor")
        query = query.where(Customer.id > page.after)
    query = _with_identity_filters(query, search)
    if search.q:
        query = _with_name_prefix(query, search.q)
    return list(await session.scalars(query))


def _with_identity_filters(query: CustomerQuery, search: CustomerSearch) -> CustomerQuery:
    given = {
        "email": search.email,
        "phone": search.phone,
        "loyalty_card": search.loyalty_card,
        "app_device": search.app_device_id,
    }
    for kind, raw in given.items():
        if not raw:
            continue
        try:
            value = domain.normalize_identity(kind, raw)
        except domain.InvalidCustomerData as error:
            param = "app_device_id" if kind == "app_device" else kind
            raise InvalidInput(str(error), param=param) from error
        holders = select(CustomerIdentity.customer_id).where(
            CustomerIdentity.kind == kind, CustomerIdentity.value == value
        )
        query = query.where(Customer.id.in_(holders))
    return query


def _with_name_prefix(query: CustomerQuery, q: str) -> CustomerQuery:
    """Each word must start the first or the last name: "ada lov" finds Ada Lovelace."""
    terms = [domain.name_key(word) for word in q.split()][:MAX_NAME_TERMS]
    for term in terms:
        pattern = _escape_like(term) + "%"
        query = query.where(
            or_(
                Customer.last_name_key.like(pattern, escape="\\"),
                Customer.first_name_key.like(pattern, escape="\\"),
            )
        )
    return query


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
