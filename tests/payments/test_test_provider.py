"""The TEST provider: outcomes chosen by the token, idempotency, statelessness across
instances (as across server processes), and its signed webhooks."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from omni.kernel.clock import FixedClock
from omni.kernel.errors import DomainError
from omni.kernel.money import Money
from omni.payments.domain import Payment, PaymentStatus, TenderKind
from omni.payments.provider import (
    Authorization,
    AuthorizationApproved,
    AuthorizationDeclined,
    AuthorizationRequiresAction,
    Capture,
    ProviderEventKind,
)
from omni.payments.test_provider import TestProvider
from omni.payments.webhooks import InMemoryReplayGuard, receive_webhook

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "test-provider-secret-0123"
WEBHOOK_SECRET = "whsec_test_0123456789abcdef"
AMOUNT = Money(4_999, "EUR")


def make_provider(secret: str = SECRET, webhook_secrets: tuple[str, ...] = (WEBHOOK_SECRET,)):
    return TestProvider(secret, clock=FixedClock(NOW), webhook_secrets=webhook_secrets)


@pytest.fixture
def provider() -> TestProvider:
    return make_provider()


@pytest.fixture
def other_process() -> TestProvider:
    """Another instance with the same configuration: a second server process."""
    return make_provider()


async def authorize(provider: TestProvider, token: str = "tok_visa", key: str = "pay-1:auth"):
    return await provider.authorize(AMOUNT, token, idempotency_key=key, metadata={"order": "1"})


async def approved(provider: TestProvider, token: str = "tok_visa") -> Authorization:
    result = await authorize(provider, token)
    assert isinstance(result, AuthorizationApproved)
    return result.authorization


@pytest.mark.parametrize(
    "token",
    [
        "tok_approve",
        "tok_visa",
        "tok_mastercard",
        "tok_amex",
        "tok_terminal",
        "tok_fail_capture",
        "tok_fail_refund",
    ],
)
async def test_approving_tokens_hold_the_amount(provider, token):
    result = await authorize(provider, token)
    assert isinstance(result, AuthorizationApproved)
    assert result.authorization.amount == AMOUNT
    assert result.authorization.id.startswith("auth_")


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("tok_decline", "card_declined"),
        ("tok_insufficient_funds", "insufficient_funds"),
        ("tok_expired_card", "expired_card"),
        ("tok_nobody_knows", "invalid_token"),
        ("4111111111111111", "invalid_token"),
    ],
)
async def test_declining_tokens_give_a_reason(provider, token, code):
    result = await authorize(provider, token)
    assert isinstance(result, AuthorizationDeclined)
    assert result.code == code
    assert result.reason


async def test_3ds_token_requires_action_with_a_url(provider):
    result = await authorize(provider, "tok_3ds")
    assert isinstance(result, AuthorizationRequiresAction)
    assert result.amount == AMOUNT
    assert result.next_action_url == f"https://pay.test.invalid/3ds/{result.action_id}"


@pytest.mark.parametrize(
    ("token", "code", "status"),
    [("tok_timeout", "provider_timeout", 504), ("tok_unavailable", "provider_unavailable", 503)],
)
async def test_failing_tokens_raise_with_stable_codes(provider, token, code, status):
    with pytest.raises(DomainError) as failed:
        await authorize(provider, token)
    assert (failed.value.code, failed.value.status) == (code, status)


async def test_the_same_key_and_request_give_the_same_result(provider, other_process):
    first = await authorize(provider, key="pay-1:auth")
    assert await authorize(provider, key="pay-1:auth") == first
    assert await authorize(other_process, key="pay-1:auth") == first


async def test_another_key_or_request_gives_another_authorization(provider):
    first = await approved(provider)
    other_key = await authorize(provider, key="pay-2:auth")
    other_amount = await provider.authorize(
        Money(5_000, "EUR"), "tok_visa", idempotency_key="pay-1:auth"
    )
    assert isinstance(other_key, AuthorizationApproved)
    assert isinstance(other_amount, AuthorizationApproved)
    assert len({first.id, other_key.authorization.id, other_amount.authorization.id}) == 3


async def test_a_second_process_captures_voids_and_refunds_without_shared_memory(
    provider, other_process
):
    authorization = await approved(provider)
    capture = await other_process.capture(authorization, Money(3_000, "EUR"), idempotency_key="c1")
    assert capture.authorization_id == authorization.id
    assert capture == await provider.capture(
        authorization, Money(3_000, "EUR"), idempotency_key="c1"
    )
    refund = await provider.refund(capture, Money(1_000, "EUR"), idempotency_key="r1")
    assert refund.capture_id == capture.id
    assert refund == await other_process.refund(capture, Money(1_000, "EUR"), idempotency_key="r1")
    voided = await other_process.void(await approved(provider), idempotency_key="v1")
    assert voided.authorization_id == authorization.id


async def test_a_provider_with_another_secret_knows_none_of_it(provider):
    stranger = make_provider(secret="another-secret-9876543")
    authorization = await approved(provider)
    with pytest.raises(DomainError) as refused:
        await stranger.capture(authorization, AMOUNT, idempotency_key="c1")
    assert refused.value.code == "invalid_provider_reference"


def with_amount(reference: str, cents: int) -> str:
    """``reference`` with its encoded amount changed but its signature kept."""
    kind, _, rest = reference.partition("_")
    body, _, mac = rest.rpartition(".")
    facts = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    facts["a"] = cents
    forged = base64.urlsafe_b64encode(json.dumps(facts).encode()).rstrip(b"=").decode()
    return f"{kind}_{forged}.{mac}"


async def test_tampered_references_are_refused(provider):
    authorization = await approved(provider)
    forged = Authorization(with_amount(authorization.id, 999_999), Money(999_999, "EUR"))
    inflated = Authorization(authorization.id, Money(999_999, "EUR"))
    garbage = Authorization("auth_not-base64!.0000", AMOUNT)
    wrong_kind = Authorization(authorization.id.replace("auth_", "cap_", 1), AMOUNT)
    for bad in (forged, inflated, garbage, wrong_kind):
        with pytest.raises(DomainError) as refused:
            await provider.capture(bad, Money(100, "EUR"), idempotency_key="c1")
        assert refused.value.code == "invalid_provider_reference", bad


@pytest.mark.parametrize(
    ("token", "amount", "code"),
    [
        ("tok_visa", Money(5_000, "EUR"), "capture_failed"),  # more than authorized
        ("tok_visa", Money(100, "USD"), "capture_failed"),
        ("tok_visa", Money(0, "EUR"), "invalid_payment_amount"),
        ("tok_fail_capture", Money(100, "EUR"), "capture_failed"),
    ],
)
async def test_capture_refusals(provider, token, amount, code):
    authorization = await approved(provider, token)
    with pytest.raises(DomainError) as refused:
        await provider.capture(authorization, amount, idempotency_key="c1")
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("token", "amount", "code"),
    [
        ("tok_visa", Money(4_000, "EUR"), "refund_failed"),  # more than captured
        ("tok_fail_refund", Money(100, "EUR"), "refund_failed"),
    ],
)
async def test_refund_refusals(provider, token, amount, code):
    capture = await provider.capture(
        await approved(provider, token), Money(3_000, "EUR"), idempotency_key="c1"
    )
    with pytest.raises(DomainError) as refused:
        await provider.refund(capture, amount, idempotency_key="r1")
    assert refused.value.code == code


async def test_a_capture_with_a_changed_amount_is_refused(provider):
    capture = await provider.capture(await approved(provider), AMOUNT, idempotency_key="c1")
    inflated = Capture(capture.id, capture.authorization_id, Money(9_999, "EUR"))
    with pytest.raises(DomainError) as refused:
        await provider.refund(inflated, Money(9_999, "EUR"), idempotency_key="r1")
    assert refused.value.code == "invalid_provider_reference"


@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
async def test_every_call_needs_an_idempotency_key(provider, key):
    with pytest.raises(DomainError) as refused:
        await provider.authorize(AMOUNT, "tok_visa", idempotency_key=key)
    assert refused.value.code == "idempotency_key_required"
    authorization = await approved(provider)
    for call in (
        provider.capture(authorization, AMOUNT, idempotency_key=key),
        provider.void(authorization, idempotency_key=key),
        provider.create_payment_link(AMOUNT, "Order", idempotency_key=key),
    ):
        with pytest.raises(DomainError):
            await call


async def test_3ds_completes_through_a_webhook_another_process_accepts(provider, other_process):
    result = await authorize(provider, "tok_3ds")
    assert isinstance(result, AuthorizationRequiresAction)
    payment = Payment.start(TenderKind.CARD_ONLINE, AMOUNT).require_action()

    delivery = provider.complete_action(result.action_id)
    event = await receive_webhook(
        other_process, delivery.headers, delivery.body, InMemoryReplayGuard()
    )
    assert event.kind is ProviderEventKind.AUTHORIZATION_APPROVED
    assert event.action_id == result.action_id
    assert event.occurred_at == NOW
    assert event.authorization is not None and event.authorization.amount == AMOUNT

    payment = payment.authorize(event.authorization.amount)
    capture = await provider.capture(event.authorization, AMOUNT, idempotency_key="c1")
    assert payment.capture(capture.amount).status is PaymentStatus.CAPTURED


async def test_failed_3ds_arrives_as_a_declined_event(provider):
    result = await authorize(provider, "tok_3ds")
    assert isinstance(result, AuthorizationRequiresAction)
    delivery = provider.complete_action(result.action_id, succeed=False)
    event = await provider.parse_webhook(delivery.headers, delivery.body)
    assert event.kind is ProviderEventKind.AUTHORIZATION_DECLINED
    assert event.decline is not None and event.decline.code == "authentication_failed"
    payment = Payment.start(TenderKind.CARD_ONLINE, AMOUNT).require_action()
    assert payment.fail(event.decline.code).status is PaymentStatus.FAILED


async def test_an_action_id_cannot_be_captured_before_3ds(provider):
    result = await authorize(provider, "tok_3ds")
    assert isinstance(result, AuthorizationRequiresAction)
    with pytest.raises(DomainError) as refused:
        await provider.capture(
            Authorization(result.action_id, AMOUNT), AMOUNT, idempotency_key="c1"
        )
    assert refused.value.code == "invalid_provider_reference"


def test_a_forged_action_cannot_be_completed(provider):
    with pytest.raises(DomainError) as refused:
        provider.complete_action("act_forged.0000")
    assert refused.value.code == "invalid_provider_reference"


async def test_a_paid_payment_link_arrives_captured_and_refundable(provider, other_process):
    link = await provider.create_payment_link(AMOUNT, "Order 1042", idempotency_key="l1")
    assert link.url == f"https://pay.test.invalid/links/{link.id}"
    assert (link.amount, link.description) == (AMOUNT, "Order 1042")
    assert link == await other_process.create_payment_link(
        AMOUNT, "Order 1042", idempotency_key="l1"
    )

    delivery = other_process.pay_link(link.id)
    event = await provider.parse_webhook(delivery.headers, delivery.body)
    assert event.kind is ProviderEventKind.PAYMENT_LINK_PAID
    assert event.payment_link_id == link.id
    assert event.capture is not None and event.capture.amount == AMOUNT
    refund = await provider.refund(event.capture, Money(999, "EUR"), idempotency_key="r1")
    assert refund.amount == Money(999, "EUR")


async def test_webhooks_verify_with_a_rotated_secret():
    old = make_provider(webhook_secrets=("whsec_old_0123456789",))
    rotated = make_provider(webhook_secrets=("whsec_new_0123456789", "whsec_old_0123456789"))
    link = await old.create_payment_link(AMOUNT, "Order", idempotency_key="l1")
    delivery = old.pay_link(link.id)
    assert (await rotated.parse_webhook(delivery.headers, delivery.body)).payment_link_id
    retired = make_provider(webhook_secrets=("whsec_new_0123456789",))
    with pytest.raises(DomainError) as refused:
        await retired.parse_webhook(delivery.headers, delivery.body)
    assert refused.value.code == "webhook_signature_mismatch"


async def test_the_webhook_tolerance_is_configurable():
    clock = FixedClock(NOW)
    strict = TestProvider(
        SECRET,
        clock=clock,
        webhook_secrets=(WEBHOOK_SECRET,),
        webhook_tolerance=timedelta(seconds=30),
    )
    link = await strict.create_payment_link(AMOUNT, "Order", idempotency_key="l1")
    delivery = strict.pay_link(link.id)
    clock.advance(timedelta(seconds=29))
    assert (await strict.parse_webhook(delivery.headers, delivery.body)).payment_link_id
    clock.advance(timedelta(seconds=2))
    with pytest.raises(DomainError) as refused:
        await strict.parse_webhook(delivery.headers, delivery.body)
    assert refused.value.code == "webhook_timestamp_stale"


async def test_without_webhook_secrets_processes_sharing_the_secret_agree():
    a, b = make_provider(webhook_secrets=()), make_provider(webhook_secrets=())
    link = await a.create_payment_link(AMOUNT, "Order", idempotency_key="l1")
    delivery = a.pay_link(link.id)
    assert (await b.parse_webhook(delivery.headers, delivery.body)).payment_link_id == link.id


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            b'{"id":"evt_9","type":"charge.dispute.created","created":1,"data":{}}',
            ProviderEventKind.OTHER,
        ),
    ],
)
async def test_unknown_event_types_parse_as_other(provider, body, kind):
    event = await provider.parse_webhook(provider.webhooks.sign(body), body)
    assert event.kind is kind
    assert event.raw_type == "charge.dispute.created"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"id":"evt_9"}',
        b'{"id":"evt_9","type":"payment_link.paid","created":"soon","data":{}}',
        b'{"id":"evt_9","type":"payment_link.paid","created":1,"data":{}}',
        b'{"id":"evt_9","type":"authorization.approved","created":1,'
        b'"data":{"action_id":"a","authorization_id":"auth_forged.00"}}',
    ],
)
async def test_signed_but_malformed_events_are_refused(provider, body):
    with pytest.raises(DomainError) as refused:
        await provider.parse_webhook(provider.webhooks.sign(body), body)
    assert refused.value.code == "webhook_payload_malformed"


def test_the_secret_must_be_long_enough():
    with pytest.raises(ValueError):
        TestProvider("short", clock=FixedClock(NOW))


def test_pytest_does_not_collect_the_provider_as_a_test_class():
    assert TestProvider.__test__ is False
