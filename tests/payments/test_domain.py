"""The payment state machine: the transitions table, amounts and their refusals."""

import pytest

from omni.kernel.errors import DomainError
from omni.kernel.money import Money
from omni.payments.domain import (
    ACTION_RULES,
    ALLOWED_TRANSITIONS,
    Payment,
    PaymentAction,
    PaymentStatus,
    TenderKind,
)

S = PaymentStatus


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def card_payment(cents: int = 10_000) -> Payment:
    return Payment.start(TenderKind.CARD_ONLINE, eur(cents))


def authorized(cents: int = 10_000) -> Payment:
    return card_payment(cents).authorize(eur(cents))


def captured(cents: int = 10_000) -> Payment:
    return authorized(cents).capture(eur(cents))


def test_the_transitions_table_is_the_documented_graph():
    assert dict(ALLOWED_TRANSITIONS) == {
        S.PENDING: {S.REQUIRES_ACTION, S.AUTHORIZED, S.CAPTURED, S.FAILED, S.CANCELED},
        S.REQUIRES_ACTION: {S.AUTHORIZED, S.FAILED, S.CANCELED},
        S.AUTHORIZED: {S.PARTIALLY_CAPTURED, S.CAPTURED, S.VOIDED},
        S.PARTIALLY_CAPTURED: {S.PARTIALLY_CAPTURED, S.CAPTURED},
        S.CAPTURED: {S.PARTIALLY_REFUNDED, S.REFUNDED},
        S.PARTIALLY_REFUNDED: {S.PARTIALLY_REFUNDED, S.REFUNDED},
        S.REFUNDED: set(),
        S.VOIDED: set(),
        S.FAILED: set(),
        S.CANCELED: set(),
    }
    assert {s for s in S if s.is_final} == {S.REFUNDED, S.VOIDED, S.FAILED, S.CANCELED}


def test_a_new_payment_is_pending_with_nothing_held():
    payment = card_payment(2_500)
    assert payment.status is S.PENDING
    assert (payment.authorized, payment.captured, payment.refunded) == (eur(0),) * 3


@pytest.mark.parametrize("cents", [0, -1])
def test_a_payment_amount_must_be_positive(cents):
    with pytest.raises(DomainError) as refused:
        Payment.start(TenderKind.CASH, eur(cents))
    assert refused.value.code == "invalid_payment_amount"


def test_three_d_secure_then_authorization():
    payment = card_payment().require_action().authorize(eur(10_000))
    assert payment.status is S.AUTHORIZED
    assert payment.authorized == eur(10_000)


def test_partial_captures_add_up_and_close_when_all_is_captured():
    payment = authorized(10_000).capture(eur(3_000))
    assert payment.status is S.PARTIALLY_CAPTURED
    assert payment.capturable == eur(7_000)
    payment = payment.capture(eur(7_000))
    assert payment.status is S.CAPTURED
    assert payment.captured == eur(10_000)
    assert payment.capturable == eur(0)


def test_a_final_capture_releases_the_rest():
    payment = authorized(10_000).capture(eur(4_000), final=True)
    assert payment.status is S.CAPTURED
    assert payment.captured == eur(4_000)
    assert payment.refundable == eur(4_000)


def test_closing_a_partial_capture_releases_the_rest():
    payment = authorized(10_000).capture(eur(4_000)).close_capture()
    assert payment.status is S.CAPTURED
    assert payment.capturable == eur(0)


def test_partial_refunds_add_up_to_refunded():
    payment = captured(10_000).refund(eur(2_500))
    assert payment.status is S.PARTIALLY_REFUNDED
    payment = payment.refund(eur(7_500))
    assert payment.status is S.REFUNDED
    assert payment.refunded == eur(10_000)


def test_money_in_hand_is_collected_at_once():
    payment = Payment.start(TenderKind.CASH, eur(1_999)).collect()
    assert payment.status is S.CAPTURED
    assert payment.authorized == payment.captured == eur(1_999)


def test_a_partial_approval_holds_less_than_asked():
    payment = card_payment(10_000).authorize(eur(6_000))
    assert payment.authorized == eur(6_000)
    assert payment.capturable == eur(6_000)


def test_void_releases_an_untouched_authorization():
    assert authorized().void().status is S.VOIDED


def test_a_failed_payment_keeps_its_decline_code():
    payment = card_payment().require_action().fail("authentication_failed")
    assert payment.status is S.FAILED
    assert payment.failure_code == "authentication_failed"


def test_cancel_abandons_a_payment_before_money_is_held():
    assert card_payment().cancel().status is S.CANCELED


ILLEGAL_MOVES = [
    ("capture before authorization", card_payment, lambda p: p.capture(eur(1))),
    ("refund before capture", authorized, lambda p: p.refund(eur(1))),
    (
        "refund while the capture is open",
        lambda: authorized().capture(eur(1)),
        lambda p: p.refund(eur(1)),
    ),
    ("void after capture", captured, lambda p: p.void()),
    ("void a partial capture", lambda: authorized().capture(eur(1)), lambda p: p.void()),
    ("authorize twice", authorized, lambda p: p.authorize(eur(1))),
    ("collect an authorized payment", authorized, lambda p: p.collect()),
    ("capture a voided payment", lambda: authorized().void(), lambda p: p.capture(eur(1))),
    ("capture after the capture closed", captured, lambda p: p.capture(eur(1))),
    ("fail an authorized payment", authorized, lambda p: p.fail("card_declined")),
    ("cancel an authorized payment", authorized, lambda p: p.cancel()),
    ("close a capture that never began", authorized, lambda p: p.close_capture()),
    ("ask for action twice", lambda: card_payment().require_action(), lambda p: p.require_action()),
    (
        "refund a refunded payment",
        lambda: captured().refund(eur(10_000)),
        lambda p: p.refund(eur(1)),
    ),
    ("authorize a failed payment", lambda: card_payment().fail("x"), lambda p: p.authorize(eur(1))),
]


@pytest.mark.parametrize(
    ("case", "given", "when"), ILLEGAL_MOVES, ids=[m[0] for m in ILLEGAL_MOVES]
)
def test_moves_outside_the_table_are_refused_and_change_nothing(case, given, when):
    payment = given()
    with pytest.raises(DomainError) as refused:
        when(payment)
    assert refused.value.code == "payment_transition_not_allowed"
    assert refused.value.status == 409
    assert refused.value.extra["status"] == payment.status.value
    assert given() == payment  # immutable: the refused payment is unchanged


AMOUNT_REFUSALS = [
    (
        "authorize more than the amount",
        card_payment,
        lambda p: p.authorize(eur(10_001)),
        "authorization_exceeds_amount",
    ),
    (
        "capture more than authorized",
        authorized,
        lambda p: p.capture(eur(10_001)),
        "capture_exceeds_authorized",
    ),
    (
        "captures add up past the authorization",
        lambda: authorized().capture(eur(6_000)),
        lambda p: p.capture(eur(4_001)),
        "capture_exceeds_authorized",
    ),
    (
        "refund more than captured",
        lambda: authorized().capture(eur(4_000), final=True),
        lambda p: p.refund(eur(4_001)),
        "refund_exceeds_captured",
    ),
    (
        "refunds add up past the capture",
        lambda: captured().refund(eur(9_000)),
        lambda p: p.refund(eur(1_001)),
        "refund_exceeds_captured",
    ),
    ("capture zero", authorized, lambda p: p.capture(eur(0)), "invalid_payment_amount"),
    ("refund a negative amount", captured, lambda p: p.refund(eur(-5)), "invalid_payment_amount"),
    (
        "capture in another currency",
        authorized,
        lambda p: p.capture(Money(100, "USD")),
        "payment_currency_mismatch",
    ),
]


@pytest.mark.parametrize(
    ("case", "given", "when", "code"), AMOUNT_REFUSALS, ids=[m[0] for m in AMOUNT_REFUSALS]
)
def test_amount_rules_are_enforced(case, given, when, code):
    payment = given()
    with pytest.raises(DomainError) as refused:
        when(payment)
    assert refused.value.code == code
    assert given() == payment


def test_refusals_carry_json_ready_amounts():
    with pytest.raises(DomainError) as refused:
        authorized(10_000).capture(eur(12_000))
    assert refused.value.extra == {
        "requested_amount": 12_000,
        "requested_currency": "EUR",
        "capturable_amount": 10_000,
        "capturable_currency": "EUR",
    }


def test_every_action_rule_stays_inside_the_graph():
    for action, rule in ACTION_RULES.items():
        assert rule.sources, action
        for source in rule.sources:
            assert rule.targets <= ALLOWED_TRANSITIONS[source]
    assert set(ACTION_RULES) == set(PaymentAction)


@pytest.mark.parametrize(
    ("kind", "uses_provider", "needs_reference", "deferred"),
    [
        (TenderKind.CARD_ONLINE, True, True, False),
        (TenderKind.CARD_TERMINAL, True, True, False),
        (TenderKind.PAYMENT_LINK, True, False, True),
        (TenderKind.CASH, False, False, False),
        (TenderKind.GIFT_CARD, False, True, False),
        (TenderKind.STORE_CREDIT, False, True, False),
        (TenderKind.POINTS, False, True, False),
        (TenderKind.PAY_AT_PICKUP, False, False, True),
    ],
)
def test_tender_kinds(kind, uses_provider, needs_reference, deferred):
    assert kind.uses_provider is uses_provider
    assert kind.needs_reference is needs_reference
    assert kind.is_deferred is deferred
    assert kind.gives_change is (kind is TenderKind.CASH)
