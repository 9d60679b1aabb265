"""Use cases of the customers module. Each runs inside the caller's unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from omni.customers import domain
from omni.customers.events import CustomerCreated
from omni.customers.models import Customer, CustomerIdentity
from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, InvalidInput
from omni.kernel.ids import new_id


@dataclass
class NewCustomer:
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    locale: str | None = None
    preferred_store_id: str | None = None
    communication: dict[str, bool] | None = None
    source_channel_id: str | None = None
    note: str | None = None
    # Identifiers proven by the channel (signed-up email, scanned loyalty card).
    verified: set[str] = field(default_factory=set)
    loyalty_card: str | None = None
    app_device_id: str | None = None


def _invalid(error: domain.InvalidCustomerData) -> InvalidInput:
    return InvalidInput(str(error), field=error.field)


async def create_customer(uow: UnitOfWork, new: NewCustomer) -> Customer:
    """Add a profile with its identities; refuses a verified identifier already in use."""
    try:
        email = domain.normalize_email(new.email) if new.email else None
        phone = domain.normalize_phone(new.phone) if new.phone else None
        communication = domain.communication_preferences(new.communication)
        identities = [
            (kind, domain.normalize_identity(kind, value))
            for kind, value in (
                ("email", email),
                ("phone", phone),
                ("loyalty_card", new.loyalty_card),
                ("app_device", new.app_device_id),
            )
            if value
        ]
    except domain.InvalidCustomerData as error:
        raise _invalid(error) from error
    now = uow.clock.now()
    customer = Customer(
        id=new_id("cus"),
        first_name=new.first_name.strip(),
        last_name=new.last_name.strip(),
        email=email,
        phone=phone,
        birth_date=new.birth_date,
        locale=new.locale,
        preferred_store_id=new.preferred_store_id,
        communication=communication,
        source_channel_id=new.source_channel_id,
        note=new.note,
        created_at=now,
        updated_at=now,
        version=1,
    )
    uow.session.add(customer)
    for kind, value in identities:
        verified = kind in new.verified
        if verified:
            await ensure_identity_free(uow, kind, value)
        uow.session.add(
            CustomerIdentity(
                id=new_id("cid"),
                customer_id=customer.id,
                kind=kind,
                value=value,
                verified=verified,
                channel_id=new.source_channel_id,
                created_at=now,
            )
        )
    await uow.flush()
    uow.record(CustomerCreated(customer_id=customer.id, channel_id=new.source_channel_id))
    uow.audit(
        "customer.created", "customer", customer.id, {"source_channel_id": new.source_channel_id}
    )
    return customer


async def ensure_identity_free(
    uow: UnitOfWork, kind: str, value: str, *, owner: str | None = None
) -> None:
    holder = await uow.session.scalar(
        select(CustomerIdentity.customer_id).where(
            CustomerIdentity.kind == kind,
            CustomerIdentity.value == value,
            CustomerIdentity.verified,
        )
    )
    if holder is not None and holder != owner:
        raise Conflict(
            f"This {kind.replace('_', ' ')} already belongs to another customer.", field=kind
        )
