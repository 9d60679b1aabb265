"""The refusals of the loyalty module, each with its HTTP status and stable code.

None of them ever carries a gift card code: at most the last four characters."""

from __future__ import annotations

from omni.kernel.errors import Conflict, DomainError, InvalidInput


class InsufficientBalance(Conflict):
    """Raised with ``available`` (what the balance holds) and ``unit``."""

    code = "insufficient_balance"
    title = "Insufficient balance"


class GiftCardUnknown(InvalidInput):
    """Mistyped, never issued, or not ours: one answer for all three."""

    code = "gift_card_unknown"
    title = "Unknown gift card"


class GiftCardBlocked(InvalidInput):
    code = "gift_card_blocked"
    title = "Gift card blocked"


class WrongUnit(InvalidInput):
    """A balance in one currency spent in another (or points spent as money)."""

    code = "stored_value_currency"
    title = "Balance in another currency"


class NotYourBalance(InvalidInput):
    """Store credit or points of a customer other than the order's."""

    code = "stored_value_not_yours"
    title = "Not the order's customer"


class PointsNotWhole(InvalidInput):
    code = "points_amount_not_whole"
    title = "Amount is not a whole number of points"


class RefundExceedsRedemption(Conflict):
    code = "refund_exceeds_redemption"
    title = "More given back than was redeemed"


class IdempotencyKeyMissing(DomainError):
    """Issuing a gift card handles its key itself (its answer is never stored): the
    same 400 as every other route requiring one."""

    code = "idempotency_key_missing"
    title = "Idempotency-Key required"
