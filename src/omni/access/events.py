"""Facts the access module publishes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(Event):
    """Carries the one-time token for the notifier; never published outside Omni."""

    name = "access.password_reset_requested"
    internal: ClassVar[bool] = True
    principal_kind: str
    principal_id: str
    email: str
    token: str
    expires_at: str


@dataclass(frozen=True, kw_only=True)
class ShopperSignedUp(Event):
    name = "access.shopper_signed_up"
    customer_id: str
