"""The ledger itself: a source posts once, retries are answered, and ``verify`` finds a
balance that no longer equals its postings."""

import pytest
from sqlalchemy import update

from omni.kernel.errors import Conflict
from omni.kernel.ids import new_id
from omni.loyalty import api as loyalty_api
from omni.loyalty import credit, ledger
from omni.loyalty.domain import POINTS_UNIT, AccountKind, SystemPurpose, owned_account_id
from omni.loyalty.models import LedgerAccount
from omni.loyalty.tenders import redeem_from
from omni.orders.events import OrderPlaced
from tests.loyalty.support import assert_ledger_sound, balance_of, postings_of


async def points_of(database, points: int) -> str:
    customer_id = new_id("cus")
    async with database.uow() as uow:
        await credit.award_points(uow, customer_id, new_id("ord"), points)
        await uow.commit()
    return owned_account_id(AccountKind.POINTS, customer_id, POINTS_UNIT)


async def spend(database, account: str, points: int, payment_id: str) -> ledger.Posted:
    async with database.uow() as uow:
        posted = await redeem_from(
            uow,
            account,
            SystemPurpose.POINTS_REDEEMED,
            points,
            POINTS_UNIT,
            payment_id=payment_id,
            order_id="ord_1",
        )
        await uow.commit()
    return posted


async def test_a_retried_redemption_posts_once_and_answers_the_first(database):
    account = await points_of(database, 500)
    payment_id = new_id("pay")
    first = await spend(database, account, 200, payment_id)
    again = await spend(database, account, 200, payment_id)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.entry_id == first.entry_id
    assert await balance_of(database, account) == 300
    assert await postings_of(database, account) == 2  # earned, redeemed once


async def test_the_same_source_with_another_amount_is_a_conflict(database):
    account = await points_of(database, 500)
    payment_id = new_id("pay")
    await spend(database, account, 200, payment_id)
    with pytest.raises(Conflict):
        await spend(database, account, 250, payment_id)
    assert await balance_of(database, account) == 300


async def test_an_order_earns_once_however_often_it_is_credited(database):
    customer_id, order_id = new_id("cus"), new_id("ord")
    for _ in range(3):
        async with database.uow() as uow:
            await credit.award_points(uow, customer_id, order_id, 40)
            await uow.commit()
    account = owned_account_id(AccountKind.POINTS, customer_id, POINTS_UNIT)
    assert await balance_of(database, account) == 40


async def test_verify_finds_a_balance_changed_outside_the_ledger(database):
    account = await points_of(database, 70)
    await assert_ledger_sound(database)
    await _set_balance(database, account, 90)
    try:
        async with database.reader() as session:
            check = await ledger.verify(session, [account])
        assert check.mismatched == [(account, 90, 70)] and not check.sound
    finally:
        await _set_balance(database, account, 70)
    await assert_ledger_sound(database)


async def _set_balance(database, account: str, balance: int) -> None:
    async with database.uow() as uow:
        await uow.session.execute(
            update(LedgerAccount).where(LedgerAccount.id == account).values(balance=balance)
        )
        await uow.commit()


@pytest.mark.parametrize(
    ("status", "earned"), [("placed", 24), ("fulfilled", 24), ("pending_payment", 0)]
)
async def test_paid_orders_earn_points_per_whole_currency_unit(database, status, earned):
    customer_id = new_id("cus")
    placed = OrderPlaced(
        order_id=new_id("ord"),
        number="W-1",
        channel_id="chn_1",
        customer_id=customer_id,
        status=status,
        currency="USD",
        total=12_99,
        lines=[],
    )
    handler = credit.award_points_for_order(points_per_unit=2)
    async with database.uow() as uow:
        await handler(placed, uow)
        await uow.commit()
    async with database.reader() as session:
        balances = await loyalty_api.balances_of_customer(session, customer_id)
    assert balances.get(POINTS_UNIT, 0) == earned
