"""Webhook events of the TEST provider: the ones it sends (3-D Secure finished, payment
link paid), signed like a real provider's, and their parsing back into ``ProviderEvent``.

Event ids are derived from what happened, so building the same event twice gives the
same id — as a real provider's retry does — and the replay guard drops the second.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from omni.kernel.clock import Clock
from omni.payments.errors import InvalidProviderReference, WebhookPayloadMalformed
from omni.payments.provider import (
    Authorization,
    AuthorizationDeclined,
    Capture,
    ProviderEvent,
    ProviderEventKind,
)
from omni.payments.webhooks import WebhookVerifier

if TYPE_CHECKING:
    from omni.payments.test_provider import SignedReferences

AUTHENTICATION_FAILED = AuthorizationDeclined(
    "authentication_failed", "The shopper did not pass 3-D Secure."
)


class EventCodec:
    def __init__(self, refs: SignedReferences, verifier: WebhookVerifier, clock: Clock) -> None:
        self._refs = refs
        self._verifier = verifier
        self._clock = clock

    def action_completed(self, action_id: str, *, succeed: bool) -> tuple[dict[str, str], bytes]:
        facts = self._refs.decode("act", action_id)
        if not succeed:
            decline = {"code": AUTHENTICATION_FAILED.code, "reason": AUTHENTICATION_FAILED.reason}
            data = {"action_id": action_id, "decline": decline}
            return self._signed(ProviderEventKind.AUTHORIZATION_DECLINED, action_id, data)
        approved = {**facts, "n": self._refs.nonce("3ds-approved", facts["n"])}
        data = {"action_id": action_id, "authorization_id": self._refs.encode("auth", approved)}
        return self._signed(ProviderEventKind.AUTHORIZATION_APPROVED, action_id, data)

    def link_paid(self, link_id: str, token: str) -> tuple[dict[str, str], bytes]:
        facts = self._refs.decode("plink", link_id)
        money = {"a": facts["a"], "c": facts["c"], "t": token}
        authorization = {**money, "n": self._refs.nonce("link-authorization", facts["n"])}
        capture = {**money, "n": self._refs.nonce("link-capture", facts["n"])}
        data = {
            "payment_link_id": link_id,
            "authorization_id": self._refs.encode("auth", authorization),
            "capture_id": self._refs.encode("cap", capture),
        }
        return self._signed(ProviderEventKind.PAYMENT_LINK_PAID, link_id, data)

    def _signed(
        self, kind: ProviderEventKind, subject: str, data: dict[str, Any]
    ) -> tuple[dict[str, str], bytes]:
        event = {
            "id": "evt_" + self._refs.nonce("event", kind.value, subject),
            "type": kind.value,
            "created": int(self._clock.now().timestamp()),
            "data": data,
        }
        body = json.dumps(event, separators=(",", ":")).encode()
        return self._verifier.sign(body), body

    def parse(self, body: bytes) -> ProviderEvent:
        """A verified body as a ``ProviderEvent``; ``WebhookPayloadMalformed`` otherwise."""
        try:
            event = json.loads(body)
            return self._parse_event(event)
        except (ValueError, KeyError, TypeError, InvalidProviderReference) as error:
            raise WebhookPayloadMalformed(
                "The webhook body is not a test-provider event."
            ) from error

    def _parse_event(self, event: Any) -> ProviderEvent:
        event_id, raw_type, data = str(event["id"]), str(event["type"]), event["data"]
        created = event["created"]
        if not event_id or not isinstance(data, dict) or not isinstance(created, int):
            raise ValueError("event id, created and data are required")
        known = {kind.value for kind in ProviderEventKind}
        kind = ProviderEventKind(raw_type) if raw_type in known else ProviderEventKind.OTHER
        base = ProviderEvent(
            event_id, kind, datetime.fromtimestamp(created, UTC), raw_type=raw_type
        )
        if kind is ProviderEventKind.AUTHORIZATION_APPROVED:
            return replace(
                base,
                action_id=str(data["action_id"]),
                authorization=self._authorization(data["authorization_id"]),
            )
        if kind is ProviderEventKind.AUTHORIZATION_DECLINED:
            decline = AuthorizationDeclined(
                str(data["decline"]["code"]), str(data["decline"]["reason"])
            )
            return replace(base, action_id=str(data["action_id"]), decline=decline)
        if kind is ProviderEventKind.PAYMENT_LINK_PAID:
            authorization = self._authorization(data["authorization_id"])
            capture_id = str(data["capture_id"])
            amount, _ = self._refs.money("cap", capture_id)
            return replace(
                base,
                payment_link_id=str(data["payment_link_id"]),
                authorization=authorization,
                capture=Capture(capture_id, authorization.id, amount),
            )
        return base

    def _authorization(self, reference: Any) -> Authorization:
        amount, _ = self._refs.money("auth", str(reference))
        return Authorization(str(reference), amount)
