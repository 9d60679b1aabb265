"""What other modules may call in the promotions module (carts, checkout, orders).

Checkout, in outline::

    promotions = await active_promotions(session, channel_id, at, codes=entered)
    usage = await coupon_usage(session, entered, customer_id)
    result = evaluate(basket, promotions, usage)      # pure: see docs/promotions.md
    ...
    async with uow:                                   # the order's unit of work
        ...                                           # add the order, reserve stock
        await redeem_coupons(uow, result.applied_codes, customer_id, order_id)
        await uow.commit()

``evaluate_basket`` does the first three lines in one call. On ``CouponExhausted``
(409) let the error leave ``async with uow`` (the transaction rolls back, nothing is
counted), evaluate again — the code now comes back ``exhausted`` or
``already_used_by_customer`` — and answer with the new totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from omni.db.uow import UnitOfWork
from omni.promotions import queries, redemption
from omni.promotions.domain import (
    Basket,
    BasketLine,
    CouponRejection,
    CouponUsage,
    CustomerContext,
    Promotion,
    normalize_code,
)
from omni.promotions.engine import evaluate
from omni.promotions.errors import CouponAlreadyUsed, CouponCustomerRequired, CouponExhausted
from omni.promotions.results import (
    AppliedPromotion,
    DiscountedLine,
    LineDiscount,
    PromotionResult,
    RejectedCoupon,
)

__all__ = [
    "AppliedPromotion",
    "Basket",
    "BasketLine",
    "CouponAlreadyUsed",
    "CouponCustomerRequired",
    "CouponExhausted",
    "CouponRejection",
    "CouponUsage",
    "CustomerContext",
    "DiscountedLine",
    "LineDiscount",
    "Promotion",
    "PromotionResult",
    "RejectedCoupon",
    "active_promotions",
    "coupon_usage",
    "evaluate",
    "evaluate_basket",
    "normalize_code",
    "redeem_coupons",
    "release_coupons",
]


async def active_promotions(
    session: AsyncSession, channel_id: str, at: datetime, codes: Iterable[str] = ()
) -> list[Promotion]:
    """The engine's candidate promotions for a basket on ``channel_id`` at ``at``.

    - Automatic promotions (no coupon needed): active, running at ``at``, for this
      channel (or every channel). One query, whatever their number.
    - Coupon promotions: only those unlocked by one of ``codes`` (the codes the shopper
      entered, as typed: they are normalised here), each carrying just the entered codes
      that are its own and active. One more query, only when codes are given. These come
      whatever their date window and channel, so the engine can reject a code as
      ``expired`` or ``not_for_channel`` rather than ``unknown``.

    Without ``codes`` no coupon promotion is returned: a promotion with no code entered
    cannot apply. Extra candidates are harmless (the engine re-checks every condition);
    pass the result and ``coupon_usage`` to ``evaluate``.
    """
    return await queries.active_promotions(session, channel_id, at, codes)


async def coupon_usage(
    session: AsyncSession, codes: Iterable[str], customer_id: str | None
) -> list[CouponUsage]:
    """What the database knows about the entered ``codes``, for ``evaluate``: one
    ``CouponUsage`` per known active code, ``exhausted`` when its ``max_uses`` is reached
    and ``used_by_customer`` when ``customer_id`` reached its ``max_uses_per_customer``.
    Unknown and deactivated codes are absent (the engine reports them ``unknown``).
    One query. Reading is not reserving: ``redeem_coupons`` counts, race-safely."""
    return await queries.coupon_usage(session, codes, customer_id)


async def evaluate_basket(session: AsyncSession, basket: Basket) -> PromotionResult:
    """``evaluate`` with the candidates and coupon usage loaded for ``basket`` (its
    channel, time, entered codes and customer): two or three queries."""
    codes = basket.coupon_codes
    promotions = await queries.active_promotions(session, basket.channel_id, basket.at, codes)
    usage = await queries.coupon_usage(session, codes, basket.customer.customer_id)
    return evaluate(basket, promotions, usage)


async def redeem_coupons(
    uow: UnitOfWork, codes: Iterable[str], customer_id: str | None, order_id: str
) -> None:
    """Count one use of each code for ``order_id``, inside the order's unit of work
    (``async with uow`` is the caller's; nothing is committed here).

    Pass ``PromotionResult.applied_codes`` (duplicates and case do not matter). Each
    code takes one conditional update, plus one upsert when it has a per-customer limit,
    and the redemption rows go in one insert; ``coupon.redeemed`` events are recorded on
    ``uow``. Limits hold under any concurrency (see ``omni.promotions.redemption``).

    Raises (all ``CouponExhausted``, 409, carrying ``coupon_code``):

    - ``CouponExhausted``: no use left, or the code was deactivated meanwhile;
    - ``CouponAlreadyUsed``: ``customer_id`` reached the code's per-customer limit;
    - ``CouponCustomerRequired``: a per-customer limited code and a guest order.

    The transaction may then hold part of the counting: let the error leave the unit of
    work so it rolls back. Call this late, just before committing — the code rows stay
    locked until the commit, and every order sharing a code waits for them. Codes are
    counted in sorted order, so orders sharing several codes cannot deadlock.
    Raises ``Conflict`` if ``order_id`` already redeemed one of the codes.
    """
    await redemption.redeem_coupons(uow, codes, customer_id, order_id)


async def release_coupons(uow: UnitOfWork, order_id: str) -> None:
    """Give back the coupon uses of ``order_id`` (an order cancelled before fulfilment),
    inside the caller's unit of work. Exactly once: a second call — or a concurrent one
    — finds nothing left to release. The redemption rows stay, marked released, and
    ``coupon.released`` events are recorded on ``uow``."""
    await redemption.release_coupons(uow, order_id)
