"""What other modules may call in the customers module.

Callers get plain values (ids, frozen dataclasses), never ORM objects, and functions
taking a unit of work add to it without committing: the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.customers import domain
from omni.customers.bulk import (
    EXPORT_COLUMNS,
    IMPORT_COLUMNS,
    FieldError,
    ImportReport,
    export_rows,
    import_customers,
    validate_customer_row,
)
from omni.customers.models import Customer, CustomerIdentity
from omni.customers.service import NewCustomer, create_customer
from omni.db.uow import UnitOfWork
from omni.kernel.errors import InvalidInput

__all__ = [
    "EXPORT_COLUMNS",
    "IMPORT_COLUMNS",
    "CustomerSummary",
    "FieldError",
    "ImportReport",
    "NewCustomer",
    "create_customer",
    "customer_exists",
    "export_rows",
    "find_by_identity",
    "get_customer_summary",
    "import_customers",
    "register_shopper",
    "validate_customer_row",
]


@dataclass(frozen=True)
class CustomerSummary:
    """Who a customer is, for other modules (orders, loyalty, notifications)."""

    id: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    locale: str | None
    preferred_store_id: str | None
    # Channels the customer opted in to for marketing (email, sms, push, post).
    marketing_channels: frozenset[str]


async def register_shopper(
    uow: UnitOfWork,
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str | None,
    marketing_email_opt_in: bool,
    channel_id: str | None,
) -> str:
    """Create the profile of a shopper signing up; the email is verified by the sign-up."""
    customer = await create_customer(
        uow,
        NewCustomer(
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            communication={"email": marketing_email_opt_in},
            source_channel_id=channel_id,
            verified={"email"},
        ),
    )
    return customer.id


async def customer_exists(session: AsyncSession, customer_id: str) -> bool:
    return await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is not None


async def get_customer_summary(session: AsyncSession, customer_id: str) -> CustomerSummary | None:
    """The customer's summary, or None if there is no such customer. One query."""
    customer = await session.scalar(select(Customer).where(Customer.id == customer_id))
    return None if customer is None else _summary(customer)


async def find_by_identity(session: AsyncSession, kind: str, value: str) -> CustomerSummary | None:
    """The customer known by this identifier (email, phone, loyalty card…), or None.

    The value is normalized first (``+1 555…``, ``Ada@Example.com`` match). A verified
    identifier has one holder; an unverified one may be claimed by several profiles
    until they are merged, and then the oldest profile is returned. A value that is not
    a valid identifier of its kind matches nobody. Raises InvalidInput for an unknown
    kind (a programming error, not user input).
    """
    if kind not in domain.IDENTITY_KINDS:
        raise InvalidInput(f"Unknown identity kind {kind!r}.", field="kind")
    try:
        normalized = domain.normalize_identity(kind, value)
    except domain.InvalidCustomerData:
        return None
    customer = await session.scalar(
        select(Customer)
        .join(CustomerIdentity, CustomerIdentity.customer_id == Customer.id)
        .where(CustomerIdentity.kind == kind, CustomerIdentity.value == normalized)
        .order_by(CustomerIdentity.verified.desc(), Customer.id)
        .limit(1)
    )
    return None if customer is None else _summary(customer)


def _summary(customer: Customer) -> CustomerSummary:
    return CustomerSummary(
        id=customer.id,
        first_name=customer.first_name,
        last_name=customer.last_name,
        email=customer.email,
        phone=customer.phone,
        locale=customer.locale,
        preferred_store_id=customer.preferred_store_id,
        marketing_channels=frozenset(
            channel for channel, allowed in customer.communication.items() if allowed
        ),
    )
