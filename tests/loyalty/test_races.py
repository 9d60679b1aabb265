"""The ledger under real concurrency on PostgreSQL (READ COMMITTED), one connection per
caller: balances are never overdrawn and one source never posts twice."""

import asyncio

import pytest
from sqlalchemy import func, select

from omni.db.database import Database
from omni.kernel.errors import DomainError
from omni.kernel.ids import new_id
from omni.kernel.money import Money
from omni.loyalty import credit, gift_cards
from omni.loyalty.domain import POINTS_UNIT, AccountKind, CodeForm, SystemPurpose, owned_account_id
from omni.loyalty.models import JournalEntry
from omni.loyalty.tenders import GiftCardTender, redeem_from
from omni.payments import api as payments_api
from omni.payments.tenders import Tender
from tests.loyalty.support import assert_ledger_sound, balance_of
from tests.payments.support import place, the_provider

pytestmark = pytest.mark.postgres


@pytest.fixture
async def wide_database(settings, database):
    """One connection per caller: 50 transactions really do race in PostgreSQL."""
    db = Database(settings.model_copy(update={"db_pool_size": 52, "db_max_overflow": 0}))
    yield db
    await db.dispose()


async def outcome(db: Database, work) -> str:
    try:
        async with db.uow() as uow:
            await work(uow)
            await asyncio.sleep(0.01)  # hold the row a moment, as an order would
            await uow.commit()
        return "ok"
    except DomainError as refused:
        return refused.code


async def issued_card(db: Database, secret: str, amount: int) -> tuple[str, str]:
    async with db.uow() as uow:
        issued = await gift_cards.issue(
            uow, secret, Money(amount, "EUR"), form=CodeForm.DIGITAL, request_id=new_id("req")
        )
        await uow.commit()
    assert issued.code is not None
    return issued.card.id, issued.code


async def test_20_redemptions_of_a_card_holding_enough_for_5_take_exactly_5(
    wide_database, settings
):
    secret = settings.loyalty_code_secret
    card_id, code = await issued_card(wide_database, secret, 5 * 1_000)
    tender = GiftCardTender(secret)

    def redeem(uow):
        return tender.redeem(
            uow, code, Money(1_000, "EUR"), payment_id=new_id("pay"), order_id=new_id("ord")
        )

    outcomes = await asyncio.gather(*(outcome(wide_database, redeem) for _ in range(20)))
    assert outcomes.count("ok") == 5
    assert outcomes.count("insufficient_balance") == 15
    assert await balance_of(wide_database, card_id) == 0
    await assert_ledger_sound(wide_database)


async def test_one_order_earns_once_under_50_concurrent_accruals(wide_database):
    customer_id, order_id = new_id("cus"), new_id("ord")

    def accrue(uow):
        return credit.award_points(uow, customer_id, order_id, 120)

    outcomes = await asyncio.gather(*(outcome(wide_database, accrue) for _ in range(50)))
    assert outcomes == ["ok"] * 50  # the 49 repeats are answered, not refused
    points = owned_account_id(AccountKind.POINTS, customer_id, POINTS_UNIT)
    assert await balance_of(wide_database, points) == 120
    async with wide_database.reader() as session:
        entries = await session.scalar(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.source_id == order_id)
        )
    assert entries == 1
    await assert_ledger_sound(wide_database)


async def test_concurrent_points_redemptions_beyond_the_balance_never_overdraw(wide_database):
    customer_id = new_id("cus")
    async with wide_database.uow() as uow:
        await credit.award_points(uow, customer_id, new_id("ord"), 1_000)
        await uow.commit()
    points = owned_account_id(AccountKind.POINTS, customer_id, POINTS_UNIT)

    def spend(uow):
        return redeem_from(
            uow,
            points,
            SystemPurpose.POINTS_REDEEMED,
            300,
            POINTS_UNIT,
            payment_id=new_id("pay"),
            order_id=new_id("ord"),
        )

    outcomes = await asyncio.gather(*(outcome(wide_database, spend) for _ in range(30)))
    assert outcomes.count("ok") == 3
    assert await balance_of(wide_database, points) == 100
    await assert_ledger_sound(wide_database)


async def test_concurrent_refunds_of_a_gift_card_payment_give_back_at_most_what_it_took(
    app, wide_database, settings
):
    provider = the_provider(app)
    card_id, code = await issued_card(wide_database, settings.loyalty_code_secret, 500)
    tender = Tender(payments_api.TenderKind.GIFT_CARD, Money(500, "EUR"), reference=code)
    _, [payment_id], _ = await place(wide_database, provider, tender)

    async def refund() -> str:
        try:
            await payments_api.refund(
                wide_database, provider, payment_id, Money(100, "EUR"), request_id=new_id("req")
            )
            return "ok"
        except DomainError as refused:
            return refused.code

    outcomes = await asyncio.gather(*(refund() for _ in range(10)))
    assert outcomes.count("ok") == 5
    assert await balance_of(wide_database, card_id) == 500
    await assert_ledger_sound(wide_database)
