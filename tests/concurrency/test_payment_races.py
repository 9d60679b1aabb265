"""Money under real concurrency on PostgreSQL: many connections capturing one payment at
once capture it exactly once; two associates opening one till get one session."""

import asyncio

import pytest
from sqlalchemy import func, select

from omni.db.database import Database
from omni.kernel.actor import Actor, ActorKind
from omni.kernel.errors import DomainError
from omni.kernel.ids import new_id
from omni.payments import api
from omni.payments.models import RegisterSession
from omni.payments.registers import open_session
from tests.inventory.http_support import make_store
from tests.payments.support import (
    RecordingProvider,
    card_payment,
    eur,
    events,
    payment,
    place,
    the_provider,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
async def wide_database(settings, database):
    """One connection per caller: 20 captures really do race in PostgreSQL."""
    db = Database(settings.model_copy(update={"db_pool_size": 24, "db_max_overflow": 8}))
    yield db
    await db.dispose()


async def attempt(call) -> str:
    try:
        await call
        return "ok"
    except DomainError as error:
        return error.code


async def test_20_concurrent_full_captures_capture_exactly_once(app, wide_database):
    provider = RecordingProvider(the_provider(app))
    for _ in range(5):
        _, payment_id = await card_payment(wide_database, provider, 10_000)
        outcomes = await asyncio.gather(
            *(
                attempt(api.capture(wide_database, provider, payment_id, eur(10_000)))
                for _ in range(20)
            )
        )
        assert outcomes.count("ok") == 1, outcomes
        assert set(outcomes) <= {
            "ok",
            "payment_operation_in_progress",
            "payment_transition_not_allowed",
        }
        stored = await payment(wide_database, payment_id)
        assert (stored["status"], stored["captured"], stored["authorized"]) == (
            "captured",
            10_000,
            10_000,
        )
        assert stored["pending_operation_id"] is None
    assert provider.calls["capture"] == 5  # one provider capture per payment


async def test_concurrent_partial_captures_and_refunds_never_overshoot(app, wide_database):
    provider = RecordingProvider(the_provider(app))
    _, payment_id = await card_payment(wide_database, provider, 10_000)
    outcomes = await asyncio.gather(
        *(attempt(api.capture(wide_database, provider, payment_id, eur(3_000))) for _ in range(12))
    )
    stored = await payment(wide_database, payment_id)
    assert stored["captured"] == 3_000 * outcomes.count("ok") <= 10_000
    assert provider.calls["capture"] == outcomes.count("ok")


async def test_two_associates_opening_one_till_get_one_session(
    client, admin_headers, wide_database
):
    store = await make_store(client, admin_headers)
    associate = Actor(
        ActorKind.STAFF,
        id=new_id("stf"),
        roles=frozenset({"associate"}),
        store_ids=frozenset({store}),
    )
    for round_ in range(5):
        till = f"till-{round_}"
        outcomes = await asyncio.gather(
            *(
                attempt(open_session(wide_database.uow(associate), store, till, eur(10_000)))
                for _ in range(2)
            )
        )
        assert sorted(outcomes) == ["ok", "register_already_open"], outcomes
        async with wide_database.reader() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(RegisterSession)
                .where(RegisterSession.location_id == store, RegisterSession.register_id == till)
            )
        assert count == 1


async def test_concurrent_deliveries_of_one_webhook_apply_it_once(app, wide_database):
    provider = the_provider(app)
    _, [payment_id], [outcome] = await place(
        wide_database,
        provider,
        api.Tender(api.TenderKind.CARD_ONLINE, eur(2_000), reference="tok_3ds"),
    )
    delivery = provider.complete_action(outcome.action.action_id)
    results = await asyncio.gather(
        *(
            api.handle_webhook(wide_database, provider, delivery.headers, delivery.body)
            for _ in range(8)
        )
    )
    assert sorted(r.status.value for r in results) == ["applied"] + ["replayed"] * 7
    assert [name for name, _ in await events(wide_database, payment_id)] == ["payment.authorized"]
    assert (await payment(wide_database, payment_id))["authorized"] == 2_000
