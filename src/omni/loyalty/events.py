"""Facts the loyalty module publishes. Never a gift card code: at most its last four."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omni.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class LedgerEntryPosted(Event):
    """Balances moved: an issue, a top-up, a redemption, a refund, points earned."""

    name = "loyalty.entry_posted"
    entry_id: str
    kind: str
    unit: str
    source_type: str
    source_id: str
    order_id: str | None
    payment_id: str | None
    postings: list[dict[str, Any]]  # [{account_id, amount}]


@dataclass(frozen=True, kw_only=True)
class GiftCardIssued(Event):
    name = "loyalty.gift_card_issued"
    card_id: str
    shown: str  # the code's last four characters
    form: str
    unit: str
    amount: int
    customer_id: str | None


@dataclass(frozen=True, kw_only=True)
class GiftCardStatusChanged(Event):
    name = "loyalty.gift_card_status_changed"
    card_id: str
    status: str  # active | blocked
