"""What checkout calls, token by token: authorize outside any transaction, record inside
the order's, void as the compensation; 3-D Secure finished by webhook; timeouts."""

import pytest

from omni.kernel.errors import DomainError
from omni.kernel.ids import new_id
from omni.payments import api
from omni.payments.errors import ProviderTimeout
from omni.payments.tenders import Tender
from tests.payments.support import eur, events, operations, payment, place

CARD = api.TenderKind.CARD_ONLINE


def card(token: str, cents: int = 5_000) -> Tender:
    return Tender(CARD, eur(cents), reference=token)


async def test_an_approved_card_is_authorized_and_recorded_with_the_order(database, provider):
    order_id, [payment_id], [outcome] = await place(database, provider, card("tok_visa"))

    assert outcome.status is api.OutcomeStatus.AUTHORIZED and outcome.fully_approved
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["authorized"], stored["captured"]) == ("authorized", 5_000, 0)
    assert stored["order_id"] == order_id and stored["provider"] == "test"
    assert stored["provider_authorization_id"] == outcome.authorization.id
    assert await operations(database, payment_id) == [
        ("authorize", "succeeded", 5_000, f"{order_id}:pay:0", None)
    ]
    [(name, event)] = await events(database, payment_id)
    assert name == "payment.authorized" and event["order_id"] == order_id


@pytest.mark.parametrize(
    ("token", "code"),
    [("tok_decline", "card_declined"), ("tok_insufficient_funds", "insufficient_funds")],
)
async def test_a_declined_card_is_an_outcome_and_is_never_recorded(database, provider, token, code):
    outcome = await api.authorize(provider, card(token), idempotency_key=new_id("ord"))
    assert outcome.declined and outcome.decline.code == code

    order_id = new_id("ord")
    async with database.uow() as uow:
        with pytest.raises(DomainError) as refused:
            await api.record_payments(uow, order_id, [outcome])
    assert refused.value.status == 422
    async with database.reader() as session:
        assert await api.payments_of_order(session, order_id) == []


async def test_3ds_waits_for_the_webhook_then_is_authorized_with_an_event_naming_the_order(
    database, provider
):
    order_id, [payment_id], [outcome] = await place(database, provider, card("tok_3ds"))
    assert outcome.status is api.OutcomeStatus.REQUIRES_ACTION
    assert outcome.next_action_url.startswith(
        "http://127.0.0.1:8000/api/v1/payments/test-provider/3ds/"
    )
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["authorized"]) == ("requires_action", 0)
    assert await events(database, payment_id) == []
    async with database.reader() as session:
        summary = await api.order_payments(session, order_id)
    assert summary.awaiting_action and summary.authorized == 0

    delivery = provider.complete_action(outcome.action.action_id)
    result = await api.handle_webhook(database, provider, delivery.headers, delivery.body)

    assert result.status == "applied" and result.payment_id == payment_id
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["authorized"]) == ("authorized", 5_000)
    assert [op[:2] for op in await operations(database, payment_id)] == [("authorize", "succeeded")]
    [(name, event)] = await events(database, payment_id)
    assert name == "payment.authorized" and event["order_id"] == order_id
    # The webhook's authorization is real: it can be captured.
    await api.capture(database, provider, payment_id, eur(5_000))
    assert (await payment(database, payment_id))["status"] == "captured"


async def test_failed_3ds_fails_the_payment_and_announces_it(database, provider):
    order_id, [payment_id], [outcome] = await place(database, provider, card("tok_3ds"))
    delivery = provider.complete_action(outcome.action.action_id, succeed=False)

    await api.handle_webhook(database, provider, delivery.headers, delivery.body)

    stored = await payment(database, payment_id)
    assert (stored["status"], stored["failure_code"]) == ("failed", "authentication_failed")
    [(name, event)] = await events(database, payment_id)
    assert name == "payment.failed"
    assert event == {
        "payment_id": payment_id,
        "order_id": order_id,
        "operation": "authorize",
        "code": "authentication_failed",
    }


async def test_a_timeout_is_an_unknown_outcome_and_the_retry_with_the_same_key_learns_it(
    database, recording
):
    order_id = new_id("ord")
    with pytest.raises(DomainError) as timed_out:
        await api.authorize(recording, card("tok_timeout"), idempotency_key=f"{order_id}:pay")
    assert (timed_out.value.code, timed_out.value.status) == ("provider_timeout", 504)
    async with database.reader() as session:  # checkout answers 504; nothing was written
        assert await api.payments_of_order(session, order_id) == []

    # A real provider may have authorized during the timeout: the retry with the same key
    # gets that authorization back instead of a second one.
    recording.fail_next("authorize", ProviderTimeout("no answer"))
    with pytest.raises(DomainError):
        await api.authorize(recording, card("tok_visa"), idempotency_key=f"{order_id}:pay")
    first = await api.authorize(recording, card("tok_visa"), idempotency_key=f"{order_id}:pay")
    again = await api.authorize(recording, card("tok_visa"), idempotency_key=f"{order_id}:pay")
    assert first.authorization == again.authorization
    assert {key for _, key in recording.keys} == {f"{order_id}:pay"}


async def test_an_unavailable_provider_is_refused_with_503(provider):
    with pytest.raises(DomainError) as refused:
        await api.authorize(provider, card("tok_unavailable"), idempotency_key="k")
    assert (refused.value.code, refused.value.status) == ("provider_unavailable", 503)


async def test_split_tender_records_cash_captured_and_the_card_authorized(database, provider):
    plan = api.plan_split_tender(
        eur(8_000),
        [
            Tender(api.TenderKind.CASH, eur(3_000), tendered=eur(5_000)),
            card("tok_visa", 5_000),
        ],
    )
    assert plan.change == eur(2_000)
    outcomes = await api.authorize_plan(provider, plan, idempotency_key=new_id("chk"))
    order_id = new_id("ord")
    async with database.uow() as uow:
        cash_id, card_id = await api.record_payments(uow, order_id, outcomes)
        await uow.commit()

    cash, card_payment = await payment(database, cash_id), await payment(database, card_id)
    assert (cash["tender"], cash["status"], cash["captured"]) == ("cash", "captured", 3_000)
    assert (card_payment["status"], card_payment["authorized"]) == ("authorized", 5_000)
    assert [name for name, _ in await events(database, cash_id)] == ["payment.captured"]
    async with database.reader() as session:
        summary = await api.order_payments(session, order_id)
    assert (summary.amount, summary.authorized, summary.captured) == (8_000, 8_000, 3_000)


async def test_pay_at_pickup_waits_and_is_replaced_by_the_tender_used_at_the_counter(
    database, provider
):
    order_id, [promise], _ = await place(
        database, provider, Tender(api.TenderKind.PAY_AT_PICKUP, eur(2_500))
    )
    assert (await payment(database, promise))["status"] == "pending"
    async with database.reader() as session:
        assert (await api.order_payments(session, order_id)).due_later == 2_500

    cash = await api.authorize(
        provider, Tender(api.TenderKind.CASH, eur(2_500)), idempotency_key="pickup"
    )
    async with database.uow() as uow:
        await api.cancel_payment(uow, promise)
        [paid] = await api.record_payments(uow, order_id, [cash])
        await uow.commit()

    assert (await payment(database, promise))["status"] == "canceled"
    assert (await payment(database, paid))["status"] == "captured"
    async with database.reader() as session:
        summary = await api.order_payments(session, order_id)
    assert (summary.due_later, summary.captured) == (0, 2_500)


async def test_a_payment_holding_money_cannot_be_canceled(database, provider):
    _, [payment_id], _ = await place(database, provider, card("tok_visa"))
    async with database.uow() as uow:
        with pytest.raises(DomainError) as refused:
            await api.cancel_payment(uow, payment_id)
    assert refused.value.code == "payment_transition_not_allowed"
    assert (await payment(database, payment_id))["status"] == "authorized"


async def test_the_compensation_voids_only_what_is_held(database, recording):
    held = await api.authorize(recording, card("tok_visa"), idempotency_key="o1:pay")
    waiting = await api.authorize(recording, card("tok_3ds"), idempotency_key="o2:pay")
    cash = await api.authorize(
        recording, Tender(api.TenderKind.CASH, eur(100)), idempotency_key="o3:pay"
    )

    voids = await api.void_outcomes(recording, [held, waiting, cash])

    assert [v.authorization_id for v in voids] == [held.authorization.id]
    assert recording.keys[-1] == ("void", "o1:pay:void")
    # A timeout while voiding is retried with the same key.
    recording.fail_next("void", ProviderTimeout("no answer"))
    again = await api.void_authorization(recording, held)
    assert again == voids[0]


async def test_payments_roll_back_with_an_order_that_is_not_placed(database, provider):
    outcome = await api.authorize(provider, card("tok_visa"), idempotency_key=new_id("chk"))
    order_id = new_id("ord")
    with pytest.raises(RuntimeError):
        async with database.uow() as uow:
            await api.record_payments(uow, order_id, [outcome])
            raise RuntimeError("out of stock")  # the order transaction fails
    async with database.reader() as session:
        assert await api.payments_of_order(session, order_id) == []
    assert await api.void_authorization(provider, outcome) is not None
