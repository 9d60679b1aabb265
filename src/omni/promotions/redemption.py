"""Counting coupon uses at checkout, race-safe, and giving them back on cancellation.

Limits hold however many checkouts race, on PostgreSQL (READ COMMITTED) and SQLite:

- **Global limit**: one conditional ``UPDATE coupon_codes SET uses = uses + 1 WHERE code
  = :c AND active AND (max_uses IS NULL OR uses < max_uses)``. A concurrent checkout
  blocks on the row lock; when the first commits, PostgreSQL re-checks the WHERE on the
  new row version, so the second changes no row once the limit is reached. SQLite write
  transactions are serialised (``BEGIN IMMEDIATE``), which gives the same answer.
- **Per-customer limit**: one upsert into ``coupon_customer_uses`` keyed by (code,
  customer) — insert ``uses = 1``, or on conflict add one *only if* ``uses < limit``.
  Two first uses by one customer cannot both insert: the unique key makes the second
  wait for the first and then take the conflict branch, where the limit is checked
  against the committed count. A counted conditional insert over the redemption rows
  would not be safe under READ COMMITTED (both would count zero).

Codes are counted in sorted order, so two orders using the same codes lock the rows in
the same order and cannot deadlock. Nothing is read and then written back in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, and_, insert, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from omni.db.uow import UnitOfWork
from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id
from omni.promotions.domain import normalize_code
from omni.promotions.errors import CouponAlreadyUsed, CouponCustomerRequired, CouponExhausted
from omni.promotions.events import CouponRedeemed, CouponReleased
from omni.promotions.models import CouponCode, CouponCustomerUse, CouponRedemption

CUSTOMER_USES = cast(Table, CouponCustomerUse.__table__)
REDEMPTIONS = cast(Table, CouponRedemption.__table__)


def normalized(codes: Iterable[str]) -> list[str]:
    """Distinct normalised codes, sorted (the lock order)."""
    return sorted({normalize_code(code) for code in codes if code.strip()})


async def _count_use(uow: UnitOfWork, code: str) -> tuple[str, int | None]:
    """Take one use of ``code``; its promotion and per-customer limit."""
    row = (
        await uow.session.execute(
            update(CouponCode)
            .where(
                CouponCode.code == code,
                CouponCode.active.is_(True),
                or_(CouponCode.max_uses.is_(None), CouponCode.uses < CouponCode.max_uses),
            )
            .values(uses=CouponCode.uses + 1)
            .returning(CouponCode.promotion_id, CouponCode.max_uses_per_customer)
            .execution_options(synchronize_session=False)
        )
    ).first()
    if row is None:
        raise CouponExhausted(code)
    return row.promotion_id, row.max_uses_per_customer


async def _count_customer_use(uow: UnitOfWork, code: str, customer_id: str, limit: int) -> None:
    dialect = uow.session.get_bind().dialect.name
    upsert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CUSTOMER_USES)
    statement = (
        upsert.values(code=code, customer_id=customer_id, uses=1)
        .on_conflict_do_update(
            index_elements=["code", "customer_id"],
            set_={"uses": CUSTOMER_USES.c.uses + 1},
            where=CUSTOMER_USES.c.uses < limit,
        )
        .returning(CUSTOMER_USES.c.uses)
    )
    if (await uow.session.execute(statement)).first() is None:
        raise CouponAlreadyUsed(code)


async def redeem_coupons(
    uow: UnitOfWork, codes: Iterable[str], customer_id: str | None, order_id: str
) -> None:
    """See ``omni.promotions.api.redeem_coupons``."""
    wanted = normalized(codes)
    if not wanted:
        return
    now = uow.clock.now()
    rows: list[dict[str, Any]] = []
    for code in wanted:
        promotion_id, per_customer = await _count_use(uow, code)
        if per_customer is not None:
            if customer_id is None:
                raise CouponCustomerRequired(code)
            await _count_customer_use(uow, code, customer_id, per_customer)
        rows.append(
            {
                "id": new_id("cpr"),
                "code": code,
                "promotion_id": promotion_id,
                "customer_id": customer_id,
                "order_id": order_id,
                "redeemed_at": now,
                "released_at": None,
            }
        )
        uow.record(
            CouponRedeemed(
                code=code, promotion_id=promotion_id, order_id=order_id, customer_id=customer_id
            )
        )
    try:
        await uow.session.execute(insert(REDEMPTIONS), rows)
    except IntegrityError as error:
        raise Conflict(
            f"Order {order_id} has already redeemed one of these codes.", order_id=order_id
        ) from error


async def release_coupons(uow: UnitOfWork, order_id: str) -> None:
    """See ``omni.promotions.api.release_coupons``."""
    released = (
        await uow.session.execute(
            update(CouponRedemption)
            .where(CouponRedemption.order_id == order_id, CouponRedemption.released_at.is_(None))
            .values(released_at=uow.clock.now())
            .returning(
                CouponRedemption.code, CouponRedemption.promotion_id, CouponRedemption.customer_id
            )
            .execution_options(synchronize_session=False)
        )
    ).all()
    for code, promotion_id, customer_id in sorted(released):
        await uow.session.execute(
            update(CouponCode)
            .where(CouponCode.code == code, CouponCode.uses > 0)
            .values(uses=CouponCode.uses - 1)
            .execution_options(synchronize_session=False)
        )
        if customer_id is not None:
            await uow.session.execute(
                update(CouponCustomerUse)
                .where(
                    and_(
                        CouponCustomerUse.code == code,
                        CouponCustomerUse.customer_id == customer_id,
                        CouponCustomerUse.uses > 0,
                    )
                )
                .values(uses=CouponCustomerUse.uses - 1)
                .execution_options(synchronize_session=False)
            )
        uow.record(
            CouponReleased(
                code=code, promotion_id=promotion_id, order_id=order_id, customer_id=customer_id
            )
        )
