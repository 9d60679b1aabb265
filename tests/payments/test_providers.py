"""The configured provider is built from settings: the test one by default, refused when
unknown or when production runs on the development secret."""

from datetime import UTC, datetime

import pytest

from omni.kernel.clock import FixedClock
from omni.kernel.money import Money
from omni.payments import providers
from omni.payments.providers import (
    ProviderNotConfigured,
    provider_from_settings,
    register_provider,
)
from omni.payments.test_provider import TestProvider
from omni.settings import DEV_PAYMENTS_TEST_SECRET, Settings

CLOCK = FixedClock(datetime(2026, 3, 1, tzinfo=UTC))


def settings(**overrides) -> Settings:
    return Settings(database_url="sqlite+aiosqlite:///:memory:", **overrides)


async def test_the_default_is_the_test_provider_with_pages_under_our_own_url():
    provider = provider_from_settings(settings(public_base_url="https://shop.example/"), CLOCK)
    assert isinstance(provider, TestProvider)
    link = await provider.create_payment_link(Money(100, "EUR"), "x", idempotency_key="k")
    assert link.url.startswith("https://shop.example/api/v1/payments/test-provider/links/")


def test_processes_with_the_same_settings_share_webhook_secrets():
    one = provider_from_settings(settings(payments_webhook_secrets=["whsec_a_0123456789"]), CLOCK)
    two = provider_from_settings(settings(payments_webhook_secrets=["whsec_a_0123456789"]), CLOCK)
    assert isinstance(one, TestProvider) and isinstance(two, TestProvider)
    body = b'{"id":"evt_1"}'
    assert two.webhooks.verify(one.webhooks.sign(body), body)


def test_an_unknown_provider_is_a_start_up_error():
    with pytest.raises(ProviderNotConfigured, match="acme"):
        provider_from_settings(settings(payments_provider="acme"), CLOCK)


def test_production_refuses_the_development_secret():
    with pytest.raises(ProviderNotConfigured):
        provider_from_settings(settings(environment="production"), CLOCK)
    assert settings().payments_test_secret == DEV_PAYMENTS_TEST_SECRET
    real = settings(environment="production", payments_test_secret="s" * 32)
    assert isinstance(provider_from_settings(real, CLOCK), TestProvider)


def test_real_providers_plug_in_by_name(monkeypatch):
    monkeypatch.setattr(providers, "_FACTORIES", dict(providers._FACTORIES))
    made = []

    def factory(config, clock):
        made.append(config.payments_provider)
        return provider_from_settings(settings(), clock)

    register_provider("acme-test", factory)
    provider_from_settings(settings(payments_provider="acme-test"), CLOCK)
    assert made == ["acme-test"]
