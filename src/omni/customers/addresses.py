"""Use cases: a customer's addresses, with one default shipping and one default billing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from omni.customers import domain
from omni.customers.events import (
    CustomerAddressAdded,
    CustomerAddressRemoved,
    CustomerAddressUpdated,
)
from omni.customers.models import CustomerAddress
from omni.customers.schemas import AddressIn, AddressPatch
from omni.customers.service import invalid, lock_customer, unique_clash_is_conflict
from omni.db.uow import UnitOfWork
from omni.kernel.errors import InvalidInput, NotFound
from omni.kernel.ids import new_id

MAX_ADDRESSES = 50
REQUIRED = ("recipient", "line1", "city", "country", "is_default_shipping", "is_default_billing")
DEFAULT_FLAGS = ("is_default_shipping", "is_default_billing")


def _normalized(values: dict[str, Any]) -> dict[str, Any]:
    """Country as ISO alpha-2; the phone in E.164, read in the address's own country."""
    try:
        country = domain.normalize_country(values["country"])
        phone = domain.normalize_phone(values["phone"], country) if values.get("phone") else None
    except domain.InvalidCustomerData as error:
        raise invalid(error) from error
    return {**values, "country": country, "phone": phone}


async def add_address(uow: UnitOfWork, customer_id: str, data: AddressIn) -> str:
    """Add an address; the id of the new address."""
    values = _normalized(data.model_dump())
    async with uow:
        await lock_customer(uow, customer_id, None)
        count = await uow.session.scalar(
            select(func.count())
            .select_from(CustomerAddress)
            .where(CustomerAddress.customer_id == customer_id)
        )
        if (count or 0) >= MAX_ADDRESSES:
            raise InvalidInput(f"A customer has at most {MAX_ADDRESSES} addresses.")
        address = CustomerAddress(
            id=new_id("adr"), customer_id=customer_id, created_at=uow.clock.now(), **values
        )
        with unique_clash_is_conflict():
            await _take_defaults(uow, customer_id, address.id, values)
            uow.session.add(address)
            uow.record(CustomerAddressAdded(customer_id=customer_id, address_id=address.id))
            uow.audit("customer.address_added", "customer", customer_id, {"address_id": address.id})
            await uow.commit()
    return address.id


async def update_address(
    uow: UnitOfWork, customer_id: str, address_id: str, patch: AddressPatch
) -> None:
    changes = patch.model_dump(exclude_unset=True)
    nulled = [name for name in REQUIRED if name in changes and changes[name] is None]
    if nulled:
        raise InvalidInput(f"{nulled[0]} cannot be null.", field=nulled[0])
    async with uow:
        await lock_customer(uow, customer_id, None)
        address = await _address_of(uow, customer_id, address_id)
        current = {name: getattr(address, name) for name in AddressIn.model_fields}
        values = _normalized({**current, **changes})
        changed = sorted(name for name, value in values.items() if current[name] != value)
        if not changed:
            return  # no commit: the profile's version (ETag) stays as it was
        with unique_clash_is_conflict():
            # Before touching the ORM object: the clearing UPDATE autoflushes pending
            # changes, and this address must not be a second default even for a moment.
            await _take_defaults(uow, customer_id, address.id, values)
            for name in changed:
                setattr(address, name, values[name])
            uow.record(
                CustomerAddressUpdated(
                    customer_id=customer_id, address_id=address.id, fields=changed
                )
            )
            uow.audit(
                "customer.address_updated",
                "customer",
                customer_id,
                {"address_id": address.id, "fields": changed},
            )
            await uow.commit()


async def remove_address(uow: UnitOfWork, customer_id: str, address_id: str) -> None:
    async with uow:
        await lock_customer(uow, customer_id, None)
        address = await _address_of(uow, customer_id, address_id)
        await uow.session.delete(address)
        uow.record(CustomerAddressRemoved(customer_id=customer_id, address_id=address.id))
        uow.audit("customer.address_removed", "customer", customer_id, {"address_id": address.id})
        await uow.commit()


async def _address_of(uow: UnitOfWork, customer_id: str, address_id: str) -> CustomerAddress:
    address = await uow.session.scalar(
        select(CustomerAddress).where(
            CustomerAddress.id == address_id, CustomerAddress.customer_id == customer_id
        )
    )
    if address is None:
        raise NotFound("No such address on this customer.")
    return address


async def _take_defaults(
    uow: UnitOfWork, customer_id: str, address_id: str, values: dict[str, Any]
) -> None:
    """Clear the customer's other default for each flag this address takes."""
    for flag in DEFAULT_FLAGS:
        if not values.get(flag):
            continue
        column = getattr(CustomerAddress, flag)
        await uow.session.execute(
            update(CustomerAddress)
            .where(
                CustomerAddress.customer_id == customer_id,
                CustomerAddress.id != address_id,
                column.is_(True),
            )
            .values({flag: False})
        )
