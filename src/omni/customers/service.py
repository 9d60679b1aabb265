"""Use cases on the profile itself (create, update) and the building blocks every
profile command shares (locking, identity attach/detach, checks).

``create_customer`` runs inside the caller's unit of work (sign-up, CSV import); the
other commands open, commit and close the unit of work they are given. Identity and
address commands have their own files (``identities.py``, ``addresses.py``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from omni.customers import domain
from omni.customers.events import (
    CustomerCommunicationChanged,
    CustomerCreated,
    CustomerIdentityAdded,
    CustomerIdentityRemoved,
    CustomerUpdated,
)
from omni.customers.models import Customer, CustomerIdentity
from omni.customers.schemas import CustomerIn, CustomerPatch
from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from omni.kernel.ids import new_id
from omni.locations import api as locations_api

NOT_FOUND = "No such customer."
TAKEN = "This {kind} already belongs to another customer."


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


def invalid(error: domain.InvalidCustomerData) -> InvalidInput:
    return InvalidInput(str(error), field=error.field)


def _normalized_profile(new: NewCustomer, today: date) -> dict[str, Any]:
    """The profile's columns, normalized; raises InvalidCustomerData on the first bad one."""
    return {
        "first_name": domain.normalize_name("first_name", new.first_name),
        "last_name": domain.normalize_name("last_name", new.last_name),
        "email": domain.normalize_email(new.email) if new.email else None,
        "phone": domain.normalize_phone(new.phone) if new.phone else None,
        "birth_date": domain.check_birth_date(new.birth_date, today) if new.birth_date else None,
        "locale": domain.normalize_locale(new.locale) if new.locale else None,
        "communication": domain.communication_preferences(new.communication),
    }


def _identities_of(new: NewCustomer, email: str | None, phone: str | None) -> list[tuple[str, str]]:
    given = (
        ("email", email),
        ("phone", phone),
        ("loyalty_card", new.loyalty_card),
        ("app_device", new.app_device_id),
    )
    return [(kind, domain.normalize_identity(kind, value)) for kind, value in given if value]


async def create_customer(uow: UnitOfWork, new: NewCustomer) -> Customer:
    """Add a profile with its identities, in the caller's unit of work (no commit).

    Everything is checked before anything is added, so a refused profile leaves the
    session clean: an importer can report the row and carry on with the next one.
    """
    try:
        profile = _normalized_profile(new, uow.clock.now().date())
        identities = _identities_of(new, profile["email"], profile["phone"])
    except domain.InvalidCustomerData as error:
        raise invalid(error) from error
    await check_store(uow, new.preferred_store_id)
    for kind, value in identities:
        await ensure_identity_free(uow, kind, value)
    now = uow.clock.now()
    customer = Customer(
        id=new_id("cus"),
        **profile,
        first_name_key=domain.name_key(profile["first_name"]),
        last_name_key=domain.name_key(profile["last_name"]),
        preferred_store_id=new.preferred_store_id,
        source_channel_id=new.source_channel_id,
        note=new.note,
        created_at=now,
        updated_at=now,
        version=1,
    )
    uow.session.add(customer)
    for kind, value in identities:
        verified = kind in new.verified
        uow.session.add(
            new_identity(uow, customer.id, kind, value, verified, new.source_channel_id)
        )
    await uow.flush()
    uow.record(CustomerCreated(customer_id=customer.id, channel_id=new.source_channel_id))
    uow.audit(
        "customer.created", "customer", customer.id, {"source_channel_id": new.source_channel_id}
    )
    return customer


def new_identity(
    uow: UnitOfWork, customer_id: str, kind: str, value: str, verified: bool, channel_id: str | None
) -> CustomerIdentity:
    return CustomerIdentity(
        id=new_id("cid"),
        customer_id=customer_id,
        kind=kind,
        value=value,
        verified=verified,
        channel_id=channel_id,
        created_at=uow.clock.now(),
    )


async def check_store(uow: UnitOfWork, store_id: str | None) -> None:
    if store_id and not await locations_api.location_exists(uow.session, store_id):
        raise InvalidInput(f"Unknown store {store_id}.", field="preferred_store_id")


async def ensure_identity_free(
    uow: UnitOfWork, kind: str, value: str, *, owner: str | None = None
) -> None:
    """Refuse an identifier someone else has proven theirs (verified): it is theirs.

    Unverified claims may repeat across profiles; identity resolution merges them later.
    """
    holder = await uow.session.scalar(
        select(CustomerIdentity.customer_id).where(
            CustomerIdentity.kind == kind,
            CustomerIdentity.value == value,
            CustomerIdentity.verified,
        )
    )
    if holder is not None and holder != owner:
        raise Conflict(TAKEN.format(kind=kind.replace("_", " ")), field=kind)


@contextlib.contextmanager
def unique_clash_is_conflict() -> Iterator[None]:
    """A verified identifier or default address taken by a concurrent request (unique
    index) is a 409, like the same clash found by our own checks."""
    try:
        yield
    except IntegrityError as error:
        raise Conflict("A concurrent change conflicts with this one; retry.") from error


async def lock_customer(uow: UnitOfWork, customer_id: str, expected_version: int | None) -> int:
    """Bump the profile's version first, as one conditional UPDATE.

    Every change to a profile (its identities and addresses included) goes through
    here: the ETag covers the whole profile, and on PostgreSQL the UPDATE takes the
    row lock, so concurrent changes to one profile run one after the other (two new
    default addresses cannot both win). Returns the new version.
    """
    query = update(Customer).where(Customer.id == customer_id)
    if expected_version is not None:
        query = query.where(Customer.version == expected_version)
    bumped = await uow.session.scalar(
        query.values(version=Customer.version + 1, updated_at=uow.clock.now()).returning(
            Customer.version
        )
    )
    if bumped is not None:
        return int(bumped)
    current = await uow.session.scalar(select(Customer.version).where(Customer.id == customer_id))
    if current is None:
        raise NotFound(NOT_FOUND)
    raise PreconditionFailed(
        "The customer changed since you read it.", current_etag=f'"v{current}"'
    )


async def attach_identity(
    uow: UnitOfWork, customer_id: str, kind: str, value: str, *, verified: bool
) -> CustomerIdentity | None:
    """Add a normalized identifier to a profile; None if the profile already has it."""
    existing = await uow.session.scalar(
        select(CustomerIdentity.id).where(
            CustomerIdentity.customer_id == customer_id,
            CustomerIdentity.kind == kind,
            CustomerIdentity.value == value,
        )
    )
    if existing is not None:
        return None
    await ensure_identity_free(uow, kind, value, owner=customer_id)
    identity = new_identity(uow, customer_id, kind, value, verified, uow.actor.channel)
    uow.session.add(identity)
    uow.record(
        CustomerIdentityAdded(
            customer_id=customer_id, identity_id=identity.id, kind=kind, verified=verified
        )
    )
    return identity


async def detach_identity(uow: UnitOfWork, identity: CustomerIdentity) -> None:
    await uow.session.delete(identity)
    uow.record(
        CustomerIdentityRemoved(
            customer_id=identity.customer_id, identity_id=identity.id, kind=identity.kind
        )
    )


async def add_customer(uow: UnitOfWork, data: CustomerIn) -> str:
    """Staff create a profile (till, call centre); the id of the new profile."""
    new = NewCustomer(**data.model_dump(), source_channel_id=uow.actor.channel)
    async with uow:
        with unique_clash_is_conflict():
            customer = await create_customer(uow, new)
            await uow.commit()
    return customer.id


async def update_customer(
    uow: UnitOfWork, customer_id: str, patch: CustomerPatch, *, if_match: int | None
) -> None:
    """Change profile fields; primary email and phone keep their identities in step."""
    changes = patch.model_dump(exclude_unset=True)
    if "note" in changes and uow.actor.is_customer:
        raise Forbidden("The note is for staff; shoppers cannot set it.", field="note")
    async with uow:
        await lock_customer(uow, customer_id, if_match)
        customer = await uow.session.get(Customer, customer_id)
        assert customer is not None  # lock_customer found it
        values = await _checked_changes(uow, customer, changes)
        changed = sorted(name for name, value in values.items() if getattr(customer, name) != value)
        if not changed:
            return  # leaving without commit undoes the version bump: the ETag stays valid
        await _sync_primary(uow, customer, "email", values)
        await _sync_primary(uow, customer, "phone", values)
        _record_changes(uow, customer, values, changed)
        for name in changed:
            setattr(customer, name, values[name])
        customer.first_name_key = domain.name_key(customer.first_name)
        customer.last_name_key = domain.name_key(customer.last_name)
        with unique_clash_is_conflict():
            await uow.commit()


async def _checked_changes(
    uow: UnitOfWork, customer: Customer, changes: dict[str, Any]
) -> dict[str, Any]:
    """The requested changes, validated and normalized; communication merged."""
    for name in ("first_name", "last_name", "communication"):
        if name in changes and changes[name] is None:
            raise InvalidInput(f"{name} cannot be null.", field=name)
    normalizers: dict[str, Any] = {
        "first_name": lambda v: domain.normalize_name("first_name", v),
        "last_name": lambda v: domain.normalize_name("last_name", v),
        "email": domain.normalize_email,
        "phone": domain.normalize_phone,
        "locale": domain.normalize_locale,
        "birth_date": lambda v: domain.check_birth_date(v, uow.clock.now().date()),
        "communication": lambda v: domain.communication_preferences(
            {**customer.communication, **v}
        ),
    }
    try:
        values = {
            name: normalizers[name](value) if value is not None and name in normalizers else value
            for name, value in changes.items()
        }
    except domain.InvalidCustomerData as error:
        raise invalid(error) from error
    if values.get("preferred_store_id") != customer.preferred_store_id:
        await check_store(uow, values.get("preferred_store_id"))
    return values


async def _sync_primary(
    uow: UnitOfWork, customer: Customer, kind: str, values: dict[str, Any]
) -> None:
    """Mirror a new primary email/phone in the identities.

    The new value becomes an (unverified) identity unless the profile already has it.
    The old value's identity goes if it was unverified (it only mirrored the field); a
    verified one stays, because it still proves who this person is (e.g. sign-in email).
    """
    old, new = getattr(customer, kind), values.get(kind, getattr(customer, kind))
    if old == new:
        return
    if new is not None:
        await attach_identity(uow, customer.id, kind, new, verified=False)
    if old is not None:
        mirrors = await uow.session.scalars(
            select(CustomerIdentity).where(
                CustomerIdentity.customer_id == customer.id,
                CustomerIdentity.kind == kind,
                CustomerIdentity.value == old,
                ~CustomerIdentity.verified,
            )
        )
        for identity in mirrors:
            await detach_identity(uow, identity)


def _record_changes(
    uow: UnitOfWork, customer: Customer, values: dict[str, Any], changed: list[str]
) -> None:
    if not changed:
        return
    uow.record(CustomerUpdated(customer_id=customer.id, fields=changed))
    audit: dict[str, Any] = {"fields": changed}
    if "communication" in changed:
        # Consent changes are kept with their values: who opted in/out of what, and when.
        audit["communication"] = values["communication"]
        uow.record(
            CustomerCommunicationChanged(
                customer_id=customer.id, communication=values["communication"]
            )
        )
    uow.audit("customer.updated", "customer", customer.id, audit)
