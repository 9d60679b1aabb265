"""A shopper opening their cart on several devices at the same moment gets one cart
(PostgreSQL, real connections racing)."""

import asyncio

import pytest
from sqlalchemy import func, select

from omni.carts import service
from omni.carts.models import Cart
from omni.db.database import Database
from omni.kernel.actor import Actor, ActorKind
from omni.kernel.ids import new_id
from tests.carts.support import open_shop

pytestmark = pytest.mark.postgres


@pytest.fixture
async def wide_database(settings, database):
    db = Database(settings.model_copy(update={"db_pool_size": 8, "db_max_overflow": 0}))
    yield db
    await db.dispose()


async def test_eight_devices_opening_a_cart_at_once_share_one(client, admin_headers, wide_database):
    shop = await open_shop(client, admin_headers)
    shopper = Actor(ActorKind.CUSTOMER, id=new_id("cus"))
    caller = service.Caller(shopper)

    opened = await asyncio.gather(
        *(service.open_cart(wide_database.uow(shopper), caller, shop.channel_id) for _ in range(8))
    )

    assert len({result.cart_id for result in opened}) == 1
    assert sum(result.created for result in opened) == 1
    async with wide_database.reader() as session:
        carts = await session.scalar(
            select(func.count()).select_from(Cart).where(Cart.customer_id == shopper.id)
        )
    assert carts == 1
