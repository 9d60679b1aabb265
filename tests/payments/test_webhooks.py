"""Webhook verification: every forgery is refused with its own code; rotation works;
replays are caught by event id."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from omni.kernel.clock import FixedClock
from omni.kernel.errors import DomainError
from omni.kernel.money import Money
from omni.payments.test_provider import TestProvider
from omni.payments.webhooks import (
    InMemoryReplayGuard,
    WebhookVerifier,
    compute_signature,
    parse_signature_header,
    receive_webhook,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T = int(NOW.timestamp())
BODY = b'{"id":"evt_1","type":"payment_link.paid"}'
SECRET = "whsec_current_0123456789"
OLD_SECRET = "whsec_previous_987654321"


def verifier(*secrets: str, clock: FixedClock | None = None) -> WebhookVerifier:
    return WebhookVerifier(secrets or (SECRET,), clock=clock or FixedClock(NOW))


def signed(secret: str = SECRET, t: int = T, body: bytes = BODY) -> dict[str, str]:
    return {"Omni-Signature": f"t={t},v1={compute_signature(secret, t, body)}"}


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert compute_signature(SECRET, T, BODY) == expected


def test_a_genuine_fresh_webhook_is_accepted():
    assert verifier().verify(signed(), BODY) == T


def test_header_names_are_case_insensitive():
    headers = {"omni-signature": signed()["Omni-Signature"]}
    assert verifier().verify(headers, BODY) == T


def test_sign_produces_what_verify_accepts():
    v = verifier()
    assert v.verify(v.sign(BODY), BODY) == T


def test_unknown_schemes_are_ignored_next_to_v1():
    header = f"t={T},v0=deadbeef,v1={compute_signature(SECRET, T, BODY)}"
    assert verifier().verify({"Omni-Signature": header}, BODY) == T


def test_a_rotated_secret_still_verifies_during_the_overlap():
    rotating = verifier(SECRET, OLD_SECRET)
    assert rotating.verify(signed(OLD_SECRET), BODY) == T
    assert rotating.verify(signed(SECRET), BODY) == T
    # The provider may sign with both secrets at once while it switches.
    both = (
        f"t={T},v1={compute_signature(OLD_SECRET, T, BODY)},v1={compute_signature(SECRET, T, BODY)}"
    )
    assert verifier(SECRET).verify({"Omni-Signature": both}, BODY) == T


def test_a_retired_secret_is_refused():
    with pytest.raises(DomainError) as refused:
        verifier(SECRET).verify(signed(OLD_SECRET), BODY)
    assert refused.value.code == "webhook_signature_mismatch"


def tampered(header: str) -> dict[str, str]:
    return {"Omni-Signature": header}


GOOD_SIGNATURE = compute_signature(SECRET, T, BODY)
FORGERIES = [
    ("no header", {}, BODY, "webhook_unsigned"),
    ("an empty header", tampered("  "), BODY, "webhook_unsigned"),
    (
        "another header only",
        {"Stripe-Signature": signed()["Omni-Signature"]},
        BODY,
        "webhook_unsigned",
    ),
    ("no timestamp", tampered(f"v1={GOOD_SIGNATURE}"), BODY, "webhook_signature_malformed"),
    (
        "two timestamps",
        tampered(f"t={T},t={T},v1={GOOD_SIGNATURE}"),
        BODY,
        "webhook_signature_malformed",
    ),
    (
        "a non-numeric timestamp",
        tampered(f"t=noon,v1={GOOD_SIGNATURE}"),
        BODY,
        "webhook_signature_malformed",
    ),
    (
        "a negative timestamp",
        tampered(f"t=-{T},v1={GOOD_SIGNATURE}"),
        BODY,
        "webhook_signature_malformed",
    ),
    (
        "an absurd timestamp",
        tampered(f"t={'9' * 40},v1={GOOD_SIGNATURE}"),
        BODY,
        "webhook_signature_malformed",
    ),
    ("no v1", tampered(f"t={T}"), BODY, "webhook_signature_malformed"),
    ("a v1 that is not hex", tampered(f"t={T},v1={'z' * 64}"), BODY, "webhook_signature_malformed"),
    (
        "a short v1",
        tampered(f"t={T},v1={GOOD_SIGNATURE[:32]}"),
        BODY,
        "webhook_signature_malformed",
    ),
    (
        "upper-case hex",
        tampered(f"t={T},v1={GOOD_SIGNATURE.upper()}"),
        BODY,
        "webhook_signature_malformed",
    ),
    (
        "an entry without =",
        tampered(f"t={T},{GOOD_SIGNATURE}"),
        BODY,
        "webhook_signature_malformed",
    ),
    (
        "too many v1",
        tampered(f"t={T}" + f",v1={GOOD_SIGNATURE}" * 9),
        BODY,
        "webhook_signature_malformed",
    ),
    ("a wrong secret", signed("whsec_attacker_guess_0000"), BODY, "webhook_signature_mismatch"),
    ("a changed body", signed(), BODY.replace(b"evt_1", b"evt_2"), "webhook_signature_mismatch"),
    (
        "a moved timestamp",
        tampered(f"t={T + 1},v1={GOOD_SIGNATURE}"),
        BODY,
        "webhook_signature_mismatch",
    ),
    ("a stale signature", signed(t=T - 301), BODY, "webhook_timestamp_stale"),
    ("a future signature", signed(t=T + 301), BODY, "webhook_timestamp_in_future"),
]


@pytest.mark.parametrize(
    ("case", "headers", "body", "code"), FORGERIES, ids=[f[0] for f in FORGERIES]
)
def test_forged_malformed_and_stale_webhooks_are_refused(case, headers, body, code):
    with pytest.raises(DomainError) as refused:
        verifier().verify(headers, body)
    assert refused.value.code == code
    assert refused.value.status == 400


@pytest.mark.parametrize("seconds", [-300, -1, 0, 1, 300])
def test_signatures_within_the_tolerance_are_fresh(seconds):
    assert verifier().verify(signed(t=T + seconds), BODY) == T + seconds


def test_the_tolerance_follows_the_injected_clock():
    clock = FixedClock(NOW)
    v = verifier(clock=clock)
    headers = signed()
    clock.advance(timedelta(seconds=301))
    with pytest.raises(DomainError) as refused:
        v.verify(headers, BODY)
    assert refused.value.code == "webhook_timestamp_stale"


def test_a_forged_stale_request_only_learns_mismatch():
    # The signature is checked before the time: a forger cannot probe the tolerance.
    with pytest.raises(DomainError) as refused:
        verifier().verify(signed("whsec_attacker_guess_0000", t=T - 10_000), BODY)
    assert refused.value.code == "webhook_signature_mismatch"


def test_parse_signature_header_reads_every_v1():
    header = parse_signature_header(f"t={T}, v1={'a' * 64}, v1={'b' * 64}")
    assert header.timestamp == T
    assert header.signatures == ("a" * 64, "b" * 64)


@pytest.mark.parametrize(
    ("secrets", "tolerance"),
    [((), timedelta(seconds=300)), (("",), timedelta(seconds=300)), ((SECRET,), timedelta(0))],
)
def test_a_verifier_needs_secrets_and_a_tolerance(secrets, tolerance):
    with pytest.raises(ValueError):
        WebhookVerifier(secrets, clock=FixedClock(NOW), tolerance=tolerance)


async def test_the_in_memory_guard_remembers_ids():
    guard = InMemoryReplayGuard()
    assert await guard.first_time("evt_1")
    assert not await guard.first_time("evt_1")
    assert await guard.first_time("evt_2")


async def test_the_in_memory_guard_forgets_the_oldest_past_its_capacity():
    guard = InMemoryReplayGuard(capacity=2)
    for event_id in ("evt_1", "evt_2", "evt_3"):
        assert await guard.first_time(event_id)
    assert await guard.first_time("evt_1")
    assert not await guard.first_time("evt_3")


def provider_with(clock: FixedClock) -> TestProvider:
    return TestProvider("test-provider-secret-0123", clock=clock, webhook_secrets=[SECRET])


async def test_a_replayed_event_is_refused_even_when_re_signed_later():
    clock = FixedClock(NOW)
    provider = provider_with(clock)
    link = await provider.create_payment_link(
        Money(500, "EUR"), "Order 1042", idempotency_key="link-1"
    )
    guard = InMemoryReplayGuard()
    first = provider.pay_link(link.id)
    event = await receive_webhook(provider, first.headers, first.body, guard)
    assert event.payment_link_id == link.id

    # The very same request again (an attacker's replay) …
    with pytest.raises(DomainError) as replayed:
        await receive_webhook(provider, first.headers, first.body, guard)
    assert replayed.value.code == "webhook_replayed"
    assert replayed.value.extra == {"event_id": event.id}

    # … and the provider's retry a minute later, freshly signed: same event id.
    clock.advance(timedelta(minutes=1))
    retry = provider.pay_link(link.id)
    assert retry.headers != first.headers
    with pytest.raises(DomainError) as retried:
        await receive_webhook(provider, retry.headers, retry.body, guard)
    assert retried.value.code == "webhook_replayed"


async def test_a_forged_event_never_reaches_the_replay_guard():
    clock = FixedClock(NOW)
    provider = provider_with(clock)
    guard = InMemoryReplayGuard()
    with pytest.raises(DomainError) as refused:
        await receive_webhook(provider, signed("whsec_attacker_guess_0000"), BODY, guard)
    assert refused.value.code == "webhook_signature_mismatch"
    assert await guard.first_time("test:evt_1")  # nothing was recorded
