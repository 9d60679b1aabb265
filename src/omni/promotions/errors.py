"""Errors checkout meets when it counts coupon uses (``api.redeem_coupons``).

All are ``CouponExhausted`` (409): the code can no longer be used by this order, so
checkout evaluates the basket again with it reported unusable and shows the new totals.
"""

from __future__ import annotations

from omni.kernel.errors import Conflict


class CouponExhausted(Conflict):
    """The code's global limit was reached (or it was deactivated) meanwhile."""

    code = "coupon_exhausted"
    title = "Coupon code used up"

    def __init__(self, coupon_code: str, detail: str | None = None) -> None:
        super().__init__(
            detail or f"The coupon code {coupon_code} has no uses left.", coupon_code=coupon_code
        )
        self.coupon_code = coupon_code


class CouponAlreadyUsed(CouponExhausted):
    """This customer reached the code's per-customer limit."""

    code = "coupon_already_used"
    title = "Coupon code already used"

    def __init__(self, coupon_code: str) -> None:
        super().__init__(
            coupon_code, f"You have already used the coupon code {coupon_code} as often as allowed."
        )


class CouponCustomerRequired(CouponExhausted):
    """A code with a per-customer limit cannot be counted for a guest."""

    code = "coupon_customer_required"
    title = "Sign in to use this coupon code"

    def __init__(self, coupon_code: str) -> None:
        super().__init__(coupon_code, f"Sign in to use the coupon code {coupon_code}.")
