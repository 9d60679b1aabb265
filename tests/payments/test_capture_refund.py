"""Captures, voids and refunds on recorded payments: they add up and never overshoot,
refusals change nothing, provider refusals are recorded, and an unknown outcome (a
timeout, a crash between the phases) is finished with the same key, never repeated."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from omni.db.database import Database
from omni.kernel.clock import FixedClock
from omni.kernel.errors import DomainError
from omni.kernel.money import Money
from omni.payments import api
from omni.payments.errors import ProviderTimeout
from omni.payments.tenders import Tender
from tests.payments.support import card_payment, eur, events, operations, payment, place, snapshot


async def refused(call, code: str) -> DomainError:
    with pytest.raises(DomainError) as error:
        await call
    assert error.value.code == code, error.value.detail
    return error.value


async def test_partial_captures_add_up_to_the_authorization_and_no_further(database, provider):
    order_id, payment_id = await card_payment(database, provider, 10_000)

    first = await api.capture(database, provider, payment_id, eur(3_000))
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["captured"]) == ("partially_captured", 3_000)
    await api.capture(database, provider, payment_id, eur(7_000))
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["captured"]) == ("captured", 10_000)

    before = await snapshot(database, payment_id)
    await refused(
        api.capture(database, provider, payment_id, eur(1)), "payment_transition_not_allowed"
    )
    assert await snapshot(database, payment_id) == before
    assert first.idempotency_key == f"{payment_id}:capture:1"
    captures = [
        (e["amount"], e["captured"])
        for n, e in await events(database, payment_id)
        if n == "payment.captured"
    ]
    assert captures == [(3_000, 3_000), (7_000, 10_000)]
    async with database.reader() as session:
        assert (await api.order_payments(session, order_id)).captured == 10_000


async def test_a_capture_beyond_what_remains_is_refused_and_changes_nothing(database, provider):
    _, payment_id = await card_payment(database, provider, 10_000)
    await api.capture(database, provider, payment_id, eur(6_000))
    before = await snapshot(database, payment_id)

    error = await refused(
        api.capture(database, provider, payment_id, eur(4_001)), "capture_exceeds_authorized"
    )
    assert error.extra["capturable_amount"] == 4_000
    await refused(
        api.capture(database, provider, payment_id, Money(1, "USD")),
        "payment_currency_mismatch",
    )
    assert await snapshot(database, payment_id) == before


async def test_a_final_capture_releases_the_rest(database, provider):
    _, payment_id = await card_payment(database, provider, 10_000)
    await api.capture(database, provider, payment_id, eur(4_000), final=True)
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["captured"], stored["authorized"]) == (
        "captured",
        4_000,
        10_000,
    )
    await api.refund(database, provider, payment_id, eur(4_000), "returned")
    assert (await payment(database, payment_id))["status"] == "refunded"


async def test_refunds_add_up_to_the_capture_and_no_further(database, provider):
    _, payment_id = await card_payment(database, provider, 10_000)
    await api.capture(database, provider, payment_id, eur(10_000))

    await api.refund(database, provider, payment_id, eur(2_500), "damaged")
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["refunded"]) == ("partially_refunded", 2_500)
    before = await snapshot(database, payment_id)
    await refused(api.refund(database, provider, payment_id, eur(7_501)), "refund_exceeds_captured")
    assert await snapshot(database, payment_id) == before
    await api.refund(database, provider, payment_id, eur(7_500))
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["refunded"]) == ("refunded", 10_000)
    refunds = [e for n, e in await events(database, payment_id) if n == "payment.refunded"]
    assert [(e["amount"], e["refunded"], e["reason"]) for e in refunds] == [
        (2_500, 2_500, "damaged"),
        (7_500, 10_000, None),
    ]


async def test_a_refund_waits_until_the_capture_is_closed(database, provider):
    _, payment_id = await card_payment(database, provider, 10_000)
    await api.capture(database, provider, payment_id, eur(3_000))
    before = await snapshot(database, payment_id)
    await refused(
        api.refund(database, provider, payment_id, eur(1_000)), "payment_transition_not_allowed"
    )
    assert await snapshot(database, payment_id) == before


async def test_each_refund_draws_on_one_capture(database, provider):
    _, payment_id = await card_payment(database, provider, 10_000)
    await api.capture(database, provider, payment_id, eur(6_000))
    await api.capture(database, provider, payment_id, eur(4_000))
    before = await snapshot(database, payment_id)

    error = await refused(
        api.refund(database, provider, payment_id, eur(7_000)), "refund_spans_captures"
    )
    assert sorted(error.extra["refundable_per_capture"]) == [4_000, 6_000]
    assert await snapshot(database, payment_id) == before

    await api.refund(database, provider, payment_id, eur(6_000))
    await api.refund(database, provider, payment_id, eur(4_000))
    assert (await payment(database, payment_id))["status"] == "refunded"


async def test_a_card_that_refuses_captures_keeps_its_authorization(database, provider):
    order_id, payment_id = await card_payment(database, provider, 5_000, "tok_fail_capture")

    error = await refused(api.capture(database, provider, payment_id, eur(5_000)), "capture_failed")
    assert error.status == 402
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["captured"], stored["pending_operation_id"]) == (
        "authorized",
        0,
        None,
    )
    assert (await operations(database, payment_id))[-1][:2] == ("capture", "failed")
    [(_name, event)] = [e for e in await events(database, payment_id) if e[0] == "payment.failed"]
    assert event == {
        "payment_id": payment_id,
        "order_id": order_id,
        "operation": "capture",
        "code": "capture_failed",
    }
    # The authorization is still there to release.
    await api.void(database, provider, payment_id)
    assert (await payment(database, payment_id))["status"] == "voided"


async def test_a_card_that_refuses_refunds_keeps_its_capture(database, provider):
    _, payment_id = await card_payment(database, provider, 5_000, "tok_fail_refund")
    await api.capture(database, provider, payment_id, eur(5_000))
    await refused(api.refund(database, provider, payment_id, eur(5_000)), "refund_failed")
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["refunded"]) == ("captured", 0)


async def test_a_void_releases_the_authorization_and_then_nothing_moves(database, provider):
    _, payment_id = await card_payment(database, provider, 5_000)
    result = await api.void(database, provider, payment_id)
    assert result is not None and result.kind == "void"
    assert (await payment(database, payment_id))["status"] == "voided"
    assert [n for n, _ in await events(database, payment_id)][-1] == "payment.voided"
    before = await snapshot(database, payment_id)
    await refused(
        api.capture(database, provider, payment_id, eur(1)), "payment_transition_not_allowed"
    )
    await refused(api.void(database, provider, payment_id), "payment_transition_not_allowed")
    assert await snapshot(database, payment_id) == before


async def test_a_captured_payment_cannot_be_voided(database, provider):
    _, payment_id = await card_payment(database, provider, 5_000)
    await api.capture(database, provider, payment_id, eur(1_000))
    await refused(api.void(database, provider, payment_id), "payment_transition_not_allowed")


async def test_voiding_a_payment_waiting_for_3ds_cancels_it_without_the_provider(
    database, recording
):
    _, payment_id = await card_payment(database, recording, 5_000, "tok_3ds")
    assert await api.void(database, recording, payment_id) is None
    assert (await payment(database, payment_id))["status"] == "canceled"
    assert recording.calls["void"] == 0


async def test_a_capture_that_timed_out_is_finished_by_its_retry_with_the_same_key(
    database, recording
):
    _, payment_id = await card_payment(database, recording, 5_000)
    recording.fail_next("capture", ProviderTimeout("no answer"))

    await refused(
        api.capture(database, recording, payment_id, eur(5_000), request_id="shipment-1"),
        "provider_timeout",
    )
    stored = await payment(database, payment_id)
    assert stored["captured"] == 0 and stored["pending_operation_id"] is not None
    [_, capture_op] = await operations(database, payment_id)
    assert capture_op[:3] == ("capture", "pending", 5_000)

    result = await api.capture(database, recording, payment_id, eur(5_000), request_id="shipment-1")

    stored = await payment(database, payment_id)
    assert (stored["status"], stored["captured"]) == ("captured", 5_000)
    capture_keys = [k for method, k in recording.keys if method == "capture"]
    assert capture_keys == [result.idempotency_key] * 2  # timed out, resumed: one key
    # The same request once more: its result, no provider call.
    again = await api.capture(database, recording, payment_id, eur(5_000), request_id="shipment-1")
    assert again == result and recording.calls["capture"] == 2


async def test_an_unknown_outcome_is_finished_before_the_next_operation(database, recording):
    _, payment_id = await card_payment(database, recording, 6_000)
    recording.fail_next("capture", ProviderTimeout("no answer"))
    await refused(api.capture(database, recording, payment_id, eur(2_000)), "provider_timeout")

    # Another capture (a second shipment) finishes the first one, then makes its own.
    await api.capture(database, recording, payment_id, eur(4_000))

    stored = await payment(database, payment_id)
    assert (stored["status"], stored["captured"]) == ("captured", 6_000)
    keys = [k for method, k in recording.keys if method == "capture"]
    assert keys == [f"{payment_id}:capture:1", f"{payment_id}:capture:1", f"{payment_id}:capture:2"]


async def test_a_crash_between_the_phases_is_recovered_by_the_sweeper(settings, recording):
    clock = FixedClock(datetime.now(UTC))
    db = Database(settings, clock=clock)
    try:
        _, payment_id = await card_payment(db, recording, 5_000)
        recording.fail_next("capture", asyncio.CancelledError())  # the process dies mid-call
        with pytest.raises(asyncio.CancelledError):
            await api.capture(db, recording, payment_id, eur(5_000))
        assert (await payment(db, payment_id))["captured"] == 0
        # Its lease still runs: neither a caller nor the sweeper touches it yet.
        assert await api.resume_stale_operations(db, recording) == 0
        await refused(
            api.capture(db, recording, payment_id, eur(1)), "payment_operation_in_progress"
        )

        clock.advance(timedelta(minutes=2))
        assert await api.resume_stale_operations(db, recording) == 1

        stored = await payment(db, payment_id)
        assert (stored["status"], stored["captured"]) == ("captured", 5_000)
        assert [k for m, k in recording.keys if m == "capture"] == [f"{payment_id}:capture:1"] * 2
        assert await api.resume_stale_operations(db, recording) == 0
    finally:
        await db.dispose()


async def test_cash_is_refunded_without_the_provider(database, recording):
    _, [payment_id], _ = await place(
        database, recording, Tender(api.TenderKind.CASH, eur(2_000), tendered=eur(2_000))
    )
    result = await api.refund(database, recording, payment_id, eur(500), "too small")
    assert result.provider_reference is None
    stored = await payment(database, payment_id)
    assert (stored["status"], stored["refunded"]) == ("partially_refunded", 500)
    assert sum(recording.calls.values()) == 0
    before = await snapshot(database, payment_id)
    await refused(
        api.refund(database, recording, payment_id, eur(1_501)), "refund_exceeds_captured"
    )
    assert await snapshot(database, payment_id) == before


async def test_a_request_id_reused_for_another_amount_is_refused(database, provider):
    _, payment_id = await card_payment(database, provider, 5_000)
    await api.capture(database, provider, payment_id, eur(1_000), request_id="r1")
    before = await snapshot(database, payment_id)
    await refused(
        api.capture(database, provider, payment_id, eur(2_000), request_id="r1"), "conflict"
    )
    assert await snapshot(database, payment_id) == before


async def test_a_refused_request_is_refused_again_on_retry(database, recording):
    _, payment_id = await card_payment(database, recording, 5_000, "tok_fail_capture")
    await refused(
        api.capture(database, recording, payment_id, eur(5_000), request_id="r1"), "capture_failed"
    )
    await refused(
        api.capture(database, recording, payment_id, eur(5_000), request_id="r1"), "capture_failed"
    )
    assert recording.calls["capture"] == 1
