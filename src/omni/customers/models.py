"""Tables owned by the customers module."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from omni.db.base import Base


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # Search keys for name-prefix lookup at the till: case- and accent-folded
    # ("Müller" → "muller"), so a plain indexed LIKE 'prefix%' finds them on every backend.
    first_name_key: Mapped[str] = mapped_column(String(100), default="")
    last_name_key: Mapped[str] = mapped_column(String(100), default="")
    # Primary contact points, normalized (lower-case email, E.164 phone); identities
    # below hold every identifier the person is known by.
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[date | None] = mapped_column(Date)
    locale: Mapped[str | None] = mapped_column(String(16))
    preferred_store_id: Mapped[str | None] = mapped_column(String(32))
    # {"email": bool, "sms": bool, "push": bool, "post": bool} — marketing permissions.
    communication: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_channel_id: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_customers_email", "email"),
        Index("ix_customers_phone", "phone"),
        Index("ix_customers_last_name", "last_name", "first_name"),
        # text_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' under any collation.
        Index(
            "ix_customers_last_name_key",
            "last_name_key",
            postgresql_ops={"last_name_key": "text_pattern_ops"},
        ),
        Index(
            "ix_customers_first_name_key",
            "first_name_key",
            postgresql_ops={"first_name_key": "text_pattern_ops"},
        ),
    )


class CustomerIdentity(Base):
    """An identifier the person is known by in some channel."""

    __tablename__ = "customer_identities"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    # email | phone | loyalty_card | app_device | social
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(254))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_customer_identities_lookup", "kind", "value"),
        Index("ix_customer_identities_customer", "customer_id"),
        # A verified identifier belongs to one person; unverified ones may repeat
        # (real data has duplicates until identity resolution merges them).
        Index(
            "uq_customer_identities_verified",
            "kind",
            "value",
            unique=True,
            sqlite_where=text("verified"),
            postgresql_where=text("verified"),
        ),
    )


class CustomerAddress(Base):
    __tablename__ = "customer_addresses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    label: Mapped[str | None] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(200))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(20))
    is_default_shipping: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default_billing: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_customer_addresses_customer", "customer_id"),
        # At most one default shipping and one default billing address per customer; the
        # service switches defaults in one transaction, these indexes make a lost race
        # fail instead of leaving two defaults.
        Index(
            "uq_customer_addresses_default_shipping",
            "customer_id",
            unique=True,
            sqlite_where=text("is_default_shipping"),
            postgresql_where=text("is_default_shipping"),
        ),
        Index(
            "uq_customer_addresses_default_billing",
            "customer_id",
            unique=True,
            sqlite_where=text("is_default_billing"),
            postgresql_where=text("is_default_billing"),
        ),
    )
