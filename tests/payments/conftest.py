import pytest

from tests.payments.support import RecordingProvider, the_provider


@pytest.fixture
def provider(app):
    """The app's own test provider (same secret as the webhook route verifies with)."""
    return the_provider(app)


@pytest.fixture
def recording(provider):
    return RecordingProvider(provider)
