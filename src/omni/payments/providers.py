"""The configured payment provider: built from settings, one per process.

``OMNI_PAYMENTS_PROVIDER`` names the adapter. Only the built-in ``test`` provider ships
with Omni; a real adapter (Stripe, Adyen, a terminal vendor) registers a factory with
``register_provider`` at start-up and is chosen by its name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from omni.kernel.clock import Clock
from omni.payments.provider import PaymentProvider
from omni.payments.test_provider import TestProvider
from omni.settings import DEV_PAYMENTS_TEST_SECRET, Settings

# Where the test provider's hosted pages (3-D Secure, payment links) live: our own
# development-only routes (``test_provider_routes``), so the demo works end to end.
TEST_PROVIDER_PATH = "/api/v1/payments/test-provider"

ProviderFactory = Callable[[Settings, Clock], PaymentProvider]


class ProviderNotConfigured(RuntimeError):
    """The settings name no known provider, or an unsafe configuration (start-up error)."""


def _test_provider(settings: Settings, clock: Clock) -> PaymentProvider:
    if settings.environment == "production" and (
        settings.payments_test_secret == DEV_PAYMENTS_TEST_SECRET
    ):
        raise ProviderNotConfigured(
            "OMNI_PAYMENTS_TEST_SECRET still has its development default; set a secret."
        )
    return TestProvider(
        settings.payments_test_secret,
        clock=clock,
        webhook_secrets=tuple(settings.payments_webhook_secrets),
        base_url=settings.public_base_url.rstrip("/") + TEST_PROVIDER_PATH,
        webhook_tolerance=timedelta(seconds=settings.payments_webhook_tolerance_seconds),
    )


_FACTORIES: dict[str, ProviderFactory] = {"test": _test_provider}


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Make a provider adapter available as ``OMNI_PAYMENTS_PROVIDER=<name>``."""
    _FACTORIES[name] = factory


def provider_from_settings(settings: Settings, clock: Clock) -> PaymentProvider:
    """A new provider adapter as configured; ``ProviderNotConfigured`` if it cannot be."""
    factory = _FACTORIES.get(settings.payments_provider)
    if factory is None:
        raise ProviderNotConfigured(
            f"Unknown payment provider {settings.payments_provider!r}; "
            f"known: {', '.join(sorted(_FACTORIES))}."
        )
    return factory(settings, clock)


def app_provider(state: Any) -> PaymentProvider:
    """The provider of a running application (``app.state``), built on first use from its
    settings and database clock. Tests may set ``app.state.payment_provider`` first."""
    provider: PaymentProvider | None = getattr(state, "payment_provider", None)
    if provider is None:
        provider = provider_from_settings(state.settings, state.db.clock)
        state.payment_provider = provider
    return provider
