"""Zero oversell under real concurrency on PostgreSQL: many connections racing for the
same rows through the inventory service."""

import asyncio
import random

import pytest

from omni.db.database import Database
from omni.inventory import reservations
from omni.inventory.domain import ReservationKind
from omni.inventory.errors import InsufficientStock
from omni.inventory.reservations import ReserveLine, ReserveRequest
from omni.kernel.ids import new_id
from tests.inventory.helpers import assert_ledger_balanced, receive, snapshot

pytestmark = pytest.mark.postgres


@pytest.fixture
async def wide_database(settings, database):
    """One connection per client: 64 clients really do race in PostgreSQL."""
    db = Database(settings.model_copy(update={"db_pool_size": 64, "db_max_overflow": 8}))
    yield db
    await db.dispose()


async def buy(db: Database, lines: list[ReserveLine]) -> str:
    try:
        async with db.uow() as uow:
            await reservations.reserve(
                uow, ReserveRequest(lines, ReservationKind.ORDER, new_id("ord"))
            )
            await uow.commit()
        return "ok"
    except InsufficientStock:
        return "refused"


async def test_64_shoppers_racing_for_10_units_buy_exactly_10_every_time(wide_database):
    for _ in range(20):
        variant, location = new_id("var"), new_id("loc")
        await receive(wide_database, variant, location, 10)
        outcomes = await asyncio.gather(
            *(buy(wide_database, [ReserveLine(variant, location, 1)]) for _ in range(64))
        )
        assert outcomes.count("ok") == 10 and outcomes.count("refused") == 54
        on_hand, reserved, *_ = (await snapshot(wide_database, variant))["levels"][location]
        assert (on_hand, reserved) == (10, 10)
    await assert_ledger_balanced(wide_database)


async def test_32_random_baskets_of_8_scarce_skus_never_deadlock_or_oversell(wide_database):
    location = new_id("loc")
    skus = [new_id("var") for _ in range(8)]
    for sku in skus:
        await receive(wide_database, sku, location, 12)
    rng = random.Random(7)

    def basket() -> list[ReserveLine]:
        chosen = rng.sample(skus, rng.randint(2, 6))
        rng.shuffle(chosen)  # random line order: lock ordering must make it safe
        return [ReserveLine(sku, location, rng.randint(1, 3)) for sku in chosen]

    baskets = [basket() for _ in range(32)]
    outcomes = await asyncio.gather(*(buy(wide_database, lines) for lines in baskets))
    assert set(outcomes) <= {"ok", "refused"}  # a deadlock or any other error would raise
    for sku in skus:
        on_hand, reserved, *_ = (await snapshot(wide_database, sku))["levels"][location]
        assert on_hand == 12 and 0 <= reserved <= 12
    expected = {sku: 0 for sku in skus}
    for lines, outcome in zip(baskets, outcomes, strict=True):
        if outcome == "ok":
            for line in lines:
                expected[line.variant_id] += line.quantity
    for sku in skus:
        assert (await snapshot(wide_database, sku))["levels"][location][1] == expected[sku]
    await assert_ledger_balanced(wide_database)
