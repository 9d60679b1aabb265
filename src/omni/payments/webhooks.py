"""Verifying provider webhooks: HMAC signature, freshness, and replay protection.

The signature header reads ``t=<unix seconds>,v1=<hex>``: ``v1`` is
HMAC-SHA256(secret, ``f"{t}."`` + raw body) in lower-case hex. Several ``v1`` entries may
be sent and several secrets may be active, so a secret can be rotated without downtime:
add the new secret, switch the provider to it, drop the old one.

Checks, each with its own error code: the header is present (``webhook_unsigned``) and
well-formed (``webhook_signature_malformed``); a ``v1`` matches an active secret
(``webhook_signature_mismatch``); ``t`` is within the tolerance of now, in the past
(``webhook_timestamp_stale``) or the future (``webhook_timestamp_in_future``). The
signature is checked before the time, so a forger only ever learns "mismatch".

A verified event can still be a replay or a provider retry (retries are re-signed with a
new ``t``), so events are also deduplicated by id through a ``ReplayGuard``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from omni.kernel.clock import Clock
from omni.payments.errors import (
    WebhookReplayed,
    WebhookSignatureMalformed,
    WebhookSignatureMismatch,
    WebhookTimestampInFuture,
    WebhookTimestampStale,
    WebhookUnsigned,
)
from omni.payments.provider import PaymentProvider, ProviderEvent

DEFAULT_SIGNATURE_HEADER = "Omni-Signature"
DEFAULT_TOLERANCE = timedelta(seconds=300)
SIGNATURE_SCHEME = "v1"
# More entries than any provider sends during a rotation: bounds the work per request.
MAX_SIGNATURES = 8
_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over ``f"{timestamp}."`` + body, in lower-case hex."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header_value(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},{SIGNATURE_SCHEME}={compute_signature(secret, timestamp, body)}"


@dataclass(frozen=True)
class SignatureHeader:
    timestamp: int
    signatures: tuple[str, ...]


def parse_signature_header(value: str | None) -> SignatureHeader:
    """``t=…,v1=…[,v1=…]`` parsed; unknown schemes (``v0=…``) are ignored."""
    if value is None or not value.strip():
        raise WebhookUnsigned("The webhook carries no signature.")
    timestamps: list[str] = []
    signatures: list[str] = []
    for item in value.split(","):
        name, sep, content = item.strip().partition("=")
        if not sep:
            raise WebhookSignatureMalformed("Signature entries read name=value.")
        if name == "t":
            timestamps.append(content)
        elif name == SIGNATURE_SCHEME:
            signatures.append(content)
    if len(timestamps) != 1 or not _UNIX_SECONDS.fullmatch(timestamps[0]):
        raise WebhookSignatureMalformed("The signature needs one t=<unix seconds>.")
    if not signatures or len(signatures) > MAX_SIGNATURES:
        raise WebhookSignatureMalformed(f"The signature needs 1-{MAX_SIGNATURES} v1 entries.")
    if not all(_HEX_SHA256.fullmatch(s) for s in signatures):
        raise WebhookSignatureMalformed("v1 signatures are 64 lower-case hex digits.")
    return SignatureHeader(int(timestamps[0]), tuple(signatures))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()  # HTTP header names are case-insensitive
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


class WebhookVerifier:
    """Checks ``t=…,v1=…`` signatures against the active secrets (newest first)."""

    def __init__(
        self,
        secrets: Sequence[str],
        *,
        clock: Clock,
        tolerance: timedelta = DEFAULT_TOLERANCE,
        header_name: str = DEFAULT_SIGNATURE_HEADER,
    ) -> None:
        if not secrets or not all(secrets):
            raise ValueError("a webhook verifier needs at least one non-empty secret")
        if tolerance <= timedelta(0):
            raise ValueError("the timestamp tolerance must be positive")
        self._secrets = tuple(secrets)
        self._clock = clock
        self._tolerance_seconds = tolerance.total_seconds()
        self.header_name = header_name

    def sign(self, body: bytes, *, at: datetime | None = None) -> dict[str, str]:
        """Headers signing ``body`` with the newest secret (for test providers and tests)."""
        timestamp = int((at or self._clock.now()).timestamp())
        return {self.header_name: signature_header_value(self._secrets[0], timestamp, body)}

    def verify(self, headers: Mapping[str, str], body: bytes) -> int:
        """The signing time (unix seconds) of a genuine, fresh request; raises otherwise."""
        header = parse_signature_header(_header(headers, self.header_name))
        if not self._matches_a_secret(header, body):
            raise WebhookSignatureMismatch("The webhook signature does not match.")
        self._check_fresh(header.timestamp)
        return header.timestamp

    def _matches_a_secret(self, header: SignatureHeader, body: bytes) -> bool:
        matched = False
        for secret in self._secrets:
            expected = compute_signature(secret, header.timestamp, body).encode()
            for candidate in header.signatures:
                # Constant time, and no early exit: timing tells nothing about which matched.
                matched |= hmac.compare_digest(expected, candidate.encode())
        return matched

    def _check_fresh(self, timestamp: int) -> None:
        age = self._clock.now().timestamp() - timestamp
        if age > self._tolerance_seconds:
            raise WebhookTimestampStale(
                "The webhook was signed too long ago.", age_seconds=int(age)
            )
        if -age > self._tolerance_seconds:
            raise WebhookTimestampInFuture(
                "The webhook is signed in the future; check the clocks.", ahead_seconds=int(-age)
            )


class ReplayGuard(Protocol):
    """Remembers event ids already received."""

    async def first_time(self, event_id: str) -> bool:
        """Record ``event_id``; ``True`` if it was not seen before. Must be atomic (two
        concurrent deliveries of one event: exactly one gets ``True``)."""


class InMemoryReplayGuard:
    """A process-local guard for tests and single-process demos, remembering the latest
    ``capacity`` ids. Several server processes need the database-backed guard."""

    def __init__(self, capacity: int = 100_000) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    async def first_time(self, event_id: str) -> bool:
        # No await between the check and the insert: atomic within one event loop.
        if event_id in self._seen:
            return False
        self._seen[event_id] = None
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True


def replay_key(provider_name: str, event_id: str) -> str:
    """Event ids are unique per provider only."""
    return f"{provider_name}:{event_id}"


async def receive_webhook(
    provider: PaymentProvider, headers: Mapping[str, str], body: bytes, guard: ReplayGuard
) -> ProviderEvent:
    """Verify, parse and deduplicate one webhook delivery.

    Raises a ``WebhookRejected`` subclass for forged, malformed or stale requests and
    ``WebhookReplayed`` for an event already received. With a database guard, call this
    inside the unit of work that handles the event, so a failed handling rolls the
    recorded id back and the provider's retry is processed."""
    event = await provider.parse_webhook(headers, body)
    if not await guard.first_time(replay_key(provider.name, event.id)):
        raise WebhookReplayed("This webhook event was already received.", event_id=event.id)
    return event
