"""Request and response models of the customers module.

Identifiers, countries and phones arrive as plain strings and are normalized by the
service (``domain.py``), so every bad value gets the same problem shape with its field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from omni.http.schemas import StrictModel

IdentityKind = Literal["email", "phone", "loyalty_card", "app_device", "social"]
CommunicationChannel = Literal["email", "sms", "push", "post"]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Contact = Annotated[str, Field(min_length=1, max_length=254)]


class CustomerIn(StrictModel):
    """A profile created by staff at the till or the call centre."""

    first_name: Name
    last_name: Name
    email: Contact | None = None
    phone: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    loyalty_card: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    app_device_id: Contact | None = None
    birth_date: date | None = None
    locale: Annotated[str, Field(min_length=2, max_length=16)] | None = None
    preferred_store_id: Annotated[str, Field(max_length=32)] | None = None
    communication: dict[CommunicationChannel, bool] = {}
    note: Annotated[str, Field(max_length=2000)] | None = None


class CustomerPatch(StrictModel):
    """Only the fields sent change; ``null`` clears an optional field.

    ``communication`` merges: ``{"sms": true}`` leaves the other channels as they are.
    """

    first_name: Name | None = None
    last_name: Name | None = None
    email: Contact | None = None
    phone: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    birth_date: date | None = None
    locale: Annotated[str, Field(min_length=2, max_length=16)] | None = None
    preferred_store_id: Annotated[str, Field(max_length=32)] | None = None
    communication: dict[CommunicationChannel, bool] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class IdentityIn(StrictModel):
    kind: IdentityKind
    value: Contact
    verified: bool = Field(
        default=False, description="Proven by the channel (staff and API clients only)."
    )


class IdentityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    value: str
    verified: bool
    channel_id: str | None
    created_at: datetime


class AddressIn(StrictModel):
    label: Annotated[str, Field(max_length=40)] | None = None
    recipient: Annotated[str, Field(min_length=1, max_length=200)]
    line1: Annotated[str, Field(min_length=1, max_length=200)]
    line2: Annotated[str, Field(max_length=200)] | None = None
    city: Annotated[str, Field(min_length=1, max_length=100)]
    region: Annotated[str, Field(max_length=100)] | None = None
    postal_code: Annotated[str, Field(max_length=20)] | None = None
    country: Annotated[str, Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")]
    phone: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    is_default_shipping: bool = False
    is_default_billing: bool = False


class AddressPatch(StrictModel):
    label: Annotated[str, Field(max_length=40)] | None = None
    recipient: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    line1: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    line2: Annotated[str, Field(max_length=200)] | None = None
    city: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    region: Annotated[str, Field(max_length=100)] | None = None
    postal_code: Annotated[str, Field(max_length=20)] | None = None
    country: Annotated[str, Field(min_length=2, max_length=2)] | None = None
    phone: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    is_default_shipping: bool | None = None
    is_default_billing: bool | None = None


class AddressOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    label: str | None
    recipient: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str | None
    country: str
    phone: str | None
    is_default_shipping: bool
    is_default_billing: bool
    created_at: datetime


class CustomerOut(BaseModel):
    """A profile as its owner sees it: everything but the staff note."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    birth_date: date | None
    locale: str | None
    preferred_store_id: str | None
    communication: dict[str, bool]
    source_channel_id: str | None
    created_at: datetime
    updated_at: datetime
    version: int
    identities: list[IdentityOut]
    addresses: list[AddressOut]


class StaffCustomerOut(CustomerOut):
    """A profile as staff see it: with the staff note."""

    note: str | None


# Staff get the note, shoppers never do. Tried left to right: a shopper's view has no
# ``note`` key, so it can only match CustomerOut.
CustomerView = Annotated[StaffCustomerOut | CustomerOut, Field(union_mode="left_to_right")]


class CustomerSummaryOut(BaseModel):
    """One line of a staff search result."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    preferred_store_id: str | None
    created_at: datetime
