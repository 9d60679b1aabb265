"""What a changed total asks of an order's payments (``change_payments.plan``), pure:
which payment asks for less or more, which card may capture less, what is refunded,
what the change itself must pay."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from omni.orders.change_payments import PaymentPlan, plan
from omni.payments.api import PaymentView

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def payment(
    payment_id: str,
    status: str,
    amount: int,
    *,
    authorized: int = 0,
    captured: int = 0,
    refunded: int = 0,
    limit: int | None = None,
) -> PaymentView:
    return PaymentView(
        id=payment_id,
        order_id="ord_1",
        location_id=None,
        tender="card_online",
        status=status,
        currency="USD",
        amount=amount,
        authorized=authorized,
        captured=captured,
        refunded=refunded,
        capturable=0,
        refundable=captured - refunded,
        failure_code=None,
        provider=None,
        next_action_url=None,
        payment_link_url=None,
        operation_in_progress=False,
        created_at=NOW,
        updated_at=NOW,
        capture_limit=limit,
    )


CARD = payment("pay_card", "authorized", 5000, authorized=5000)
GIFT = payment("pay_gift", "captured", 2000, authorized=2000, captured=2000)
AT_PICKUP = payment("pay_pickup", "pending", 3000)


@pytest.mark.parametrize(
    ("why", "payments", "new_total", "expected"),
    [
        ("a card may capture less", [CARD], 4000, PaymentPlan(limits=[("pay_card", 4000)])),
        (
            "a card brought to nothing is also voided",
            [CARD],
            0,
            PaymentPlan(limits=[("pay_card", 0)], voids=["pay_card"]),
        ),
        (
            "the card takes less before money taken is refunded",
            [GIFT, CARD],
            1500,
            PaymentPlan(limits=[("pay_card", 0)], voids=["pay_card"], refunds=[("pay_gift", 500)]),
        ),
        (
            "pay at pickup asks for less",
            [AT_PICKUP],
            2500,
            PaymentPlan(pending_amounts=[("pay_pickup", 2500)]),
        ),
        (
            "pay at pickup asks for more",
            [AT_PICKUP],
            3400,
            PaymentPlan(pending_amounts=[("pay_pickup", 3400)]),
        ),
        (
            "nothing left to collect: cancelled",
            [AT_PICKUP, GIFT],
            2000,
            PaymentPlan(cancels=["pay_pickup"]),
        ),
        ("an increase must be paid", [CARD], 5600, PaymentPlan(due=600)),
        (
            "a card limited earlier may capture more again, up to what it holds",
            [payment("pay_card", "authorized", 5000, authorized=5000, limit=4000)],
            5300,
            PaymentPlan(limits=[("pay_card", 5000)], due=300),
        ),
        ("no change of total, nothing to do", [CARD, GIFT], 7000, PaymentPlan()),
        (
            "failed and voided payments take nothing",
            [payment("pay_old", "voided", 9000, authorized=9000), CARD],
            5000,
            PaymentPlan(),
        ),
    ],
)
def test_the_plan_follows_the_new_total(why, payments, new_total, expected):
    assert plan(payments, new_total) == expected, why
