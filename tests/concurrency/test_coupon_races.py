"""Coupon limits under real concurrency on PostgreSQL (READ COMMITTED): many
connections redeeming the same codes at once through the promotions facade."""

import asyncio
import random

import pytest
from sqlalchemy import func, select

from omni.db.database import Database
from omni.kernel.ids import new_id
from omni.promotions import api
from omni.promotions.models import CouponCode, CouponRedemption
from tests.promotions.helpers import add_coupon, coupon_promotion

pytestmark = pytest.mark.postgres


@pytest.fixture
async def wide_database(settings, database):
    """One connection per order: 50 checkouts really do race in PostgreSQL."""
    db = Database(settings.model_copy(update={"db_pool_size": 52, "db_max_overflow": 0}))
    yield db
    await db.dispose()


async def checkout(db: Database, codes: list[str], customer_id: str | None) -> str:
    try:
        async with db.uow() as uow:
            await api.redeem_coupons(uow, codes, customer_id, new_id("ord"))
            await uow.commit()
        return "ok"
    except api.CouponAlreadyUsed:
        return "already_used"
    except api.CouponExhausted:
        return "exhausted"


async def counts(db: Database, code: str) -> tuple[int, int]:
    """The code's uses counter and its unreleased redemption rows."""
    async with db.reader() as session:
        uses = await session.scalar(select(CouponCode.uses).where(CouponCode.code == code))
        rows = await session.scalar(
            select(func.count())
            .select_from(CouponRedemption)
            .where(CouponRedemption.code == code, CouponRedemption.released_at.is_(None))
        )
    return int(uses or 0), int(rows or 0)


async def test_a_single_use_code_redeemed_by_50_checkouts_at_once_counts_once(
    client, admin_headers, wide_database
):
    promotion = await coupon_promotion(client, admin_headers)
    for _ in range(5):
        code = (await add_coupon(client, admin_headers, promotion["id"], max_uses=1))["code"]
        outcomes = await asyncio.gather(
            *(checkout(wide_database, [code], new_id("cus")) for _ in range(50))
        )
        assert outcomes.count("ok") == 1 and outcomes.count("exhausted") == 49
        assert await counts(wide_database, code) == (1, 1)


async def test_one_customer_placing_20_orders_at_once_uses_a_once_per_customer_code_once(
    client, admin_headers, wide_database
):
    promotion = await coupon_promotion(
        client, admin_headers, conditions={"customer_required": True}
    )
    for _ in range(5):
        # Unlimited overall: only the per-customer limit can refuse; no counter row yet.
        code = (await add_coupon(client, admin_headers, promotion["id"], max_uses_per_customer=1))[
            "code"
        ]
        customer = new_id("cus")
        outcomes = await asyncio.gather(
            *(checkout(wide_database, [code], customer) for _ in range(20))
        )
        assert outcomes.count("ok") == 1 and outcomes.count("already_used") == 19
        assert await counts(wide_database, code) == (1, 1)


async def test_orders_sharing_two_codes_in_any_order_never_deadlock_or_overcount(
    client, admin_headers, wide_database
):
    promotion = await coupon_promotion(client, admin_headers)
    scarce = (await add_coupon(client, admin_headers, promotion["id"], max_uses=10))["code"]
    other = await coupon_promotion(client, admin_headers)
    plenty = (await add_coupon(client, admin_headers, other["id"]))["code"]
    rng = random.Random(11)
    baskets = [rng.sample([scarce, plenty], 2) for _ in range(40)]

    outcomes = await asyncio.gather(*(checkout(wide_database, b, None) for b in baskets))

    assert outcomes.count("ok") == 10 and outcomes.count("exhausted") == 30
    assert await counts(wide_database, scarce) == (10, 10)
    assert await counts(wide_database, plenty) == (10, 10)


async def test_concurrent_cancellations_give_a_use_back_once(client, admin_headers, wide_database):
    promotion = await coupon_promotion(client, admin_headers)
    code = (await add_coupon(client, admin_headers, promotion["id"], max_uses=3))["code"]
    order_id = new_id("ord")
    async with wide_database.uow() as uow:
        await api.redeem_coupons(uow, [code], None, order_id)
        await uow.commit()

    async def cancel() -> None:
        async with wide_database.uow() as uow:
            await api.release_coupons(uow, order_id)
            await uow.commit()

    await asyncio.gather(*(cancel() for _ in range(10)))

    assert await counts(wide_database, code) == (0, 0)
