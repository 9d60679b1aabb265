"""Use cases: add and remove the identifiers a person is known by in each channel."""

from __future__ import annotations

from sqlalchemy import select, update

from omni.customers import domain
from omni.customers.events import CustomerUpdated
from omni.customers.models import Customer, CustomerIdentity
from omni.customers.schemas import IdentityIn
from omni.customers.service import (
    attach_identity,
    detach_identity,
    invalid,
    lock_customer,
    unique_clash_is_conflict,
)
from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, Forbidden, NotFound

# Identity kinds mirrored by a column of the profile (its primary email and phone).
PRIMARY_KINDS = ("email", "phone")


async def add_identity(uow: UnitOfWork, customer_id: str, data: IdentityIn) -> str:
    """Add an identifier; the id of the new identity.

    Only staff (and API clients) may vouch for an identifier (``verified``): a shopper
    could otherwise claim someone else's loyalty card or email as proven theirs.
    """
    if data.verified and uow.actor.is_customer:
        raise Forbidden("Only staff can mark an identity verified.", field="verified")
    try:
        value = domain.normalize_identity(data.kind, data.value)
    except domain.InvalidCustomerData as error:
        raise invalid(error) from error
    async with uow:
        await lock_customer(uow, customer_id, None)
        with unique_clash_is_conflict():
            identity = await attach_identity(
                uow, customer_id, data.kind, value, verified=data.verified
            )
            if identity is None:
                raise Conflict("This profile already has this identifier.", field="value")
            await _fill_empty_primary(uow, customer_id, data.kind, value)
            uow.audit(
                "customer.identity_added",
                "customer",
                customer_id,
                {"identity_id": identity.id, "kind": data.kind, "verified": data.verified},
            )
            await uow.commit()
    return identity.id


async def remove_identity(uow: UnitOfWork, customer_id: str, identity_id: str) -> None:
    """Remove an identifier; a verified one only by staff (it proves who the person is)."""
    async with uow:
        await lock_customer(uow, customer_id, None)
        identity = await uow.session.scalar(
            select(CustomerIdentity).where(
                CustomerIdentity.id == identity_id, CustomerIdentity.customer_id == customer_id
            )
        )
        if identity is None:
            raise NotFound("No such identity on this customer.")
        if identity.verified and uow.actor.is_customer:
            raise Forbidden("A verified identity can only be removed by staff.")
        await detach_identity(uow, identity)
        await _clear_primary(uow, customer_id, identity.kind, identity.value)
        uow.audit(
            "customer.identity_removed",
            "customer",
            customer_id,
            {"identity_id": identity.id, "kind": identity.kind},
        )
        await uow.commit()


async def _fill_empty_primary(uow: UnitOfWork, customer_id: str, kind: str, value: str) -> None:
    """A profile without a primary email/phone takes the first one added."""
    if kind not in PRIMARY_KINDS:
        return
    column = getattr(Customer, kind)
    filled = await uow.session.execute(
        update(Customer)
        .where(Customer.id == customer_id, column.is_(None))
        .values({kind: value})
        .execution_options(synchronize_session=False)
    )
    if filled.rowcount:  # type: ignore[attr-defined]
        uow.record(CustomerUpdated(customer_id=customer_id, fields=[kind]))


async def _clear_primary(uow: UnitOfWork, customer_id: str, kind: str, value: str) -> None:
    """Removing the identity behind the primary email/phone removes that primary too."""
    if kind not in PRIMARY_KINDS:
        return
    column = getattr(Customer, kind)
    cleared = await uow.session.execute(
        update(Customer)
        .where(Customer.id == customer_id, column == value)
        .values({kind: None})
        .execution_options(synchronize_session=False)
    )
    if cleared.rowcount:  # type: ignore[attr-defined]
        uow.record(CustomerUpdated(customer_id=customer_id, fields=[kind]))
