"""What other modules may call in the customers module."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omni.customers.models import Customer
from omni.customers.service import NewCustomer, create_customer
from omni.db.uow import UnitOfWork

__all__ = ["NewCustomer", "create_customer", "customer_exists", "register_shopper"]


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
